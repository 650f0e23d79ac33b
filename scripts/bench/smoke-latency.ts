/**
 * SmokeTestModel's latency measurement against autocannon, in one run, on the same local endpoint:
 * the Open Inference Protocol fixture server on 127.0.0.1 with a fixed added latency, the same
 * request, one connection, keep-alive on both sides. Rounds alternate between the two tools so that
 * drift affects both; the medians of the rounds' p50s are compared.
 */
import { createRequire } from 'node:module';
import { Deadline, systemClock } from '../../tasks/common/deadline';
import { InputReader, inputSourceFromRecord } from '../../tasks/common/input-reader';
import { LineNeutraliser } from '../../tasks/common/neutralise';
import type { TaskLog } from '../../tasks/common/task-runtime';
import { createHttpClient } from '../../tasks/SmokeTestModelV1/src/http-client';
import { readInputs, type InputName } from '../../tasks/SmokeTestModelV1/src/inputs';
import { measure } from '../../tasks/SmokeTestModelV1/src/load';
import { plannedAssertions } from '../../tasks/SmokeTestModelV1/src/plan';
import { prepareTarget } from '../../tasks/SmokeTestModelV1/src/readiness';
import type { Session } from '../../tasks/SmokeTestModelV1/src/session';
import { latencyStats } from '../../tasks/SmokeTestModelV1/src/stats';
import { latenciesOf } from '../../tasks/SmokeTestModelV1/src/verdicts';
import { OIP_MODEL, startOpenInferenceServer } from '../../tests/fixtures/model-servers';
import { type BenchResult, median } from './types';

interface AutocannonResult {
  latency: { p50: number; p97_5: number; p99: number; average: number };
  requests: { total: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: {
  url: string; method: string; headers: Record<string, string>; body: string; connections: number; amount: number; pipelining: number;
}) => Promise<AutocannonResult>;

const ADDED_LATENCY_IN_MS = 10;
const REQUESTS_PER_ROUND = 300;
const ROUNDS = 3;

const silent: TaskLog = {
  info: () => undefined, debug: () => undefined, warning: () => undefined, foreign: () => undefined,
  foreignStream: () => new LineNeutraliser(() => undefined), group: (_title, body) => body(),
};

export async function run(): Promise<BenchResult> {
  const autocannon = createRequire(__filename)('autocannon') as Autocannon;
  const server = await startOpenInferenceServer({ latencyInMs: ADDED_LATENCY_IN_MS });
  const http = createHttpClient({ maxSockets: 1 });
  try {
    const inputs = readInputs(
      new InputReader<InputName>(inputSourceFromRecord({ url: server.url, protocol: 'openInference', modelName: OIP_MODEL, requests: String(REQUESTS_PER_ROUND), warmupRequests: '20' })),
      {},
    );
    const session: Session = { inputs, http, clock: systemClock, log: silent, deadline: new Deadline(systemClock, 30_000), authHeaders: () => Promise.resolve({}) };
    const target = await prepareTarget(session);
    if (!target.ok) throw new Error(`the fixture server did not get ready: ${target.message}`);
    const assertions = plannedAssertions(inputs, target.value.preset, target.value.request);
    const body = target.value.request.body?.toString('utf8') ?? '';
    const ours: number[] = [];
    const theirs: number[] = [];
    const oursP99: number[] = [];
    const theirsP99: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { records } = await measure(session, target.value, assertions);
      const stats = latencyStats(latenciesOf(records));
      if (stats === undefined || records.some((r) => !r.answered || !r.verdict.statusOk)) throw new Error('SmokeTestModel got errors from the fixture server');
      ours.push(stats.p50Ms);
      oursP99.push(stats.p99Ms);
      const result = await autocannon({
        url: `${server.url}${target.value.request.path}`, method: 'POST', headers: { 'content-type': 'application/json' }, body,
        connections: 1, amount: REQUESTS_PER_ROUND, pipelining: 1,
      });
      if (result.non2xx > 0 || result.errors > 0) throw new Error('autocannon got errors from the fixture server');
      theirs.push(result.latency.p50);
      theirsP99.push(result.latency.p99);
    }
    const oursMedian = median(ours);
    const theirsMedian = median(theirs);
    const ratio = oursMedian / theirsMedian;
    const fmt = (ms: number): number => Math.round(ms * 100) / 100;
    return {
      title: 'SmokeTestModel latency vs autocannon (same local endpoint, one run)',
      rows: [
        { tool: 'SmokeTestModel request engine', 'p50 per round (ms)': ours.map(fmt).join(', '), 'median p50 (ms)': fmt(oursMedian), 'median p99 (ms)': fmt(median(oursP99)) },
        { tool: 'autocannon 8', 'p50 per round (ms)': theirs.map(fmt).join(', '), 'median p50 (ms)': fmt(theirsMedian), 'median p99 (ms)': fmt(median(theirsP99)) },
        { tool: 'ratio (SmokeTestModel / autocannon)', 'p50 per round (ms)': '', 'median p50 (ms)': fmt(ratio), 'median p99 (ms)': '' },
      ],
      notes: [
        `Endpoint: POST ${target.value.request.path} on the Open Inference Protocol fixture server (127.0.0.1), ${ADDED_LATENCY_IN_MS} ms added latency, ${REQUESTS_PER_ROUND} requests per round, 1 connection, ${ROUNDS} alternating rounds.`,
        'SmokeTestModel measures from request start to the last byte of the answer (performance.now); autocannon records whole-millisecond latencies from its own clock.',
        `Medians ${Math.abs(ratio - 1) <= 0.1 ? 'within' : 'NOT within'} 10% of each other (${fmt((ratio - 1) * 100)}%).`,
      ],
    };
  } finally {
    http.close();
    await server.close();
  }
}
