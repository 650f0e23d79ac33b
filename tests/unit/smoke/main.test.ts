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

describe('SmokeTestModel main() with a zero-delay clock', function () {
  this.timeout(20_000);
  const servers: RunningServer[] = [];
  const start = async (knobs: ServerKnobs, kind: 'oip' | 'openai' = 'oip'): Promise<RunningServer> => {
    const server = kind === 'oip' ? await startOpenInferenceServer(knobs) : await startOpenAiServer(knobs);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

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
