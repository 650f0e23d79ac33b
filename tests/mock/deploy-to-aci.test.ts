import { strict as assert } from 'node:assert';
import { ensureBuilt } from '../../scripts/agent/build-once';
import { publishProfileConnection, runMockScenario } from './mock-scenario';

describe('MockTestRunner: DeployToAci', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  it('reads every input, then fails on a service connection whose scheme it does not support, before any call to Azure', async () => {
    const runner = await runMockScenario({
      task: 'DeployToAciV1',
      inputs: {
        azureSubscription: 'publish-profile-connection',
        resourceGroup: 'rg-models',
        location: 'westeurope',
        containerGroupName: 'iris',
        image: 'myregistry.azurecr.io/models/iris:1',
        cpu: '1',
        memoryInGB: '1.5',
        ports: '8080',
      },
      connections: [publishProfileConnection('publish-profile-connection')],
    });
    assert.equal(runner.failed, true, runner.stdout);
    assert.equal(runner.errorIssues.length, 1, runner.stdout);
    assert.match(runner.errorIssues[0] ?? '', /'publish-profile-connection' \(input 'azureSubscription'\) uses the authentication scheme 'PublishProfile'/);
  });

  it("rejects 'yes' for a boolean input, naming the input, what it got and what it accepts", async () => {
    const runner = await runMockScenario({
      task: 'DeployToAciV1',
      inputs: { azureSubscription: 'c', resourceGroup: 'rg', containerGroupName: 'iris', image: 'r.azurecr.io/m:1', ports: '80', waitForReady: 'yes' },
    });
    assert.equal(runner.failed, true, runner.stdout);
    assert.deepEqual(runner.errorIssues, ["Input 'waitForReady' must be 'true' or 'false'; got 'yes'."]);
  });
});
