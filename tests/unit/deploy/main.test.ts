import * as assert from 'node:assert/strict';
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { TaskError } from '../../../tasks/common/errors';
import type { SetVariableOptions } from '../../../tasks/common/task-runtime';
import { CHAINED_VARIABLE } from '../../../tasks/common/chained-variables';
import { type DeployDeps, main } from '../../../tasks/DeployToAciV1/src/main';
import { TAG } from '../../../tasks/DeployToAciV1/src/plan';
import { armFailure } from '../../../tasks/DeployToAciV1/src/arm-errors';
import { DIGEST, inputsOf, recordingLog } from './fixtures';
import { type FakeAci, fakeAci, fakeClock, fakeReachability, withState } from './fakes';

interface Harness {
  deps: DeployDeps;
  aci: FakeAci;
  log: ReturnType<typeof recordingLog>;
  variables: Map<string, { value: string; options?: SetVariableOptions }>;
  summaries: string[];
  registryCalls: string[];
}

function harness(aci: FakeAci = fakeAci(), scheme = 'ServicePrincipalKey'): Harness {
  const log = recordingLog();
  const variables = new Map<string, { value: string; options?: SetVariableOptions }>();
  const summaries: string[] = [];
  const registryCalls: string[] = [];
  const deps: DeployDeps = {
    log,
    clock: fakeClock(),
    aci,
    reachability: fakeReachability(),
    connection: { scheme, clientId: 'app-id', secret: 'sp-secret' },
    registries: () =>
      Promise.resolve({
        find: (server: string) => {
          registryCalls.push(`find ${server}`);
          return Promise.resolve({ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry', name: 'myregistry', resourceGroup: 'rg', loginServer: 'myregistry.azurecr.io', adminUserEnabled: true });
        },
        adminCredentials: () => {
          registryCalls.push('admin');
          return Promise.resolve({ username: 'myregistry', password: 'admin-pw' });
        },
      }),
    dockerRegistry: () => ({ registry: 'myregistry.azurecr.io', username: 'u', password: 'docker-pw' }),
    setVariable: (name, value, options) => variables.set(name, { value, ...(options ? { options } : {}) }),
    addSummary: (_title, markdown) => summaries.push(markdown),
    newSalt: () => '0123456789abcdef0123456789abcdef',
  };
  return { deps, aci, log, variables, summaries, registryCalls };
}

describe('DeployToAci main', () => {
  it('goes on without the capabilities pre-check when the identity may not read them (403 at subscription scope)', async () => {
    const aci = fakeAci();
    aci.capabilities = () => {
      const refused = Object.assign(new Error('refused'), {
        statusCode: 403,
        response: { headers: { get: () => undefined }, bodyAsText: JSON.stringify({ error: { code: 'AuthorizationFailed', message: 'no access' } }) },
      });
      return Promise.reject(armFailure("Reading the capabilities of location 'westeurope'", refused));
    };
    const h = harness(aci);
    await main(inputsOf({}).inputs, h.deps);
    assert.ok(h.aci.puts.length === 1, 'the group was still created');
    assert.ok(h.log.lines.some((l) => /Not allowed to read the capabilities of location 'westeurope'/.test(l)));
  });

  it('creates a new group, waits until it runs and publishes the url', async () => {
    const h = harness();
    await main(inputsOf({ dnsNameLabel: 'sentiment-prod' }).inputs, h.deps);
    assert.deepEqual(h.aci.calls.slice(0, 4), ['get sentiment', 'resourceGroup rg-models', 'capabilities westeurope', 'put sentiment']);
    const put = h.aci.puts[0];
    assert.equal(put?.location, 'westeurope');
    assert.deepEqual(put?.imageRegistryCredentials, [{ server: 'myregistry.azurecr.io', username: 'app-id', password: 'sp-secret' }]);
    assert.ok(put?.tags?.[TAG.credentialsHash]?.startsWith('scrypt1.'));
    assert.equal(h.variables.get('url')?.value, 'http://127.0.0.9:80', 'the fqdn does not resolve here, so the IP is used');
    assert.deepEqual(h.variables.get('url')?.options, { isOutput: true });
    assert.equal(h.variables.get(CHAINED_VARIABLE.modelUrl)?.value, 'http://127.0.0.9:80');
    assert.equal(h.variables.get(CHAINED_VARIABLE.modelUrl)?.options, undefined);
    assert.equal(h.variables.get('state')?.value, 'Running');
    assert.equal(h.variables.get('imageDigest')?.value, DIGEST);
    assert.equal(h.variables.get('fqdn')?.value, 'sentiment-prod.westeurope.azurecontainer.io');
    assert.match(h.summaries[0] ?? '', /\| Action \| created \|/);
    assert.ok(h.log.lines.some((l) => /does not resolve from this agent/.test(l)));
    assert.ok(!h.log.lines.join('\n').includes('sp-secret'));
  });

  it('uses the DNS name in the url when it resolves', async () => {
    const h = harness();
    h.deps.reachability = fakeReachability({ resolves: () => Promise.resolve(true) });
    await main(inputsOf({ dnsNameLabel: 'sentiment-prod', ports: '8080' }).inputs, h.deps);
    assert.equal(h.variables.get('url')?.value, 'http://sentiment-prod.westeurope.azurecontainer.io:8080');
  });

  it('does not PUT an unchanged group and keeps its restart history', async () => {
    const h = harness();
    const inputs = inputsOf({ secureEnvironmentVariables: 'KEY=v' }).inputs;
    await main(inputs, h.deps);
    const created = h.aci.groups.get('sentiment') as ContainerGroup;
    h.aci.groups.set('sentiment', withState(created, 'Succeeded', 'Running', { restartCount: 4, previousState: { state: 'Terminated', exitCode: 1 } }));
    h.aci.calls.length = 0;
    await main(inputs, h.deps);
    // One read: the group just read is the first poll, and its resources prove the location's capabilities.
    assert.deepEqual(h.aci.calls, ['get sentiment']);
    assert.ok(h.log.lines.some((l) => /nothing to change, nothing restarted/.test(l)));
    assert.match(h.summaries[1] ?? '', /unchanged \(nothing restarted\)/);
  });

  it('updates in place when the image changes', async () => {
    const h = harness();
    await main(inputsOf().inputs, h.deps);
    h.aci.calls.length = 0;
    await main(inputsOf({ image: `myregistry.azurecr.io/models/sentiment@sha256:${'c'.repeat(64)}` }).inputs, h.deps);
    assert.equal(h.aci.puts.length, 2);
    assert.ok(!h.aci.calls.some((call) => call.startsWith('capabilities')), 'same resources in the same location: no capabilities read');
    assert.ok(h.log.lines.some((l) => /Updating container group 'sentiment' in place: containers\[sentiment\]\.image/.test(l)));
  });

  it('fails a cpu change in update mode with the property list, before changing anything', async () => {
    const h = harness();
    await main(inputsOf().inputs, h.deps);
    h.aci.calls.length = 0;
    await assert.rejects(main(inputsOf({ cpu: '2' }).inputs, h.deps), /containers\[sentiment\]\.cpu: 1 -> 2/);
    assert.ok(!h.aci.calls.some((c) => c.startsWith('put') || c.startsWith('delete')));
  });

  it('deletes and recreates in recreateIfRequired mode, with a warning about the downtime', async () => {
    const h = harness();
    await main(inputsOf().inputs, h.deps);
    h.aci.calls.length = 0;
    await main(inputsOf({ cpu: '2', updateMode: 'recreateIfRequired' }).inputs, h.deps);
    assert.deepEqual(h.aci.calls.filter((c) => /^(put|delete)/.test(c)), ['delete sentiment', 'put sentiment']);
    assert.ok(h.log.warnings.some((w) => /down until the new group runs/.test(w)));
    assert.equal(h.aci.puts[1]?.containers[0]?.resources.requests.cpu, 2);
  });

  it('fails a crashing container with its events and neutralised log lines', async () => {
    const aci = fakeAci();
    aci.onGet = (group, reads) =>
      reads >= 2
        ? withState(group, 'Succeeded', 'Waiting', { restartCount: 2, currentState: { state: 'Waiting', detailStatus: 'CrashLoopBackOff: Back-off restarting failed' }, previousState: { state: 'Terminated', exitCode: 1 } })
        : group;
    const h = harness(aci);
    await assert.rejects(main(inputsOf().inputs, h.deps), (error: Error) => {
      assert.ok(error instanceof TaskError);
      assert.match(error.message, /keeps crashing \(CrashLoopBackOff: 2 restarts, last exit code 1\)/);
      assert.match(error.message, /Last log lines: sentiment: line 1 \| sentiment: line 2/);
      assert.match(error.message, /##~vso\[/);
      return true;
    });
    const text = h.log.lines.join('\n');
    assert.match(text, /##\[group\]Events and logs of container group sentiment/);
    assert.match(text, / {2}##~vso\[task\.setvariable/);
    assert.doesNotMatch(text, /(^|[^~])##vso\[/m);
    assert.ok(h.aci.calls.includes('logs sentiment'));
  });

  it('fails at the deadline with what it was waiting for', async () => {
    const aci = fakeAci({ pollsToRun: Number.POSITIVE_INFINITY });
    const h = harness(aci);
    await assert.rejects(main(inputsOf({ timeoutInMinutes: '1' }).inputs, h.deps), /was not running within 1 minute\(s\) \('timeoutInMinutes'\): provisioning is Pending/);
    const polls = aci.calls.filter((c) => c === 'get sentiment').length;
    assert.ok(polls > 10 && polls < 40, `polled ${polls} times in one minute`);
  });

  it('waits for the readiness path when a readiness probe is set', async () => {
    const h = harness();
    let readyChecks = 0;
    h.deps.reachability = fakeReachability({ ready: () => Promise.resolve(++readyChecks >= 3) });
    await main(inputsOf({ readinessProbePath: '/v2/health/ready' }).inputs, h.deps);
    assert.equal(readyChecks, 3);
    assert.ok(h.log.lines.some((l) => /readiness path http:\/\/127\.0\.0\.9:80\/v2\/health\/ready does not answer/.test(l)));
  });

  it('uses the admin user when the connection has no secret and the admin user is enabled', async () => {
    const h = harness(fakeAci(), 'WorkloadIdentityFederation');
    await main(inputsOf().inputs, h.deps);
    assert.deepEqual(h.registryCalls, ['find myregistry.azurecr.io', 'admin']);
    assert.deepEqual(h.aci.puts[0]?.imageRegistryCredentials, [{ server: 'myregistry.azurecr.io', username: 'myregistry', password: 'admin-pw' }]);
  });

  it("redeploys unchanged with the admin user after one group read and one credential read: the registry comes from the group's tag", async () => {
    const h = harness(fakeAci(), 'WorkloadIdentityFederation');
    const inputs = inputsOf().inputs;
    await main(inputs, h.deps);
    assert.equal(h.aci.puts[0]?.tags?.[TAG.registry], '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry');
    const created = h.aci.groups.get('sentiment') as ContainerGroup;
    // ACI never returns passwords: the group as read back has the server and user name only.
    h.aci.groups.set('sentiment', withState({ ...created, imageRegistryCredentials: [{ server: 'myregistry.azurecr.io', username: 'myregistry' }] }, 'Succeeded', 'Running'));
    h.aci.calls.length = 0;
    h.registryCalls.length = 0;
    await main(inputs, h.deps);
    assert.deepEqual(h.aci.calls, ['get sentiment']);
    assert.deepEqual(h.registryCalls, ['admin'], 'no listing of the registries');
    assert.ok(h.log.lines.some((l) => /nothing to change/.test(l)), h.log.lines.join('\n'));
  });

  it("lists the registries when the group's registry tag does not name the registry whose admin user the group pulls with", async () => {
    const h = harness(fakeAci(), 'WorkloadIdentityFederation');
    const inputs = inputsOf().inputs;
    await main(inputs, h.deps);
    const created = h.aci.groups.get('sentiment') as ContainerGroup;
    // A tag naming another registry than the one whose admin user the group pulls with is not trusted.
    const tampered = { ...created, tags: { ...created.tags, [TAG.registry]: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/other' }, imageRegistryCredentials: [{ server: 'myregistry.azurecr.io', username: 'myregistry' }] };
    h.aci.groups.set('sentiment', withState(tampered, 'Succeeded', 'Running'));
    h.registryCalls.length = 0;
    await main(inputs, h.deps);
    assert.deepEqual(h.registryCalls, ['find myregistry.azurecr.io', 'admin']);
  });

  it('does not wait when waitForReady is false', async () => {
    const aci = fakeAci({ pollsToRun: Number.POSITIVE_INFINITY });
    const h = harness(aci);
    await main(inputsOf({ waitForReady: 'false' }).inputs, h.deps);
    assert.equal(h.variables.get('state')?.value, 'Pending');
  });
});
