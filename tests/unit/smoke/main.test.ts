import { strict as assert } from 'node:assert';
import type { Clock } from '../../../tasks/common/deadline';
import { fakeClock } from '../../support/fake-clock';
import { TaskError } from '../../../tasks/common/errors';
import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import { LineNeutraliser } from '../../../tasks/common/neutralise';
import type { TaskLog, TestResultsPublication } from '../../../tasks/common/task-runtime';
import { createAuthHeaders } from '../../../tasks/SmokeTestModelV1/src/auth';
import { createHttpClient } from '../../../tasks/SmokeTestModelV1/src/http-client';
import { readInputs, type InputName } from '../../../tasks/SmokeTestModelV1/src/inputs';
import { main } from '../../../tasks/SmokeTestModelV1/src/main';
import { OIP_MODEL, startOpenInferenceServer, startOpenAiServer, type RunningServer, type ServerKnobs } from '../../fixtures/model-servers';


interface Captured {
  lines: string[];
  published: TestResultsPublication[];
  files: Map<string, string>;
  variables: Map<string, string>;
  result?: string;
  message?: string;
}

async function runMain(server: RunningServer, values: Partial<Record<InputName, string>>, options: { clock?: Clock; entraToken?: string; failPublish?: boolean } = {}): Promise<Captured & { error?: unknown }> {
  const captured: Captured = { lines: [], published: [], files: new Map(), variables: new Map() };
  const clock = options.clock ?? fakeClock();
  const inputs = readInputs(inputSourceFromRecord({ url: server.url, requests: '4', ...values }), { setSecret: () => undefined });
  const log: TaskLog = {
    info: (m) => captured.lines.push(m), debug: (m) => captured.lines.push(`debug: ${m}`), warning: (m) => captured.lines.push(`warning: ${m}`),
    foreign: (t) => captured.lines.push(t), foreignStream: () => new LineNeutraliser((l) => captured.lines.push(l)), group: (_t, body) => body(),
  };
  const http = createHttpClient({ maxSockets: inputs.concurrency });
  try {
    const message = await main(inputs, {
      log, http, clock,
      auth: createAuthHeaders(inputs.authentication, { clock, entraToken: () => Promise.resolve({ token: options.entraToken ?? 'entra', expiresOnTimestamp: clock.now() + 3_600_000 }) }),
      sinks: {
        tempDirectory: '/tmp/smoke-unit',
        writeFile: (file, content) => captured.files.set(file, content),
        publishTestResults: (publication) => {
          if (options.failPublish) throw new Error('agent refused');
          captured.published.push(publication);
        },
        addSummary: () => undefined,
        setVariable: (name, value) => captured.variables.set(name, value),
      },
    });
    return { ...captured, result: 'Succeeded', message };
  } catch (error) {
    return { ...captured, error };
  } finally {
    http.close();
  }
}

/** Starts fixture servers for the tests of the calling describe block, and closes them after each. */
function useFixtureServers(): (knobs: ServerKnobs, kind?: 'oip' | 'openai') => Promise<RunningServer> {
  const servers: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (knobs, kind = 'oip') => {
    const server = kind === 'oip' ? await startOpenInferenceServer(knobs) : await startOpenAiServer(knobs);
    servers.push(server);
    return server;
  };
}

describe('SmokeTestModel main() with a zero-delay clock', function () {
  this.timeout(20_000);
  const start = useFixtureServers();

  it('fails at the readiness deadline, not later, and never sends an inference', async () => {
    const server = await start({ neverReady: true });
    const clock = fakeClock();
    const started = clock.now();
    const run = await runMain(server, { protocol: 'openInference', modelName: OIP_MODEL, readinessTimeoutInSeconds: '60' }, { clock });
    assert.ok(run.error instanceof TaskError);
    assert.match(run.error.message, /not ready within 60 s/);
    assert.ok(clock.now() - started <= 60_000, `waited ${clock.now() - started} ms, past the 60 s deadline`);
    assert.ok(clock.now() - started >= 55_000, `gave up early, after ${clock.now() - started} ms`);
    assert.equal(server.inferences(), 0);
    assert.equal(run.published.length, 1, 'results are published also when readiness fails');
    assert.deepEqual(clock.slept.slice(0, 6), [250, 500, 1000, 2000, 4000, 5000]);
  });

  it("ends readiness at the whole run's deadline when 'timeoutInMinutes' is sooner, naming it", async () => {
    const server = await start({ neverReady: true });
    const clock = fakeClock();
    const started = clock.now();
    const run = await runMain(server, { protocol: 'openInference', modelName: OIP_MODEL, readinessTimeoutInSeconds: '600', timeoutInMinutes: '0.5' }, { clock });
    assert.ok(run.error instanceof TaskError);
    assert.match(run.error.message, /not ready within 30 s \('timeoutInMinutes'\).*raise 'timeoutInMinutes'/);
    assert.ok(clock.now() - started <= 30_000, `waited ${clock.now() - started} ms, past the 30 s deadline`);
  });

  it('waits out Triton-style 400s with backoff, then measures', async () => {
    const server = await start({ notReadyProbes: 5 });
    const run = await runMain(server, {});
    assert.equal(run.error, undefined, String(run.error));
    assert.equal(run.result, 'Succeeded');
    assert.equal(server.inferences(), 1 + 1 + 4);
    assert.ok(run.variables.has('latencyP99Ms'));
  });

  it('waits out an OpenAI-compatible server loading (503) and builds a chat request for the listed model', async () => {
    const server = await start({ notReadyProbes: 3 }, 'openai');
    const run = await runMain(server, { protocol: 'openai' });
    assert.equal(run.error, undefined, String(run.error));
    assert.ok(run.lines.some((l) => /Model: 'tiny-llm'/.test(l)), run.lines.join('\n'));
  });

  it('sends the Entra ID token and never logs it', async () => {
    const server = await start({ token: 'entra-token-XYZ' });
    const run = await runMain(server, { authentication: 'entraId', azureSubscription: 'conn', warmupRequests: '0' }, { entraToken: 'entra-token-XYZ' });
    assert.equal(run.error, undefined, String(run.error));
    assert.ok(!run.lines.some((l) => l.includes('entra-token-XYZ')));
    assert.ok(![...run.files.values()].some((c) => c.includes('entra-token-XYZ')));
  });

  it('publishing results never fails the run: it becomes a warning', async () => {
    const server = await start({});
    const run = await runMain(server, {}, { failPublish: true });
    assert.equal(run.error, undefined);
    assert.equal(run.result, 'Succeeded');
    assert.ok(run.lines.some((l) => /^warning: Could not publish the test results: agent refused/.test(l)));
  });

  it('judges the measured answers after sending them: every injected 500 and no other answer counts as an error', async () => {
    const server = await start({ failEveryNthInference: 4 });
    // Inferences: the canary (1), 2 warm-up, then 12 measured (the 4th, 8th, 12th and 16th inference of the server fail: 3 of them measured).
    const run = await runMain(server, { requests: '12', concurrency: '3', warmupRequests: '2', maxErrorRate: '50%' });
    assert.equal(run.error, undefined, String(run.error));
    assert.equal(run.variables.get('successRate'), '0.75', [...run.variables].join('; '));
  });

  it('counts unexpected statuses against maxErrorRate and lists every failed check', async () => {
    const server = await start({});
    const run = await runMain(server, { expectedStatus: '201', readinessTimeoutInSeconds: '5' });
    assert.ok(run.error instanceof TaskError);
    assert.match(run.error.message, /canary inference.*the server answered 200.*\(expected 201\)/s);
  });
});

describe('SmokeTestModel main() when a refusal or another error status is expected', function () {
  this.timeout(20_000);
  const start = useFixtureServers();
  const OIP = { protocol: 'openInference', modelName: OIP_MODEL, requestBody: '{"inputs": []}' } as const;

  it('expected 401 against a server that refuses every request without the key: ready at the first refusal, every answer judged 401', async () => {
    const server = await start({ token: 'key-1' });
    const clock = fakeClock();
    const run = await runMain(server, { ...OIP, expectedStatus: '401', assertions: "$.error == 'Unauthorized'" }, { clock });
    assert.equal(run.error, undefined, `${String(run.error)}\n${run.lines.join('\n')}`);
    assert.ok(run.lines.some((l) => /Ready: server ready \(GET \/v2\/health\/ready\): the server refuses the credentials \(401 Unauthorized\), as expected\./.test(l)), run.lines.join('\n'));
    assert.deepEqual(clock.slept, [], 'nothing was waited for');
    assert.deepEqual(server.received.map((r) => `${r.method} ${r.path} ${r.authorized}`), [
      'GET /v2/health/ready false', ...Array<string>(1 + 1 + 4).fill(`POST /v2/models/${OIP_MODEL}/infer false`),
    ], 'the model layer is not waited for; canary, warm-up and 4 measured requests');
    assert.equal(run.variables.get('successRate'), '1');
  });

  it('expected 401 with the right key: fails, saying the endpoint served the request instead of refusing it', async () => {
    const server = await start({ token: 'key-1' });
    const run = await runMain(server, { ...OIP, requestBody: '{"inputs": [{"name": "input-0", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3, 4]}]}', expectedStatus: '401', authentication: 'bearerToken', bearerToken: 'key-1' });
    assert.ok(run.error instanceof TaskError);
    assert.match(run.error.message, /canary inference.*answered 200 OK: it served the request instead of refusing the credentials.*\(expected 401\)/s);
  });

  it('expected 403 while the server answers 401: fails at once, naming the status to expect', async () => {
    const server = await start({ token: 'key-1' });
    const clock = fakeClock();
    const run = await runMain(server, { ...OIP, expectedStatus: '403' }, { clock });
    assert.ok(run.error instanceof TaskError);
    assert.match(run.error.message, /refused the credentials with 401 Unauthorized, not 403: .*set 'expectedStatus' to 401/);
    assert.equal(server.received.length, 1);
    assert.deepEqual(clock.slept, []);
  });

  it("expected 401 with protocol auto: the server is up but a refusal tells no protocol, so it fails at once asking for 'protocol'", async () => {
    const server = await start({ token: 'key-1' });
    const clock = fakeClock();
    const run = await runMain(server, { expectedStatus: '401', requestBody: '{"inputs": []}' }, { clock });
    assert.ok(run.error instanceof TaskError);
    assert.match(run.error.message, /protocol detection: the server refuses the credentials, as expected \(GET \/v2 answered 401 Unauthorized\), so its protocol cannot be detected .*: set 'protocol'/);
    assert.deepEqual(clock.slept, []);
  });

  it("expected 401 without modelName or requestBody: asks for the one the refusal hides (model list, metadata)", async () => {
    const server = await start({ token: 'key-1' });
    const noModel = await runMain(server, { protocol: 'openInference', requestBody: '{"inputs": []}', expectedStatus: '401' });
    assert.ok(noModel.error instanceof TaskError);
    assert.match(noModel.error.message, /model list \(POST \/v2\/repository\/index\): the server refuses the credentials \(401 Unauthorized\), as expected, so there is no model list to read\. Set 'modelName'\./);
    const noBody = await runMain(server, { protocol: 'openInference', modelName: OIP_MODEL, expectedStatus: '401' });
    assert.ok(noBody.error instanceof TaskError);
    assert.match(noBody.error.message, /model metadata \(GET \/v2\/models\/iris\): the server refuses .* as expected, so there is no model metadata to read\. Set 'requestBody'/);
  });

  it("expected 401 against a vLLM-style server (--api-key guards /v1 only): waits for /health, then every answer is 401", async () => {
    const server = await start({ token: 'key-1', publicPaths: ['/health'], notReadyProbes: 2 }, 'openai');
    const run = await runMain(server, { protocol: 'openai', modelName: 'tiny-llm', expectedStatus: '401' });
    assert.equal(run.error, undefined, `${String(run.error)}\n${run.lines.join('\n')}`);
    assert.ok(run.lines.some((l) => /not ready yet: the server is loading the model \(503\)/.test(l)), 'it waited for the model to load');
    assert.equal(server.received.filter((r) => r.path === '/v1/chat/completions' && !r.authorized).length, 1 + 1 + 4);
  });

  it("expected 404 for a model that is not served: the model layer is not waited for, and the answers pass", async () => {
    const server = await start({});
    const clock = fakeClock();
    const run = await runMain(server, { protocol: 'openInference', modelName: 'ghost', requestBody: '{"inputs": []}', expectedStatus: '404' }, { clock });
    assert.equal(run.error, undefined, `${String(run.error)}\n${run.lines.join('\n')}`);
    assert.deepEqual(clock.slept, []);
    assert.ok(!server.received.some((r) => r.path === '/v2/models/ghost/ready'));
  });

  it("expected 400 for bad input: Triton's 400 while starting is still waited out, then the bad request's 400 passes", async () => {
    const server = await start({ notReadyProbes: 2 });
    const clock = fakeClock();
    const run = await runMain(server, { ...OIP, expectedStatus: '400', assertions: 'body contains \'expected one input\'' }, { clock });
    assert.equal(run.error, undefined, `${String(run.error)}\n${run.lines.join('\n')}`);
    assert.deepEqual(clock.slept, [250, 500], 'two not-ready 400s from /v2/health/ready were waited out');
    assert.deepEqual([...new Set(server.received.map((r) => r.path))], ['/v2/health/ready', `/v2/models/${OIP_MODEL}/infer`]);
  });

  it('a refusal that is not expected still fails at once with the hint, unretried', async () => {
    const server = await start({ token: 'key-1' });
    const clock = fakeClock();
    const run = await runMain(server, { ...OIP, authentication: 'bearerToken', bearerToken: 'wrong-key' }, { clock });
    assert.ok(run.error instanceof TaskError);
    assert.match(run.error.message, /server ready \(GET \/v2\/health\/ready\): the server answered 401 Unauthorized\. Check the authentication inputs/);
    assert.equal(server.received.length, 1);
    assert.ok(!run.lines.some((l) => l.includes('wrong-key')));
  });
});
