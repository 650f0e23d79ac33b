import { formatMs, type LatencyStats } from './stats';

/** One verdict of the run; each becomes one JUnit test case. */
export interface Check {
  /** Groups checks in the Tests tab: readiness, inference, assertions, performance. */
  readonly classname: string;
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly durationInMs: number;
  /** Why it failed or was skipped (one line). */
  readonly message?: string;
  readonly failureType?: string;
  /** More detail: the answer's body excerpt, counts... */
  readonly output?: string;
}

export const CLASS = {
  readiness: 'SmokeTestModel.readiness',
  inference: 'SmokeTestModel.inference',
  assertions: 'SmokeTestModel.assertions',
  performance: 'SmokeTestModel.performance',
} as const;

export interface Gates {
  readonly maxLatencyP50Ms?: number;
  readonly maxLatencyP95Ms?: number;
  readonly maxLatencyP99Ms?: number;
  /** A fraction from 0 to 1. */
  readonly maxErrorRate: number;
}

export interface RequestCounts {
  readonly total: number;
  /** Connection errors and unexpected statuses. */
  readonly errors: number;
}

/** One check per latency gate that is set, and one for the error rate. */
export function evaluateGates(gates: Gates, stats: LatencyStats | undefined, counts: RequestCounts): Check[] {
  const checks: Check[] = [];
  const latencyGates: Array<[string, number | undefined, keyof LatencyStats]> = [
    ['p50', gates.maxLatencyP50Ms, 'p50Ms'],
    ['p95', gates.maxLatencyP95Ms, 'p95Ms'],
    ['p99', gates.maxLatencyP99Ms, 'p99Ms'],
  ];
  for (const [label, limit, key] of latencyGates) {
    if (limit === undefined) continue;
    const name = `latency ${label} <= ${formatMs(limit)} ms`;
    if (stats === undefined) {
      checks.push({ classname: CLASS.performance, name, status: 'failed', durationInMs: 0, failureType: 'LatencyGate', message: 'no request got an answer, so there is no latency to compare' });
      continue;
    }
    const actual = stats[key];
    checks.push(
      actual <= limit
        ? { classname: CLASS.performance, name, status: 'passed', durationInMs: 0, output: `latency ${label} was ${formatMs(actual)} ms over ${stats.count} requests` }
        : {
            classname: CLASS.performance,
            name,
            status: 'failed',
            durationInMs: 0,
            failureType: 'LatencyGate',
            message: `latency ${label} was ${formatMs(actual)} ms, above the limit of ${formatMs(limit)} ms (over ${stats.count} requests)`,
          },
    );
  }
  const rate = errorRate(counts);
  const name = `error rate <= ${formatPercent(gates.maxErrorRate)}`;
  const observed = `${counts.errors} of ${counts.total} requests failed (${formatPercent(rate)})`;
  checks.push(
    rate <= gates.maxErrorRate
      ? { classname: CLASS.performance, name, status: 'passed', durationInMs: 0, output: observed }
      : { classname: CLASS.performance, name, status: 'failed', durationInMs: 0, failureType: 'ErrorRateGate', message: `${observed}, above the limit of ${formatPercent(gates.maxErrorRate)}` },
  );
  return checks;
}

export function errorRate(counts: RequestCounts): number {
  return counts.total === 0 ? 0 : counts.errors / counts.total;
}

export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  return `${Number.isInteger(percent) ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

export function failedChecks(checks: readonly Check[]): Check[] {
  return checks.filter((check) => check.status === 'failed');
}
