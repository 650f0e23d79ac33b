/**
 * SmokeTestModel's latency measurement against autocannon, in one run, on the same local endpoint:
 * the Open Inference Protocol fixture server on 127.0.0.1 with a fixed added latency of 1 ms, the same
 * request, at concurrency 1 and 4, keep-alive on both sides. Rounds alternate between the two tools so
 * that drift affects both; the medians of the rounds' p50s are compared.
 */
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { Deadline, systemClock } from '../../tasks/common/deadline';
import { inputSourceFromRecord } from '../../tasks/common/input-reader';
import { LineNeutraliser } from '../../tasks/common/neutralise';
import type { TaskLog } from '../../tasks/common/task-runtime';
import { createHttpClient } from '../../tasks/SmokeTestModelV1/src/http-client';
import { readInputs } from '../../tasks/SmokeTestModelV1/src/inputs';
import { measure } from '../../tasks/SmokeTestModelV1/src/load';
import { plannedAssertions } from '../../tasks/SmokeTestModelV1/src/plan';
import { prepareTarget } from '../../tasks/SmokeTestModelV1/src/readiness';
import type { Session } from '../../tasks/SmokeTestModelV1/src/session';
import { latencyStats } from '../../tasks/SmokeTestModelV1/src/stats';
import { latenciesOf } from '../../tasks/SmokeTestModelV1/src/verdicts';
import { OIP_MODEL, startOpenInferenceServer } from '../../tests/fixtures/model-servers';
import { type Comparison, inTurn } from './support/comparison';
import type { BenchResult } from './types';

interface AutocannonResult {
  non2xx: number;
  errors: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTimeInMs: number) => void): void;
}
type Autocannon = (
  options: { url: string; method: string; headers: Record<string, string>; body: string; connections: number; amount: number; pipelining: number },
  callback: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

/**
 * autocannon's own per-request times (its 'response' events, fractional ms from process.hrtime): its
 * summary histogram keeps whole milliseconds only, too coarse for a 1 ms endpoint.
 */
function runAutocannon(autocannon: Autocannon, options: Parameters<Autocannon>[0]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const instance = autocannon(options, (error, result) => {
      if (error) reject(error);
      else if (result.non2xx > 0 || result.errors > 0) reject(new Error('autocannon got errors from the fixture server'));
      else resolve(times);
    });
    instance.on('response', (_client, statusCode, _bytes, responseTimeInMs) => {
      if (statusCode >= 200 && statusCode < 300) times.push(responseTimeInMs);
    });
  });
}

const ADDED_LATENCY_IN_MS = 1;
const REQUESTS_PER_ROUND = 400;
const ROUNDS = 5;
const CONCURRENCIES = [1, 4];

const silent: TaskLog = {
  info: () => undefined, debug: () => undefined, warning: () => undefined, foreign: () => undefined,
  foreignStream: () => new LineNeutraliser(() => undefined), group: (_title, body) => body(),
};

export async function run(): Promise<BenchResult> {
  const autocannon = createRequire(__filename)('autocannon') as Autocannon;
  const server = await startOpenInferenceServer({ latencyInMs: ADDED_LATENCY_IN_MS });
  const comparisons: Comparison[] = [];
  const rows: Record<string, string | number>[] = [];
  try {
    for (const concurrency of CONCURRENCIES) {
      const http = createHttpClient({ maxSockets: concurrency });
      try {
        const inputs = readInputs(
          inputSourceFromRecord({ url: server.url, protocol: 'openInference', modelName: OIP_MODEL, requests: String(REQUESTS_PER_ROUND), concurrency: String(concurrency), warmupRequests: '20' }),
          { setSecret: () => undefined },
        );
        const session: Session = { inputs, http, clock: systemClock, log: silent, deadline: new Deadline(systemClock, 60_000), readinessDeadlineInput: 'readinessTimeoutInSeconds', runDeadline: new Deadline(systemClock, inputs.timeoutInMs), authHeaders: () => Promise.resolve({}) };
        const target = await prepareTarget(session);
        if (!target.ok) throw new Error(`the fixture server did not get ready: ${target.message}`);
        const assertions = plannedAssertions(inputs, target.value.preset, target.value.request);
        const body = target.value.request.body?.toString('utf8') ?? '';
        const ours = async (): Promise<number> => {
          const { records } = await measure(session, target.value, assertions);
          const stats = latencyStats(latenciesOf(records));
          if (stats === undefined || records.some((r) => !r.answered || !r.verdict.statusOk)) throw new Error('SmokeTestModel got errors from the fixture server');
          return stats.p50Ms;
        };
        const theirs = async (): Promise<number> => {
          const times = await runAutocannon(autocannon, {
            url: `${server.url}${target.value.request.path}`, method: 'POST', headers: { 'content-type': 'application/json' }, body,
            connections: concurrency, amount: REQUESTS_PER_ROUND, pipelining: 1,
          });
          const stats = latencyStats(times);
          if (stats === undefined) throw new Error('autocannon measured nothing');
          return stats.p50Ms;
        };
        const samples = await inTurn(ROUNDS, ours, theirs);
        comparisons.push({
          measure: `smoke p50, ${ADDED_LATENCY_IN_MS} ms endpoint, concurrency ${concurrency}`,
          unit: 'ms',
          task: samples.a,
          raw: samples.b,
          rawLabel: 'autocannon',
          aim: { kind: 'close', ratioAtMost: 1.1, orOverAtMost: 0.2 },
        });
        rows.push({ concurrency, 'SmokeTestModel p50 per round (ms)': samples.a.map(fmt).join(', '), 'autocannon p50 per round (ms)': samples.b.map(fmt).join(', ') });
      } finally {
        http.close();
      }
    }
    return {
      title: 'SmokeTestModel latency vs autocannon (same local endpoint, rounds in turn)',
      rows,
      comparisons,
      notes: [
        `Endpoint: the Open Inference Protocol fixture server (127.0.0.1), ${ADDED_LATENCY_IN_MS} ms added latency, ${REQUESTS_PER_ROUND} requests per round after 20 warm-up requests, ${ROUNDS} rounds per tool in turn, keep-alive on both sides.`,
        'SmokeTestModel measures from request start to the last byte of the answer (performance.now); autocannon (8.x) times each request with process.hrtime, read here from its response events (its summary keeps whole milliseconds); both p50s by nearest rank.',
        `Load average: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} CPUs.`,
      ],
    };
  } finally {
    await server.close();
  }
}

function fmt(ms: number): number {
  return Math.round(ms * 100) / 100;
}
