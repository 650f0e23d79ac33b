/**
 * DeployToAci against a throttled or briefly failing Resource Manager (the local Azure's fault
 * injection): it still deploys, retrying a bounded number of times and honouring Retry-After; a
 * Resource Manager that keeps failing, an operation that ends Failed and an image that cannot be
 * pulled fail with a message that says so.
 */
import * as assert from 'node:assert/strict';
import { armRequests, fetchText, readGroup, useDeployEnvironment } from '../e2e/deploy/deploy-fixture';

describe('DeployToAci reliability (local Azure with injected faults)', function () {
  this.timeout(240_000);
  const suite = useDeployEnvironment();
  let image: string;

  before(async () => {
    image = await suite.images.pushHttpd('reliable model');
  });

  it('deploys through 429 throttling, honouring Retry-After', async () => {
    const { azure, deploy } = suite;
    azure.faults.addHttpFault({ route: 'aci.containerGroups.createOrUpdate', kind: 'status', status: 429, retryAfterInSeconds: 1, count: 2 });
    azure.faults.addHttpFault({ route: 'aci.containerGroups.get', kind: 'status', status: 429, retryAfterInSeconds: 1, count: 1 });
    const started = Date.now();
    const run = await deploy({ inputs: { containerGroupName: 'rel-throttled', image } });
    assert.equal(run.exitCode, 0, run.log);
    assert.equal(await fetchText(run.variables.url?.value ?? ''), 'reliable model');
    const puts = armRequests(azure).filter((r) => r.route === 'aci.containerGroups.createOrUpdate');
    assert.deepEqual(puts.map((r) => r.status), [429, 429, 201]);
    assert.match(run.log, /HTTP 429.*retrying in 1 s \(attempt 2 of 6\)/);
    assert.ok(Date.now() - started >= 3000, 'the Retry-After of 1 s was not honoured three times');
  });

  it('deploys through 500, 503 and connection resets', async () => {
    const { azure, deploy } = suite;
    azure.faults.addHttpFault({ route: 'aci.containerGroups.get', kind: 'status', status: 500, count: 1 });
    azure.faults.addHttpFault({ route: 'aci.location.listCapabilities', kind: 'status', status: 503, retryAfterInSeconds: 0, count: 1 });
    azure.faults.addHttpFault({ route: 'aci.containerGroups.createOrUpdate', kind: 'reset', count: 1 });
    const run = await deploy({ inputs: { containerGroupName: 'rel-flaky', image } });
    assert.equal(run.exitCode, 0, run.log);
    const faulted = azure.requests().filter((e) => e.fault !== undefined).map((e) => `${e.route} ${e.fault ?? ''}`);
    assert.deepEqual(faulted.sort(), ['aci.containerGroups.createOrUpdate reset', 'aci.containerGroups.get status 500', 'aci.location.listCapabilities status 503']);
    assert.equal((await readGroup(azure, 'rel-flaky'))?.provisioningState, 'Succeeded');
  });

  it('gives up after a bounded number of attempts when Resource Manager keeps failing', async () => {
    const { azure, deploy } = suite;
    azure.faults.addHttpFault({ route: 'aci.containerGroups.createOrUpdate', kind: 'status', status: 503, retryAfterInSeconds: 0 });
    const run = await deploy({ inputs: { containerGroupName: 'rel-down', image } });
    assert.equal(run.result, 'Failed');
    assert.match(run.message ?? '', /Creating or updating container group 'rel-down'.* failed: Azure answered HTTP 503 \(ServiceUnavailable\) on PUT https:\/\/\S+\/containerGroups\/rel-down .*retry later/);
    assert.equal(armRequests(azure).filter((r) => r.route === 'aci.containerGroups.createOrUpdate').length, 6);
  });

  it('explains an operation that ends Failed', async () => {
    const { azure, deploy } = suite;
    azure.faults.addScenarioFault({ kind: 'operationFailed', containerGroupName: 'rel-opfail' });
    const run = await deploy({ inputs: { containerGroupName: 'rel-opfail', image } });
    assert.equal(run.result, 'Failed', run.log);
    assert.match(run.message ?? '', /Provisioning of container group 'rel-opfail' failed|rel-opfail/);
    assert.match(run.log, /Events and logs of container group rel-opfail/);
  });

  it('explains an image that cannot be pulled', async () => {
    const { azure, deploy } = suite;
    azure.faults.addScenarioFault({ kind: 'imagePullFails', containerGroupName: 'rel-pull' });
    const run = await deploy({ inputs: { containerGroupName: 'rel-pull', image } });
    assert.equal(run.result, 'Failed', run.log);
    assert.match(run.message ?? '', /InaccessibleImage.*registryAuth/);
  });

  it('fails a container that crashes (scenario fault) with its state and log', async () => {
    const { azure, deploy } = suite;
    azure.faults.addScenarioFault({ kind: 'containerCrash', containerGroupName: 'rel-crash' });
    const run = await deploy({ inputs: { containerGroupName: 'rel-crash', image, timeoutInMinutes: '2' } });
    assert.equal(run.result, 'Failed', run.log);
    assert.match(run.message ?? '', /Container 'rel-crash' (keeps crashing|terminated|restarted)/);
    assert.match(run.log, /Last \d+ log line\(s\) of rel-crash|Log of rel-crash/);
  });
});
