import { type Cancellation, uncancellable } from '../../common/cancellation';
import { Deadline, type Clock, describeTimeout } from '../../common/deadline';
import { TaskError } from '../../common/errors';
import type { TaskLog } from '../../common/task-runtime';
import type { AuthHeaders } from './auth';
import { CLASS, evaluateGates, failedChecks, type Check } from './checks';
import type { HttpClient } from './http-client';
import { INPUT } from './input-names';
import type { SmokeTestInputs } from './input-types';
import { measure, runCanary } from './load';
import { plannedAssertions, presetOf } from './plan';
import { inSeconds } from './poll';
import { prepareTarget } from './readiness';
import { publishReport, type ResultSinks } from './report';
import type { Session } from './session';
import { formatMs, histogram, latencyStats } from './stats';
import { errorBreakdown, latenciesOf, requestCounts, successRate, assertionChecks, type RequestRecord } from './verdicts';

/** What a token request may take at least, even when the readiness deadline is spent (a refresh during the measured requests). */
const TOKEN_MIN_BUDGET_IN_MS = 30_000;

export interface SmokeTestDeps {
  readonly log: TaskLog;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly auth: AuthHeaders;
  readonly sinks: ResultSinks;
  /** The agent's cancellation: waits and requests stop; nothing is published. */
  readonly cancellation?: Cancellation;
  /** CPU time this process has used, in ms (for the client's own overhead per request). */
  readonly cpuTimeInMs?: () => number;
}

/**
 * Readiness (one deadline) -> canary inference -> warm-up -> measured requests -> checks -> JUnit,
 * summary and outputs -> result. A failed check throws a TaskError that lists every failed check,
 * after the results are published.
 */
/** Returns the success message; throws a TaskError when a check failed. */
export async function main(inputs: SmokeTestInputs, deps: SmokeTestDeps): Promise<string> {
  const { log, clock } = deps;
  const startedAt = clock.now();
  log.info(`Smoke-testing ${inputs.url}${inputs.urlSource === 'earlierStep' ? ' (the URL DeployToAci set earlier in this job)' : ''}.`);
  log.info(`Authentication: ${deps.auth.description}.${inputs.headers.length === 0 ? '' : ` Extra headers: ${inputs.headers.map((h) => h.name).join(', ')}.`}`);
  // One deadline for the whole run; readiness and the canary have their own, which ends no later.
  const runDeadline = new Deadline(clock, inputs.timeoutInMs);
  const readinessCapped = inputs.timeoutInMs < inputs.readinessTimeoutInMs;
  const deadline = new Deadline(clock, Math.min(inputs.readinessTimeoutInMs, inputs.timeoutInMs));
  if (readinessCapped) log.info(`Readiness ends at the whole run's deadline, ${describeTimeout(inputs.timeoutInMs)} ('${INPUT.timeoutInMinutes}'), sooner than 'readinessTimeoutInSeconds'.`);
  const cancellation = deps.cancellation ?? uncancellable();
  const session: Session = {
    inputs,
    http: deps.http,
    clock,
    log,
    deadline,
    readinessDeadlineInput: readinessCapped ? INPUT.timeoutInMinutes : INPUT.readinessTimeoutInSeconds,
    runDeadline,
    // A token request counts against the deadline (at least 30 s once readiness is over, for a token refresh, but never past the run's).
    authHeaders: () => deps.auth.headers(Math.max(1, Math.min(runDeadline.remainingInMs(), Math.max(deadline.remainingInMs(), TOKEN_MIN_BUDGET_IN_MS)))),
    signal: cancellation.signal,
    ...(deps.cpuTimeInMs ? { cpuTimeInMs: deps.cpuTimeInMs } : {}),
  };
  const nothingPublished = (): string => 'No test results, summary or output variables were published';
  cancellation.setPhase(`waiting for ${inputs.url} to be ready`, nothingPublished);
  const readinessName = `ready within ${inSeconds(deadline.timeoutInMs)}`;
  const target = await log.group('Readiness', () => prepareTarget(session));
  const readinessMs = clock.now() - startedAt;
  const checks: Check[] = [];
  let records: RequestRecord[] = [];
  let protocol: string | undefined;
  let protocolTitle = inputs.protocol === 'auto' ? 'protocol not detected' : presetOf(inputs, inputs.protocol).title;
  let model = inputs.model.modelName;
  if (!target.ok) {
    checks.push({ classname: CLASS.readiness, name: readinessName, status: 'failed', durationInMs: readinessMs, failureType: target.timedOut ? 'NotReady' : 'ReadinessFailed', message: target.message });
    checks.push({ classname: CLASS.inference, name: 'canary inference', status: 'skipped', durationInMs: 0, message: 'not run: the model never got ready' });
  } else {
    protocol = target.value.protocol;
    protocolTitle = target.value.preset.title;
    model = target.value.model.modelName;
    checks.push({ classname: CLASS.readiness, name: readinessName, status: 'passed', durationInMs: readinessMs, output: `ready after ${formatMs(readinessMs / 1000)} s` });
    const assertions = plannedAssertions(inputs, target.value.preset, target.value.request);
    cancellation.setPhase(`sending the canary request to ${inputs.url}`, nothingPublished);
    const canary = await runCanary(session, target.value, assertions);
    cancellation.setPhase(`sending the measured requests to ${inputs.url}`, nothingPublished);
    checks.push(canary.check);
    if (canary.check.status === 'passed') {
      const measurement = await log.group('Measured requests', () => measure(session, target.value, assertions, canary.latencyInMs ?? 0));
      records = measurement.records;
      if (measurement.stoppedBecause !== undefined) {
        checks.push({ classname: CLASS.performance, name: 'measured requests answered', status: 'failed', durationInMs: 0, failureType: measurement.stoppedAtDeadline === true ? 'Deadline' : 'NoAnswer', message: measurement.stoppedBecause });
      }
    }
    checks.push(...assertionChecks(assertions, canary.verdict, records));
  }
  const stats = latencyStats(latenciesOf(records));
  if (records.length > 0) {
    checks.push(...evaluateGates(inputs.gates, stats, requestCounts(records)));
    const breakdown = errorBreakdown(records);
    if (breakdown !== '') log.info(`Failed requests: ${breakdown}.`);
  } else {
    checks.push({ classname: CLASS.performance, name: 'latency and error-rate gates', status: 'skipped', durationInMs: 0, message: 'not run: no requests were measured' });
  }
  if (stats !== undefined) {
    log.info(`Latency over ${stats.count} answers: p50 ${formatMs(stats.p50Ms)} ms, p95 ${formatMs(stats.p95Ms)} ms, p99 ${formatMs(stats.p99Ms)} ms (min ${formatMs(stats.minMs)}, mean ${formatMs(stats.meanMs)}, max ${formatMs(stats.maxMs)}).`);
  }
  const rate = records.length > 0 ? successRate(records) : undefined;
  publishReport(
    {
      suiteName: `SmokeTestModel ${inputs.url}`,
      timestamp: new Date(startedAt).toISOString(),
      durationInMs: clock.now() - startedAt,
      checks,
      properties: { url: inputs.url, protocol: protocol ?? 'unknown', ...(model === undefined ? {} : { model }) },
      summary: {
        url: inputs.url, protocolTitle, checks, histogram: histogram(latenciesOf(records)), requests: inputs.requests, concurrency: inputs.concurrency,
        warmupRequests: inputs.warmupRequests,
        ...(target.ok && target.value.detection !== undefined ? { detection: target.value.detection } : {}),
        ...(model === undefined ? {} : { model }), ...(stats === undefined ? {} : { stats }), ...(rate === undefined ? {} : { successRate: rate }),
      },
      ...(stats === undefined ? {} : { stats }),
      ...(rate === undefined ? {} : { successRate: rate }),
      ...(protocol === undefined ? {} : { protocol }),
      publish: inputs.publishTestResults,
      ...(inputs.testRunTitle === undefined ? {} : { testRunTitle: inputs.testRunTitle }),
      fileStem: `smoke-test-${startedAt}`,
    },
    deps.sinks,
    log,
  );
  const failed = failedChecks(checks);
  if (failed.length > 0) {
    throw new TaskError(
      `The smoke test failed ${failed.length} of ${checks.length} checks:\n${failed.map((check) => `- ${check.name}: ${check.message ?? 'failed'}`).join('\n')}`,
    );
  }
  const passed = checks.filter((check) => check.status === 'passed').length;
  return `All ${passed} checks passed${stats === undefined ? '' : ` (p95 ${formatMs(stats.p95Ms)} ms)`}.`;
}
