import { strict as assert } from 'node:assert';
import { ensureBuilt } from '../../../scripts/agent/build-once';
import { runJob } from '../../../scripts/agent/job';
import { runBundledTask } from '../../../scripts/agent/run-task';
import { type FakeModelServer, startFakeModelServer } from '../../mock/fake-model-server';

const TOKEN = 'model-token-5f0c1e9a';

/** The local agent harness, end to end, with a real bundled task and a local model server. */
describe('local agent harness', function () {
  this.timeout(120_000);
  let server: FakeModelServer;
  before(async () => {
    await ensureBuilt();
    server = await startFakeModelServer();
  });
  after(() => server.stop());

  const smokeInputs = (): Record<string, string> => ({
    url: server.url,
    protocol: 'kserveV1',
    modelName: 'iris',
    authentication: 'bearerToken',
    bearerToken: '$(modelToken)',
    requestBody: '{"instances": [[6.8, 2.8, 4.8, 1.4]]}',
    requests: '3',
    readinessTimeoutInSeconds: '30',
  });

  it('returns the result, output variables, test results and a log with every secret masked', async () => {
    const shown: string[] = [];
    const run = await runBundledTask({
      task: 'SmokeTestModelV1',
      inputs: smokeInputs(),
      secretVariables: { modelToken: TOKEN },
      variables: { 'system.debug': 'true' },
      onLine: (line) => shown.push(line),
    });
    assert.equal(run.exitCode, 0, run.log);
    assert.equal(run.result, 'Succeeded', run.log);
    // The Node of the handler the agent picks: Node 20, or Node 24 when the agent is asked (the Node 24 test pass).
    const expectedMajor = (process.env.AGENT_USE_NODE24_WITH_HANDLER_DATA ?? '').toLowerCase() === 'true' ? 'v24.' : 'v20.';
    assert.ok(run.node.version.startsWith(expectedMajor), `ran on ${run.node.version} (${run.node.handler})`);
    assert.equal(run.variables.latencyP50Ms?.isOutput, true);
    assert.equal(run.variables.successRate?.value, '1');
    assert.equal(run.testResults[0]?.type, 'JUnit');
    assert.match(run.testResults[0]?.contents[0] ?? '', /<testsuite/);
    assert.ok(run.secrets.includes(TOKEN));
    assert.match(run.log, /##\[debug\]/, 'system.debug shows debug lines');
    assert.ok(!run.log.includes(TOKEN), 'the token appears in the log');
    assert.ok(!shown.join('\n').includes(TOKEN), 'the token appears in a shown line');
    assert.deepEqual(run.issues.filter((issue) => issue.type === 'error'), []);
  });

  it('runs a job: later steps see earlier output variables as $(step.name), secrets stay masked across steps', async () => {
    const job = await runJob(
      [
        { name: 'smoke', task: 'SmokeTestModelV1', inputs: smokeInputs() },
        { name: 'again', task: 'SmokeTestModelV1', inputs: { ...smokeInputs(), testRunTitle: 'after $(smoke.successRate) of $(smoke.protocol)' } },
      ],
      { secretVariables: { modelToken: TOKEN } },
    );
    assert.equal(job.result, 'Succeeded', job.log);
    assert.equal(job.steps[1]?.inputs.testRunTitle, 'after 1 of kserveV1');
    assert.equal(job.steps[1]?.run?.testResults[0]?.title, 'after 1 of kserveV1');
    assert.equal(job.variables['smoke.successRate'], '1');
    assert.match(job.log, /##\[section\]Starting: again/);
    assert.ok(!job.log.includes(TOKEN));
  });

  it('skips later steps after a failure, as a job does', async () => {
    const job = await runJob([
      { name: 'broken', task: 'SmokeTestModelV1', inputs: { protocol: 'kserveV1' } },
      { name: 'next', task: 'SmokeTestModelV1', inputs: smokeInputs() },
    ]);
    assert.equal(job.result, 'Failed');
    assert.equal(job.steps[0]?.run?.result, 'Failed');
    assert.equal(job.steps[1]?.skipped, true);
  });
});
