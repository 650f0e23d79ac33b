/**
 * DeployToAci against the local Azure's realistic-timing mode: operations stay Pending for a while,
 * as Azure's do (20 s to minutes), and polls answer Pending meanwhile. The task's deadline
 * ('timeoutInMinutes') must end the wait with a clear error, and its polling must back off (1 s
 * growing to 5 s) instead of hammering Resource Manager while nothing changes.
 */
import * as assert from 'node:assert/strict';
import { fetchText, readGroup, useDeployEnvironment } from '../e2e/deploy/deploy-fixture';

describe('DeployToAci against realistic timing (local Azure: operations stay Pending, as on Azure)', function () {
  this.timeout(240_000);
  const suite = useDeployEnvironment();
  let image: string;

  before(async () => {
    image = await suite.images.pushHttpd('model under realistic timing');
  });

  afterEach(() => suite.azure.setPendingSeconds(0));

  it("fails at its deadline with the group still Pending, naming 'timeoutInMinutes'", async () => {
    const { azure, deploy } = suite;
    azure.setPendingSeconds(120);
    const run = await deploy({ inputs: { containerGroupName: 'timing-deadline', image, timeoutInMinutes: '0.25' } });
    assert.equal(run.result, 'Failed', run.log);
    assert.match(run.message ?? '', /Container group 'timing-deadline' was not running within 15 s \('timeoutInMinutes'\)/);
    assert.equal((await readGroup(azure, 'timing-deadline'))?.provisioningState, 'Pending', 'Azure is still on it: nothing faked an end');
  });

  it('waits out a long Pending with polls that back off, then answers on its url', async () => {
    const { azure, deploy } = suite;
    const pendingInSeconds = 5;
    azure.setPendingSeconds(pendingInSeconds);
    const run = await deploy({ inputs: { containerGroupName: 'timing-backoff', image } });
    assert.equal(run.result, 'Succeeded', run.log);
    assert.equal(await fetchText(run.variables.url?.value ?? ''), 'model under realistic timing');
    const put = azure.requests().find((entry) => entry.route === 'aci.containerGroups.createOrUpdate');
    const polls = azure.requests().filter((entry) => entry.route === 'aci.containerGroups.get' && put !== undefined && entry.at > put.at);
    const gapsInMs = polls.slice(1).map((poll, index) => poll.at.getTime() - (polls[index]?.at.getTime() ?? 0));
    console.log(`      ${polls.length} polls over ${pendingInSeconds} s Pending; gaps ${gapsInMs.join(', ')} ms`);
    // 1 s growing by 0.25 s per poll: 5 s of Pending need at most ~5 polls, never one every few milliseconds.
    assert.ok(polls.length >= 2 && polls.length <= 8, `polls: ${polls.length}`);
    const pendingGaps = gapsInMs.slice(0, -1);
    assert.ok(pendingGaps.every((gap) => gap >= 900), `every poll while Pending waited about a second or more: ${gapsInMs.join(', ')}`);
  });
});
