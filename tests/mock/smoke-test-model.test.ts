import { strict as assert } from 'node:assert';
import { ensureBuilt } from '../../scripts/agent/build-once';
import { type FakeModelServer, startFakeModelServer } from './fake-model-server';
import { runMockScenario } from './mock-scenario';

describe('MockTestRunner: SmokeTestModel', function () {
  this.timeout(60_000);
  let server: FakeModelServer;
  before(async () => {
    await ensureBuilt();
    server = await startFakeModelServer();
  });
  after(() => server.stop());

  it('smoke-tests a local KServe v1 model, sets its latency outputs and publishes JUnit results', async () => {
    const runner = await runMockScenario({
      task: 'SmokeTestModelV1',
      inputs: {
        url: server.url,
        protocol: 'kserveV1',
        modelName: 'iris',
        authentication: 'none',
        requestBody: '{"instances": [[6.8, 2.8, 4.8, 1.4]]}',
        expectedStatus: '200',
        readinessTimeoutInSeconds: '30',
        warmupRequests: '1',
        requests: '3',
        concurrency: '1',
        maxErrorRate: '0',
        publishTestResults: 'true',
      },
    });
    assert.equal(runner.succeeded, true, runner.stdout);
    assert.deepEqual(runner.errorIssues, []);
    assert.match(runner.stdout, /##vso\[task\.setvariable variable=latencyP50Ms;isOutput=true;/);
    assert.match(runner.stdout, /##vso\[task\.setvariable variable=successRate;isOutput=true;[^\]]*\]1/);
    assert.match(runner.stdout, /##vso\[results\.publish type=JUnit;/);
  });

  it('fails, naming the status, when the model rejects every request', async () => {
    const runner = await runMockScenario({
      task: 'SmokeTestModelV1',
      inputs: { url: server.url, protocol: 'kserveV1', modelName: 'iris', authentication: 'none', requestBody: '{"rows": []}', readinessTimeoutInSeconds: '30', requests: '2', publishTestResults: 'false' },
    });
    assert.equal(runner.failed, true, runner.stdout);
    assert.equal(runner.errorIssues.length, 1, runner.stdout);
    assert.match(runner.errorIssues[0] ?? '', /400/);
  });
});
