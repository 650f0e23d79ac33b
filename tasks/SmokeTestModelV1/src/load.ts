import { answerShapeProblem } from './answer-shape';
import { CancelledError } from '../../common/cancellation';
import { describeTimeout } from '../../common/deadline';
import { INPUT } from './inputs';
import { CLASS, type Check } from './checks';
import { classifyAnswer, classifyTransportError, describeStatus } from './classify';
import { isSuccessStatus } from './expectation';
import type { PlannedAssertion } from './plan';
import { pollUntilReady } from './poll';
import type { ProbeAnswer } from './presets/types';
import type { Target } from './readiness';
import { type HttpAnswer, HttpTransportError } from './http-client';
import { requestHeaders } from './plan';
import { excerpt, INFERENCE_TIMEOUT_IN_MS, sendRequest, toProbeAnswer, urlOf, type Outcome, type Session } from './session';
import { formatMs } from './stats';
import { judgeAnswer, type AnswerVerdict, type RequestRecord } from './verdicts';

function send(session: Session, target: Target, timeoutInMs: number): Promise<Outcome> {
  const { request } = target;
  return sendRequest(session, {
    method: request.method,
    path: request.path,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.contentType === undefined ? {} : { contentType: request.contentType }),
    timeoutInMs,
  });
}

export interface CanaryResult {
  readonly check: Check;
  readonly verdict?: AnswerVerdict;
  readonly latencyInMs?: number;
}

/** The first real inference, retried like readiness (under the same deadline) until it gets the expected status. */
export async function runCanary(session: Session, target: Target, assertions: readonly PlannedAssertion[]): Promise<CanaryResult> {
  const { inputs, log } = session;
  const started = session.clock.now();
  const what = `${target.request.method} ${target.request.path}`;
  const name = `canary inference: ${what} answers ${inputs.expectedStatus.join(' or ')}`;
  log.info(`Sending the canary inference request: ${what}${target.request.body === undefined ? '' : ` (${target.request.body.length} bytes)`}...`);
  if (target.request.body !== undefined && target.request.json !== undefined) log.foreign(`  Request: ${excerpt(target.request.body.toString('utf8'))}`);
  let last: { answer: ProbeAnswer; latencyInMs: number } | undefined;
  const result = await pollUntilReady(session, what, async () => {
    const outcome = await send(session, target, Math.min(INFERENCE_TIMEOUT_IN_MS, Math.max(1, session.deadline.remainingInMs())));
    if ('error' in outcome) return { judgement: classifyTransportError(outcome.error.code, outcome.error.message) };
    last = outcome;
    const judgement = classifyAnswer(outcome.answer, {
      stage: 'inference',
      expected: inputs.expectedStatus,
      judge: (answer) => target.preset.inferenceStatus?.(answer.status),
      authHint: target.preset.authHint,
      ...(target.preset.authRefusal === undefined ? {} : { authRefusal: target.preset.authRefusal }),
      nowInMs: session.clock.now(),
    });
    return { judgement, value: outcome };
  });
  const durationInMs = session.clock.now() - started;
  if (last !== undefined) {
    log.foreign(`  Answer: ${describeStatus(last.answer.status)} in ${formatMs(last.latencyInMs)} ms: ${excerpt(last.answer.bodyText) || '(empty body)'}`);
  }
  const output = last === undefined ? undefined : `${describeStatus(last.answer.status)}: ${excerpt(last.answer.bodyText)}`;
  if (!result.ok) {
    const expected = last !== undefined && !inputs.expectedStatus.includes(last.answer.status) ? ` (expected ${inputs.expectedStatus.join(' or ')})` : '';
    const body = last === undefined || result.timedOut ? '' : ` Answer: ${excerpt(last.answer.bodyText) || '(empty body)'}`;
    return {
      check: {
        classname: CLASS.inference, name, status: 'failed', durationInMs, failureType: result.timedOut ? 'NotReady' : 'InferenceFailed',
        message: `${result.message.replace(/\.$/, '')}${expected}.${body}`, ...(output === undefined ? {} : { output }),
      },
    };
  }
  // The protocol's answer shape is the model's answer's: an expected error answer (401, 404...) has its own.
  const shapeProblem = isSuccessStatus(result.value.answer.status) ? answerShapeProblem(target.protocol, result.value.answer, target.preset.title) : undefined;
  if (shapeProblem !== undefined) {
    return {
      check: {
        classname: CLASS.inference, name, status: 'failed', durationInMs, failureType: 'WrongAnswer',
        message: `The canary answer is not a ${target.preset.title} answer: ${shapeProblem}.`, ...(output === undefined ? {} : { output }),
      },
    };
  }
  const verdict = judgeAnswer(result.value.answer, inputs.expectedStatus, assertions);
  if (verdict.failedAssertions.length > 0) {
    const failures = verdict.failedAssertions.map((failure) => `'${assertions[failure.index]?.assertion.source ?? '?'}': ${failure.detail}`);
    return {
      verdict,
      check: {
        classname: CLASS.inference, name, status: 'failed', durationInMs, failureType: 'WrongAnswer',
        message: `The canary answer is not what was expected: ${failures.join('; ')}.`, ...(output === undefined ? {} : { output }),
      },
    };
  }
  log.info(`  The canary answer is right (${assertions.length} assertion${assertions.length === 1 ? '' : 's'} hold).`);
  return { verdict, latencyInMs: result.value.latencyInMs, check: { classname: CLASS.inference, name, status: 'passed', durationInMs, ...(output === undefined ? {} : { output }) } };
}

/** After this many requests in a row got no whole answer, the task stops sending (the server hangs or trickles). */
export const MAX_CONSECUTIVE_NO_ANSWERS = 3;
/** A measured request may take 20 times the canary's latency, at least 30 s, at most INFERENCE_TIMEOUT_IN_MS. */
export function measuredTimeoutInMs(canaryLatencyInMs: number): number {
  return Math.min(INFERENCE_TIMEOUT_IN_MS, Math.max(30_000, Math.round(20 * canaryLatencyInMs)));
}

export interface Measurement {
  readonly records: RequestRecord[];
  /** Why the task stopped sending before all requests were sent. */
  readonly stoppedBecause?: string;
  /** Set when what stopped it was the whole run's deadline ('timeoutInMinutes'). */
  readonly stoppedAtDeadline?: boolean;
}

/**
 * Warm-up requests (not counted), then `requests` at `concurrency`, each judged; stops when the server
 * stops answering (MAX_CONSECUTIVE_NO_ANSWERS in a row) or when the whole run's deadline passes (no
 * request is sent after it; one in flight is cut at it and not counted: the task stopped it, not the server).
 */
export async function measure(session: Session, target: Target, assertions: readonly PlannedAssertion[], canaryLatencyInMs = 0): Promise<Measurement> {
  const { inputs, log, runDeadline } = session;
  const timeoutInMs = measuredTimeoutInMs(canaryLatencyInMs);
  /** A request's timeout: the measured one, or what is left of the run when that is less. */
  const requestTimeout = (): { timeoutInMs: number; cutByDeadline: boolean } => {
    const remaining = runDeadline.remainingInMs();
    return remaining < timeoutInMs ? { timeoutInMs: Math.max(1, remaining), cutByDeadline: true } : { timeoutInMs, cutByDeadline: false };
  };
  let consecutive = 0;
  let stoppedBecause: string | undefined;
  let stoppedAtDeadline = false;
  const records: RequestRecord[] = [];
  const note = (outcome: { answered: true } | { answered: false; code: string; message: string }): void => {
    const noAnswer = !outcome.answered && (outcome.code === 'REQUEST_TIMEOUT' || outcome.code === 'BODY_CUT');
    consecutive = noAnswer ? consecutive + 1 : 0;
    if (consecutive >= MAX_CONSECUTIVE_NO_ANSWERS && stoppedBecause === undefined && !outcome.answered) {
      stoppedBecause = `stopped after ${consecutive} requests in a row got no whole answer within ${formatMs(timeoutInMs / 1000)} s (the last: ${outcome.message}); the server hangs or sends its answers too slowly`;
      log.warning(`Stopped sending requests: ${stoppedBecause}.`);
    }
  };
  /** Whether the run's deadline has passed; the first time, says so. */
  const pastDeadline = (phase: 'warm-up' | 'measured'): boolean => {
    if (!runDeadline.expired()) return false;
    if (stoppedBecause === undefined) {
      stoppedAtDeadline = true;
      const progress =
        phase === 'warm-up'
          ? `during the warm-up requests, before any of the ${inputs.requests} measured requests was sent`
          : `after ${records.length} of ${inputs.requests} measured requests (${records.filter((record) => record.answered).length} answered${answeredLatency(records)})`;
      stoppedBecause =
        `stopped ${progress}: the whole run's deadline of ${describeTimeout(runDeadline.timeoutInMs)} ('${INPUT.timeoutInMinutes}') passed. ` +
        `The server answers too slowly for this many requests: raise '${INPUT.timeoutInMinutes}', lower '${INPUT.requests}', or find out why it is slow`;
      log.warning(`Stopped sending requests: ${stoppedBecause}.`);
    }
    return true;
  };
  const noteOutcome = (outcome: Outcome): void =>
    note('error' in outcome ? { answered: false, code: outcome.error.code, message: outcome.error.message } : { answered: true });
  if (inputs.warmupRequests > 0) {
    log.info(`Sending ${inputs.warmupRequests} warm-up request${inputs.warmupRequests === 1 ? '' : 's'} (not counted)...`);
    for (let index = 0; index < inputs.warmupRequests && stoppedBecause === undefined && !pastDeadline('warm-up'); index++) {
      const outcome = await send(session, target, requestTimeout().timeoutInMs);
      if (runDeadline.expired() && 'error' in outcome) continue;
      noteOutcome(outcome);
      log.debug(`warm-up ${index + 1}: ${'error' in outcome ? outcome.error.code : `${outcome.answer.status} in ${formatMs(outcome.latencyInMs)} ms`}`);
    }
  }
  if (stoppedBecause !== undefined) return { records: [], stoppedBecause, ...(stoppedAtDeadline ? { stoppedAtDeadline } : {}) };
  log.info(`Sending ${inputs.requests} request${inputs.requests === 1 ? '' : 's'} at concurrency ${inputs.concurrency} (until ${describeTimeout(runDeadline.remainingInMs())} from now at most, '${INPUT.timeoutInMinutes}')...`);
  const sender = measuredSender(session, target, assertions);
  const cpuBefore = session.cpuTimeInMs?.();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.requests && stoppedBecause === undefined && session.signal?.aborted !== true && !pastDeadline('measured')) {
      next++;
      const timeout = requestTimeout();
      const record = await sender.send(timeout.timeoutInMs);
      // Cut short by the run's deadline: the task stopped it, so it is neither an answer nor the server's failure.
      if (!record.answered && timeout.cutByDeadline && runDeadline.expired()) continue;
      note(record.answered ? { answered: true } : { answered: false, code: record.error, message: record.message ?? record.error });
      records.push(record);
    }
  };
  await Promise.all(Array.from({ length: inputs.concurrency }, () => worker()));
  if (session.signal?.aborted === true) throw new CancelledError(`The measured requests were stopped after ${records.length} of ${inputs.requests}.`);
  if (next < inputs.requests && stoppedBecause === undefined) pastDeadline('measured');
  sender.judgeDeferred();
  const cpuAfter = session.cpuTimeInMs?.();
  if (cpuBefore !== undefined && cpuAfter !== undefined && records.length > 0) {
    log.info(`This agent's own work: ${formatMs((cpuAfter - cpuBefore) / records.length)} ms of CPU per measured request (sending, reading and judging it; part of each latency).`);
  }
  return stoppedBecause === undefined ? { records } : { records, stoppedBecause, ...(stoppedAtDeadline ? { stoppedAtDeadline } : {}) };
}

/** ', median 2100 ms' over the answered records, or ''. */
function answeredLatency(records: readonly RequestRecord[]): string {
  const latencies = records.flatMap((record) => (record.answered ? [record.latencyInMs] : [])).sort((a, b) => a - b);
  const median = latencies[Math.ceil(latencies.length / 2) - 1];
  return median === undefined ? '' : `, median ${formatMs(median)} ms`;
}

/** Answers kept for judging after the measured requests, at most this many bytes of bodies (beyond it they are judged at once). */
export const DEFERRED_JUDGING_BUDGET_BYTES = 64 * 1024 * 1024;

/** A measured answer whose assertions are judged once every request has been sent. */
interface DeferredRecord {
  readonly answered: true;
  readonly status: number;
  readonly latencyInMs: number;
  verdict: AnswerVerdict;
}

/**
 * One measured request with nothing around it but the request: the URL, body and headers are prepared
 * once; an answer that needs judging (assertions, or a status that is not the expected one) is judged
 * only after all requests were sent (`judgeDeferred`), so that parsing and evaluating answers never
 * delays the answers of the requests still in flight; beyond a byte budget they are judged at once.
 */
function measuredSender(
  session: Session,
  target: Target,
  assertions: readonly PlannedAssertion[],
): { send(timeoutInMs: number): Promise<RequestRecord>; judgeDeferred(): void } {
  const { inputs } = session;
  const { request } = target;
  const url = urlOf(session, request.path);
  const statusOnly = assertions.length === 0;
  const judge = (answer: HttpAnswer): AnswerVerdict => judgeAnswer(toProbeAnswer(answer), inputs.expectedStatus, assertions);
  const deferred: { record: DeferredRecord; answer: HttpAnswer }[] = [];
  let deferredBytes = 0;
  // The headers change only when the authentication does (a renewed token): built once per authentication object.
  let authentication: Readonly<Record<string, string>> | undefined;
  let headers: Record<string, string> = {};
  return {
    async send(timeoutInMs) {
      const current = await session.authHeaders();
      if (current !== authentication) {
        authentication = current;
        headers = requestHeaders(inputs, current, request.contentType);
      }
      try {
        const answer = await session.http.send({ method: request.method, url, headers, ...(request.body === undefined ? {} : { body: request.body }), timeoutInMs });
        if (statusOnly && inputs.expectedStatus.includes(answer.status)) return { answered: true, status: answer.status, latencyInMs: answer.latencyInMs, verdict: STATUS_OK };
        if (deferredBytes + answer.body.length > DEFERRED_JUDGING_BUDGET_BYTES) return { answered: true, status: answer.status, latencyInMs: answer.latencyInMs, verdict: judge(answer) };
        const record: DeferredRecord = { answered: true, status: answer.status, latencyInMs: answer.latencyInMs, verdict: NOT_YET_JUDGED };
        deferred.push({ record, answer });
        deferredBytes += answer.body.length;
        return record;
      } catch (error) {
        if (error instanceof HttpTransportError) return { answered: false, error: error.code, message: error.message };
        throw error;
      }
    },
    judgeDeferred() {
      for (const { record, answer } of deferred) record.verdict = judge(answer);
      deferred.length = 0;
      deferredBytes = 0;
    },
  };
}

/** Stands for a verdict until judgeDeferred (its status is not trusted by anything before then). */
const NOT_YET_JUDGED: AnswerVerdict = { statusOk: true, modelAnswer: true, failedAssertions: [] };
/** An expected status and no assertion to check (`modelAnswer` is read only for protocol assertions, and there are none). */
const STATUS_OK: AnswerVerdict = { statusOk: true, modelAnswer: true, failedAssertions: [] };
