// SmokeTestModel, bundled and run as the agent runs it, against a local server per protocol preset.
import { strict as assert } from 'node:assert';
import {
  OIP_MODEL, TF_MODEL, TORCH_MODEL, type RunningServer, type ServerKnobs,
  startAzureMlServer, startHttpServer, startKserveV1Server, startMlflowServer, startOpenAiServer, startOpenInferenceServer, startTfServingServer, startTorchServeServer,
} from '../../fixtures/model-servers';
import { assertFailed, assertSucceeded, runSmokeTest } from './harness';

interface PresetCase {
  readonly title: string;
  readonly start: (knobs?: ServerKnobs) => Promise<RunningServer>;
  readonly inputs: Record<string, string>;
  readonly detected: string;
  /** An assertion the correct server satisfies and the wrong-answer server does not. */
  readonly assertion: string;
}

const CASES: PresetCase[] = [
  { title: 'Open Inference Protocol v2 (auto, request built from metadata)', start: startOpenInferenceServer, inputs: {}, detected: 'openInference', assertion: '$.outputs[0].data[0] in [0, 1, 2]' },
  { title: 'KServe V1 (auto)', start: startKserveV1Server, inputs: { requestBody: '{"instances": [[6.8, 2.8, 4.8, 1.4]]}' }, detected: 'kserveV1', assertion: '$.predictions[0] in [0, 1, 2]' },
  { title: 'TensorFlow Serving (auto, request built from metadata)', start: startTfServingServer, inputs: { modelName: TF_MODEL }, detected: 'tfServing', assertion: '$.outputs[0][0] == 2.5' },
  { title: 'TorchServe (raw body)', start: startTorchServeServer, inputs: { protocol: 'torchServe', modelName: TORCH_MODEL, requestBody: 'not json: image bytes' }, detected: 'torchServe', assertion: '$.tabby > 0.4' },
  { title: 'MLflow (auto)', start: startMlflowServer, inputs: { requestBody: '{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]]}}' }, detected: 'mlflow', assertion: "$.predictions[*] type == 'number'" },
  { title: 'Azure ML (auto)', start: startAzureMlServer, inputs: { requestBody: '{"data": [[1, 2, 3, 4]]}' }, detected: 'azureml', assertion: '$[0] == 1' },
  { title: 'OpenAI-compatible (auto, default chat request)', start: startOpenAiServer, inputs: {}, detected: 'openai', assertion: '$.choices[0].message.content matches /\\w+/' },
  {
    title: 'generic HTTP',
    start: startHttpServer,
    inputs: { protocol: 'http', readinessPath: '/healthz', requestPath: '/predict', requestBody: '{"text": "great"}' },
    detected: 'http',
    assertion: "$.label == 'positive'",
  },
];

describe('SmokeTestModel (bundled) against a local server per protocol', function () {
  this.timeout(90_000);
  const servers: RunningServer[] = [];
  const start = async (preset: PresetCase, knobs?: ServerKnobs): Promise<RunningServer> => {
    const server = await preset.start(knobs);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  for (const preset of CASES) {
    describe(preset.title, () => {
      it('passes on a correct server that takes a while to get ready, publishing results and outputs', async () => {
        const server = await start(preset, { notReadyProbes: 2 });
        const run = await runSmokeTest({ url: server.url, assertions: preset.assertion, ...preset.inputs });
        assertSucceeded(run);
        assert.equal(run.variables.protocol?.value, preset.detected);
        assert.equal(run.variables.successRate?.value, '1');
        assert.match(run.variables.latencyP95Ms?.value ?? '', /^\d+(\.\d)?$/);
        assert.equal(run.testResults.length, 1);
        assert.equal(run.summaries.length, 1);
        assert.ok(server.inferences() >= 1 + 1 + 5, `expected canary + warm-up + 5 requests, got ${server.inferences()}`);
      });

      it('fails with the assertion and what was found when the answer is wrong', async () => {
        const server = await start(preset, { wrongAnswer: true });
        const run = await runSmokeTest({ url: server.url, assertions: preset.assertion, ...preset.inputs });
        assertFailed(run, /canary answer is not what was expected|did not hold/);
        assert.ok((run.message ?? '').includes(preset.assertion.slice(0, 12)), run.message);
      });
    });
  }

  it('waits out Triton answering 400 while the model loads', async () => {
    const server = await start(CASES[0] as PresetCase, { notReadyProbes: 4 });
    const run = await runSmokeTest({ url: server.url, protocol: 'openInference', modelName: OIP_MODEL });
    assertSucceeded(run);
    assert.match(run.log, /still loading \(400\)|not ready yet \(400\)/);
  });

  it('fails on an assertion that does not hold, naming it', async () => {
    const server = await start(CASES[0] as PresetCase);
    const run = await runSmokeTest({ url: server.url, assertions: '$.outputs[0].shape == [1, 3]' });
    assertFailed(run, /\$\.outputs\[0\]\.shape == \[1, 3\].*\$\.outputs\[0\]\.shape is \[1\], expected \[1,3\]/s);
  });

  it('fails when a latency gate is exceeded, with the measured and allowed values', async () => {
    const server = await start(CASES[1] as PresetCase, { latencyInMs: 25 });
    const run = await runSmokeTest({ url: server.url, requestBody: '{"instances": [[1, 2, 3, 4]]}', maxLatencyP95Ms: '5', maxLatencyP50Ms: '1000' });
    assertFailed(run, /latency p95 was \d+(\.\d)? ms, above the limit of 5\.0 ms/);
    assert.doesNotMatch(run.message ?? '', /latency p50/);
    assert.equal(run.variables.successRate?.value, '1');
  });

  it('fails at once on 401, saying how to authenticate', async () => {
    const server = await start(CASES[5] as PresetCase, { token: 'azureml-endpoint-key-1234' });
    const run = await runSmokeTest({ url: server.url, protocol: 'azureml', requestBody: '{"data": [[1]]}', readinessTimeoutInSeconds: '600' });
    assertFailed(run, /401 Unauthorized.*bearerToken/s);
    assert.equal(server.received.length, 1, 'a 401 must not be retried');
  });

  it('fails at the readiness deadline with the last not-ready answer when the server never gets ready', async () => {
    const server = await start(CASES[0] as PresetCase, { neverReady: true });
    const run = await runSmokeTest({ url: server.url, protocol: 'openInference', modelName: OIP_MODEL, readinessTimeoutInSeconds: '2' });
    assertFailed(run, /was not ready within 2 s \('readinessTimeoutInSeconds'\).*server ready \(GET \/v2\/health\/ready\) still said: the server is not ready yet \(400\)/s);
    assert.equal(server.inferences(), 0);
    const junit = run.testResults[0]?.contents[0] ?? '';
    assert.match(junit, /<testcase classname="SmokeTestModel.readiness" name="ready within 2 s"[^>]*>\s*<failure message="The model at/);
  });

  it('fails clearly when nothing listens at the URL (connection refused until the deadline)', async () => {
    const server = await start(CASES[0] as PresetCase);
    const url = server.url;
    await server.close();
    const run = await runSmokeTest({ url, readinessTimeoutInSeconds: '1' });
    assertFailed(run, /not ready within 1 s.*connection refused/s);
  });
});
