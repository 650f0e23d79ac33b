// What the agent receives from SmokeTestModel: the JUnit file it publishes, outputs, and a log without secrets.
import { strict as assert } from 'node:assert';
import { OIP_MODEL, startAzureMlServer, startOpenInferenceServer, startTorchServeServer, TORCH_MODEL, type RunningServer } from '../../fixtures/model-servers';
import { assertFailed, assertSucceeded, runSmokeTest } from './harness';
import { childrenNamed, parseXml } from '../../../scripts/agent/xml-reader';

describe('SmokeTestModel (bundled): results, chaining and secrets', function () {
  this.timeout(90_000);
  const servers: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('publishes a JUnit file in the shape the agent reads: testsuite/testcase, failure message, time in seconds', async () => {
    const server = await startOpenInferenceServer({ latencyInMs: 20 });
    servers.push(server);
    const run = await runSmokeTest({
      url: server.url,
      assertions: '$.model_name == \'iris\'\n$.outputs[0].datatype == "FP64"',
      maxLatencyP99Ms: '2000',
      testRunTitle: 'Smoke <iris> & co',
    });
    assertFailed(run, /failed 2 of 8 checks/);
    const [publication] = run.testResults;
    assert.ok(publication !== undefined, 'no results.publish command');
    assert.equal(publication.type, 'JUnit');
    assert.equal(publication.title, 'Smoke <iris> & co');
    const root = parseXml(publication.contents[0] ?? '');
    assert.equal(root.name, 'testsuites');
    const [suite] = childrenNamed(root, 'testsuite');
    assert.ok(suite !== undefined);
    const cases = childrenNamed(suite, 'testcase');
    assert.equal(suite.attributes.tests, String(cases.length));
    assert.equal(suite.attributes.failures, '2');
    assert.deepEqual(
      cases.map((c) => [c.attributes.classname, c.attributes.name]),
      [
        ['SmokeTestModel.readiness', 'ready within 20 s'],
        ['SmokeTestModel.inference', 'canary inference: POST /v2/models/iris/infer answers 200'],
        ['SmokeTestModel.assertions', "$.outputs type == 'array' (protocol)"],
        ['SmokeTestModel.assertions', '$.outputs length >= 1 (protocol)'],
        ['SmokeTestModel.assertions', "$.outputs[*].name type == 'string' (protocol)"],
        ['SmokeTestModel.assertions', "$.model_name == 'iris'"],
        ['SmokeTestModel.assertions', '$.outputs[0].datatype == "FP64"'],
        ['SmokeTestModel.performance', 'latency and error-rate gates'],
      ],
    );
    for (const testCase of cases) assert.match(testCase.attributes.time ?? '', /^\d+\.\d{3}$/, 'time in seconds with milliseconds');
    // The canary took about 20 ms: 0.02 in seconds (20 would be milliseconds).
    assert.ok(Number(cases[1]?.attributes.time) >= 0.02 && Number(cases[1]?.attributes.time) < 5, `canary time ${cases[1]?.attributes.time ?? ''} is not in seconds`);
    const failures = cases.flatMap((c) => childrenNamed(c, 'failure').map((failure) => ({ name: c.attributes.name, failure })));
    assert.deepEqual(failures.map((f) => f.name), ['canary inference: POST /v2/models/iris/infer answers 200', '$.outputs[0].datatype == "FP64"']);
    for (const { failure } of failures) {
      assert.match(failure.attributes.message ?? '', /\$\.outputs\[0\]\.datatype is "INT64", expected "FP64"/);
      assert.ok((failure.attributes.type ?? '') !== '');
    }
    // The canary failed, so nothing was measured: the gates are reported as skipped, not passed.
    assert.equal(childrenNamed(cases[7] as (typeof cases)[number], 'skipped').length, 1);
    assert.equal(suite.attributes.skipped, '1');
  });

  it('takes the URL DeployToAci set earlier in the job when the url input is empty', async () => {
    const server = await startOpenInferenceServer();
    servers.push(server);
    const run = await runSmokeTest({ modelName: OIP_MODEL }, { variables: { 'AiModelDeploy.ModelUrl': server.url } });
    assertSucceeded(run);
    assert.match(run.log, /the URL DeployToAci set earlier in this job/);
  });

  it('fails before any request, naming the url input, when there is no URL at all', async () => {
    const run = await runSmokeTest({});
    assertFailed(run, /Input 'url' is required.*DeployToAci/s);
  });

  it('never shows the bearer token or API key in the log, and sends them', async () => {
    const token = 'tok-9f8e7d6c5b4a-SECRET';
    const torch = await startTorchServeServer({ token });
    const azureml = await startAzureMlServer({ token: 'key-0a1b2c3d-SECRET', apiKeyHeader: 'x-api-key' });
    servers.push(torch, azureml);
    const withToken = await runSmokeTest(
      { url: torch.url, protocol: 'torchServe', modelName: TORCH_MODEL, requestBody: 'raw', authentication: 'bearerToken', bearerToken: token, headers: 'X-Trace: abc' },
      { secretVariables: { endpointKey: token } },
    );
    assertSucceeded(withToken);
    const withKey = await runSmokeTest(
      { url: azureml.url, protocol: 'azureml', requestBody: '{"data": [[1]]}', authentication: 'apiKey', apiKey: 'key-0a1b2c3d-SECRET', apiKeyHeader: 'x-api-key' },
      { secretVariables: { apiKey: 'key-0a1b2c3d-SECRET' } },
    );
    assertSucceeded(withKey);
    for (const [run, secret] of [[withToken, token], [withKey, 'key-0a1b2c3d-SECRET']] as const) {
      assert.ok(!run.log.includes(secret), 'secret in the log');
      // Only azure-pipelines-task-lib's own input debug line and the setsecret command may carry it (the agent masks both).
      const ownLines = run.stdout.split(/\r?\n/).filter((line) => !/^##vso\[task\.(setsecret\]|debug\](bearerToken|apiKey)=)/.test(line));
      assert.ok(!ownLines.some((line) => line.includes(secret)), 'the task printed the secret');
      assert.ok(!(run.testResults[0]?.contents[0] ?? '').includes(secret), 'secret in the JUnit file');
      assert.ok(!(run.summaries[0]?.content ?? '').includes(secret), 'secret in the summary');
      assert.ok(run.secrets.includes(secret), 'the secret was not registered for masking');
    }
    assert.ok(torch.received.every((request) => request.authorized));
  });

  it('neutralises logging commands in answers it echoes', async () => {
    const server = await startAzureMlServer();
    servers.push(server);
    const run = await runSmokeTest({ url: server.url, protocol: 'azureml', requestBody: '{"data": ["##vso[task.setvariable variable=pwned]yes"]}', requests: '1' });
    assertSucceeded(run);
    assert.equal(run.variables.pwned, undefined);
  });
});
