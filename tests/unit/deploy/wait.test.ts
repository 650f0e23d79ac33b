import * as assert from 'node:assert/strict';
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { Deadline } from '../../../tasks/common/deadline';
import { waitForGroup } from '../../../tasks/DeployToAciV1/src/wait';
import { recordingLog } from './fixtures';
import { fakeAci, fakeClock, fakeReachability, withState } from './fakes';

const BODY: ContainerGroup = {
  name: 'g',
  osType: 'Linux',
  containers: [{ name: 'c', image: 'r.io/m:1', resources: { requests: { cpu: 1, memoryInGB: 1 } } }],
  ipAddress: { type: 'Public', ports: [{ port: 80, protocol: 'TCP' }] },
};

function withoutIpAddress(group: ContainerGroup): ContainerGroup {
  const { ipAddress: _ipAddress, ...rest } = group;
  return rest;
}

async function setup(answers: (reads: number) => boolean, options: { ipAddress?: boolean; onGet?: (group: ContainerGroup, reads: number) => ContainerGroup } = {}) {
  const aci = fakeAci({ pollsToRun: 1 });
  await aci.createOrUpdate('rg', 'g', options.ipAddress === false ? withoutIpAddress(BODY) : BODY);
  let reads = 0;
  aci.onGet = (group, count) => {
    reads = count;
    return options.onGet ? options.onGet(group, count) : group;
  };
  const clock = fakeClock();
  const log = recordingLog();
  const deps = { aci, clock, log, reachability: fakeReachability({ answers: () => Promise.resolve(answers(reads)) }) };
  return { aci, clock, log, deps, deadline: new Deadline(clock, 120_000) };
}

describe('DeployToAci waitForGroup', () => {
  it('does not trust Running until the address answers: a crash right after start is caught', async () => {
    const { deps, deadline } = await setup(() => false, {
      onGet: (group, reads) =>
        reads >= 3 ? withState(group, 'Succeeded', 'Waiting', { restartCount: 1, currentState: { state: 'Waiting', detailStatus: 'CrashLoopBackOff: Back-off restarting failed' } }) : group,
    });
    const result = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline, baseline: {} }, deps);
    assert.equal(result.state.kind, 'failed');
  });

  it('confirms as soon as the address answers', async () => {
    const { deps, deadline } = await setup((reads) => reads >= 2);
    const result = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline, baseline: {} }, deps);
    assert.equal(result.state.kind, 'running');
    assert.equal(result.polls, 2);
  });

  it('accepts an address the agent cannot reach after a grace period, and says so', async () => {
    const { deps, deadline, log, clock } = await setup(() => false);
    const started = clock.now();
    const result = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline, baseline: {}, unansweredGraceInMs: 10_000 }, deps);
    assert.equal(result.state.kind, 'running');
    assert.ok(clock.now() - started >= 10_000);
    assert.ok(log.lines.some((l) => /does not answer from this agent/.test(l)));
  });

  it('requires a group without an address to stay up', async () => {
    const { deps, deadline, clock } = await setup(() => false, { ipAddress: false });
    const started = clock.now();
    const result = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline, baseline: {}, settleInMs: 5000 }, deps);
    assert.equal(result.state.kind, 'running');
    assert.ok(clock.now() - started >= 5000);
  });

  it('stops at the deadline with the last reason', async () => {
    const { deps, clock } = await setup(() => false);
    const result = await waitForGroup({ resourceGroup: 'rg', name: 'g', deadline: new Deadline(clock, 3000), baseline: {} }, deps);
    assert.equal(result.timedOut, true);
    assert.ok(result.state.kind === 'waiting' && /does not answer yet/.test(result.state.reason));
  });

  it('wakes early when the address starts answering between polls', async () => {
    const aci = fakeAci({ pollsToRun: 2 });
    await aci.createOrUpdate('rg', 'g', BODY);
    const clock = fakeClock();
    let watches = 0;
    const reachability = fakeReachability({ answers: () => Promise.resolve(++watches > 2) });
    const result = await waitForGroup(
      { resourceGroup: 'rg', name: 'g', deadline: new Deadline(clock, 60_000), baseline: {}, pollIntervalInMs: () => 10_000 },
      { aci, clock, log: recordingLog(), reachability },
    );
    assert.equal(result.state.kind, 'running');
    assert.ok(clock.now() - 1_000_000 < 10_000, `woke after ${clock.now() - 1_000_000} ms, not at the 10 s poll`);
  });
});
