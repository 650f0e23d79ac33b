import * as assert from 'node:assert/strict';
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { Deadline } from '../../../tasks/common/deadline';
import type { ProbeInputs } from '../../../tasks/DeployToAciV1/src/inputs';
import { failingReadiness, readinessUrl, waitForGroup } from '../../../tasks/DeployToAciV1/src/wait';
import { fakeAci, fakeClock, fakeReachability, withState } from './fakes';
import { recordingLog } from './fixtures';

const PROBE: ProbeInputs = { path: '/ready', port: 80, initialDelaySeconds: 0, periodSeconds: 5, failureThreshold: 3 };
const BODY: ContainerGroup = {
  name: 'g',
  osType: 'Linux',
  containers: [{ name: 'c', image: 'r.io/m:1', resources: { requests: { cpu: 1, memoryInGB: 1 } } }],
  ipAddress: { type: 'Public', ports: [{ port: 80, protocol: 'TCP' }] },
};

/** The group as ACI shows it when its readiness probe failed at `at` (ms). */
function unhealthySince(group: ContainerGroup, at: number): ContainerGroup {
  return {
    ...group,
    containers: group.containers.map((c) => ({
      ...c,
      instanceView: {
        ...c.instanceView,
        events: [
          ...(c.instanceView?.events ?? []),
          { name: 'Unhealthy', type: 'Warning', count: 4, message: 'Readiness probe failed: connect: connection refused', lastTimestamp: new Date(at) },
        ],
      },
    })),
  };
}

async function setup(options: { answers: boolean; failing: boolean; ipAddress?: ContainerGroup['ipAddress'] }) {
  const aci = fakeAci({ pollsToRun: 1 });
  await aci.createOrUpdate('rg', 'g', { ...BODY, ...(options.ipAddress !== undefined ? { ipAddress: options.ipAddress } : {}) });
  const clock = fakeClock();
  aci.onGet = (group) => (options.failing ? unhealthySince(group, clock.now() - 1000) : group);
  const reachability = fakeReachability({ answers: () => Promise.resolve(options.answers), ready: () => Promise.resolve(false) });
  return { aci, clock, deps: { aci, clock, log: recordingLog(), reachability } };
}

describe('DeployToAci waitForGroup with a readiness probe', () => {
  it("waits to the deadline while ACI's readiness probe keeps failing on an address the agent cannot reach", async () => {
    const { deps, clock } = await setup({ answers: false, failing: true });
    const result = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline: new Deadline(clock, 60_000), baseline: {}, readinessProbe: PROBE, unansweredGraceInMs: 5000 }, deps);
    assert.equal(result.timedOut, true);
    assert.ok(result.state.kind === 'waiting' && /the readiness probe of container 'c' fails \(Readiness probe failed: connect: connection refused\)/.test(result.state.reason), JSON.stringify(result.state));
  });

  it('checks the readiness path itself when it can: not ready until it answers 2xx/3xx', async () => {
    const { deps, clock } = await setup({ answers: true, failing: false });
    const result = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline: new Deadline(clock, 20_000), baseline: {}, readinessProbe: PROBE }, deps);
    assert.ok(result.state.kind === 'waiting' && /readiness path http:\/\/127\.0\.0\.9:80\/ready does not answer/.test(result.state.reason));
  });

  it('confirms within one readiness interval of the path starting to answer, without waiting for the next Resource Manager poll', async () => {
    const { deps, clock, aci } = await setup({ answers: true, failing: false });
    const readyFrom = clock.now() + 2_345;
    const asked: number[] = [];
    deps.reachability.ready = () => {
      asked.push(clock.now());
      return Promise.resolve(clock.now() >= readyFrom);
    };
    const result = await waitForGroup(
      { resourceGroup: 'rg', name: 'g', deadline: new Deadline(clock, 60_000), baseline: {}, readinessProbe: PROBE, pollIntervalInMs: () => 5000, readinessWatchIntervalInMs: 100 },
      deps,
    );
    assert.equal(result.state.kind, 'running');
    assert.ok(clock.now() - readyFrom <= 100, `noticed ${clock.now() - readyFrom} ms after the path answered`);
    assert.deepEqual(aci.calls.filter((call) => call.startsWith('get')), ['get g'], 'one Resource Manager read: the path itself confirmed it');
    const gaps = asked.slice(1).map((at, i) => at - (asked[i] ?? 0));
    assert.ok(gaps.every((gap) => gap >= 100), `the path is asked at most every 100 ms (gaps: ${gaps.join(', ')})`);
  });

  it("relies on ACI's probe for a port the group does not open, once it has probed", async () => {
    const { deps, clock } = await setup({ answers: true, failing: false });
    const started = clock.now();
    const probe = { ...PROBE, port: 8081, initialDelaySeconds: 10 };
    const result = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline: new Deadline(clock, 60_000), baseline: {}, readinessProbe: probe }, deps);
    assert.equal(result.state.kind, 'running');
    assert.ok(clock.now() - started >= 17_000, 'confirmed before ACI probed once (initial delay 10 s + period 5 s)');
  });

  it('keeps a group without an address waiting while its readiness probe fails, and lets it settle after the first probe otherwise', async () => {
    const failing = await setup({ answers: false, failing: true, ipAddress: { type: 'Private', ports: [] } });
    const stuck = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline: new Deadline(failing.clock, 30_000), baseline: {}, readinessProbe: PROBE }, failing.deps);
    assert.equal(stuck.timedOut, true);
    const healthy = await setup({ answers: false, failing: false, ipAddress: { type: 'Private', ports: [] } });
    const started = healthy.clock.now();
    const result = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline: new Deadline(healthy.clock, 60_000), baseline: {}, readinessProbe: { ...PROBE, initialDelaySeconds: 20 }, settleInMs: 1000 }, healthy.deps);
    assert.equal(result.state.kind, 'running');
    assert.ok(healthy.clock.now() - started >= 25_000, 'settled before ACI probed once (initial delay 20 s + period 5 s)');
  });

  it('counts only recent readiness failures (the last two periods)', () => {
    const group = withState(BODY, 'Succeeded', 'Running');
    const now = Date.parse('2026-01-01T00:10:00Z');
    assert.match(failingReadiness(unhealthySince(group, now - 14_000), PROBE, now) ?? '', /container 'c' fails/);
    assert.equal(failingReadiness(unhealthySince(group, now - 16_000), PROBE, now), undefined);
    assert.equal(failingReadiness(group, PROBE, now), undefined);
  });

  it('checks readiness from the agent only on a public address and a port the group opens', () => {
    const running = { ...withState(BODY, 'Succeeded', 'Running'), ipAddress: { type: 'Public', ip: '20.1.2.3', ports: [{ port: 80, protocol: 'TCP' }] } };
    assert.equal(readinessUrl(running, PROBE), 'http://20.1.2.3:80/ready');
    assert.equal(readinessUrl(running, { ...PROBE, port: 8081 }), undefined);
    assert.equal(readinessUrl({ ...running, ipAddress: { ...running.ipAddress, type: 'Private' } }, PROBE), undefined);
  });
});

describe('DeployToAci waitForGroup polling', () => {
  it('uses the group just read as the first poll (nothing changed: no second read)', async () => {
    const aci = fakeAci();
    const clock = fakeClock();
    const existing = { ...withState({ ...BODY, ipAddress: { ...BODY.ipAddress, ip: '127.0.0.9' } } as ContainerGroup, 'Succeeded', 'Running') };
    const result = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline: new Deadline(clock, 60_000), baseline: {}, initial: existing }, { aci, clock, log: recordingLog(), reachability: fakeReachability() });
    assert.equal(result.state.kind, 'running');
    assert.deepEqual(aci.calls, []);
  });

  it('waits before the first read after a create or update', async () => {
    const aci = fakeAci({ pollsToRun: 1 });
    await aci.createOrUpdate('rg', 'g', BODY);
    const clock = fakeClock();
    const result = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline: new Deadline(clock, 60_000), baseline: {}, firstPollDelayInMs: 1000 }, { aci, clock, log: recordingLog(), reachability: fakeReachability() });
    assert.equal(result.state.kind, 'running');
    assert.equal(clock.slept[0], 1000);
    assert.equal(result.polls, 1);
  });
});
