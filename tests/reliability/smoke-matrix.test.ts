/**
 * SmokeTestModel against a model server with faults on its readiness and inference routes (429 with
 * Retry-After, 500, 503, reset, latency; once, three times, always) and against the hostile servers
 * users met. Every case ends within its deadline: it succeeds, or fails with a message that names the
 * route and what the server did. The cases run side by side (each has a server of its own).
 */
import * as assert from 'node:assert/strict';
import { ensureBuilt } from '../../scripts/agent/build-once';
import { runBundledTask, type TaskRun } from '../../scripts/agent/run-task';
import { FAULT_COUNTS, FAULT_KINDS, type FaultCount, type FaultKind } from './fault-matrix';
import { type HostileOptions, MODEL, type ModelFault, type ModelRoute, startHostileServer } from './hostile-model-server';

interface SmokeCase {
  id: string;
  server: HostileOptions;
  inputs?: Record<string, string>;
  expect: { result: 'Succeeded' } | { result: 'Failed'; message: RegExp };
}

const ROUTE_PATH: Record<ModelRoute, RegExp> = { ready: /\/v1\/models\/iris\b/, infer: /\/v1\/models\/iris:predict/ };
const COUNT: Record<Exclude<FaultCount, 'always'>, number> = { once: 1, '3 times': 3 };

function faultCases(): SmokeCase[] {
  const cases: SmokeCase[] = [];
  for (const kind of FAULT_KINDS) {
    for (const count of FAULT_COUNTS) {
      const fault = (route: ModelRoute): ModelFault => ({ route, kind, ...(count === 'always' ? {} : { count: COUNT[count] }) });
      if (kind === '500' && count !== 'always') {
        // A model server's 500 is its own failure, not a passing state (DESIGN.md section 6): said at once, on the first route that gives it.
        cases.push({ id: `smoke 500 ${count} on readiness and inference -> fails at once`, server: { faults: [fault('ready'), fault('infer')] }, expect: { result: 'Failed', message: failurePattern('500', 'ready') } });
        continue;
      }
      if (count !== 'always' || kind === 'latency') {
        cases.push({ id: `smoke ${kind} ${count} on readiness and inference`, server: { faults: [fault('ready'), fault('infer')] }, expect: { result: 'Succeeded' } });
        continue;
      }
      for (const route of ['ready', 'infer'] as const) {
        cases.push({ id: `smoke ${kind} always on ${route === 'ready' ? 'readiness' : 'inference'}`, server: { faults: [fault(route)] }, expect: { result: 'Failed', message: failurePattern(kind, route) } });
      }
    }
  }
  return cases;
}

function failurePattern(kind: FaultKind, route: ModelRoute): RegExp {
  const answer = kind === 'reset' ? '(closed the connection|reset|ECONNRESET|socket hang up)' : `${kind}`;
  return new RegExp(`${ROUTE_PATH[route].source}[\\s\\S]*${answer}|${answer}[\\s\\S]*${ROUTE_PATH[route].source}`);
}

const HOSTILE_CASES: SmokeCase[] = [
  {
    id: 'hostile: hangs after the canary -> stops after 3 requests without an answer',
    server: { hostility: 'hangAfterCanary' },
    inputs: { requests: '9', concurrency: '3' },
    expect: { result: 'Failed', message: /stopped after 3 requests in a row got no whole answer within 30(\.0)? s/ },
  },
  {
    id: 'hostile: trickles after the canary -> stops after 3 requests without a whole answer',
    server: { hostility: 'trickleAfterCanary' },
    inputs: { requests: '9', concurrency: '3' },
    expect: { result: 'Failed', message: /stopped after 3 requests in a row got no whole answer/ },
  },
  {
    // Never three requests in a row without an answer: only the whole run's deadline stops it.
    id: "hostile: answers whole but slowly after the canary -> stops at the whole run's deadline",
    server: { hostility: 'slowAfterCanary' },
    inputs: { requests: '100', timeoutInMinutes: '0.25' },
    expect: { result: 'Failed', message: /measured requests answered: stopped after \d+ of 100 measured requests \((\d+) answered, median \d+ ms\): the whole run's deadline of 15 s \('timeoutInMinutes'\) passed\. .*raise 'timeoutInMinutes', lower 'requests'/ },
  },
  { id: 'hostile: a valid 10 MB answer -> said to be larger than 4 MB', server: { hostility: 'hugeAnswer' }, expect: { result: 'Failed', message: /larger than 4 MB \(\d+ bytes\) and was truncated/ } },
  { id: 'hostile: an HTML page with 200 -> not a model answer', server: { hostility: 'htmlPage' }, expect: { result: 'Failed', message: /HTML page/ } },
  { id: 'hostile: the connection closes mid-body -> said so', server: { hostility: 'cutMidBody' }, inputs: { readinessTimeoutInSeconds: '6' }, expect: { result: 'Failed', message: /closed the connection in the middle of the answer/ } },
];

const CASES = [...faultCases(), ...HOSTILE_CASES];
const REQUEST_BODY = '{"instances": [[6.8, 2.8, 4.8, 1.4]]}';

async function runCase(smokeCase: SmokeCase): Promise<{ run: TaskRun; hits: Record<ModelRoute, number> }> {
  const server = await startHostileServer(smokeCase.server);
  try {
    const run = await runBundledTask({
      task: 'SmokeTestModelV1',
      inputs: { url: server.url, protocol: 'kserveV1', modelName: MODEL, requestBody: REQUEST_BODY, requests: '3', readinessTimeoutInSeconds: smokeCase.expect.result === 'Failed' ? '8' : '30', ...smokeCase.inputs },
      timeoutInMs: 150_000,
    });
    return { run, hits: { ...server.counts } };
  } finally {
    await server.stop();
  }
}

describe(`SmokeTestModel fault matrix and hostile servers: ${CASES.length} cases`, function () {
  this.timeout(10 * 60_000);
  const results = new Map<string, { run: TaskRun; hits: Record<ModelRoute, number> } | Error>();

  before(async () => {
    await ensureBuilt();
    const queue = [...CASES];
    // Each case has its own server: several side by side (the task processes are mostly waiting).
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          results.set(next.id, await runCase(next).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
        }
      }),
    );
  });

  for (const smokeCase of CASES) {
    it(smokeCase.id, () => {
      const result = results.get(smokeCase.id);
      if (result === undefined || result instanceof Error) throw result ?? new Error('did not run');
      const { run } = result;
      const context = `message: ${run.message ?? '(none)'}\n--- log ---\n${run.log.slice(-3000)}`;
      assert.equal(run.timedOut, false, `the task hung\n${context}`);
      assert.equal(run.result, smokeCase.expect.result, context);
      if (smokeCase.expect.result === 'Failed') assert.match(`${run.message ?? ''}`, smokeCase.expect.message, context);
      if (smokeCase.server.faults) assert.ok(result.hits.ready > 0 && (smokeCase.expect.result === 'Failed' || result.hits.infer > 0), 'the server was not asked');
    });
  }
});
