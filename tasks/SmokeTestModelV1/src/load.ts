import { CancelledError } from '../../common/cancellation';
import { CLASS, type Check } from './checks';
import { classifyAnswer, classifyTransportError, describeStatus } from './classify';
import type { PlannedAssertion } from './plan';
import { pollUntilReady } from './poll';
import type { ProbeAnswer } from './presets/types';
import type { Target } from './readiness';
import { HttpTransportError } from './http-client';
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
      judge: (answer) => (inputs.expectedStatus.includes(answer.status) ? { state: 'ready' } : target.preset.inferenceStatus?.(answer.status)),
      isSuccess: (status) => inputs.expectedStatus.includes(status),
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
        message: `${result.message}${expected}.${body}`, ...(output === undefined ? {} : { output }),
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
  return { verdict, check: { classname: CLASS.inference, name, status: 'passed', durationInMs, ...(output === undefined ? {} : { output }) } };
}

/** Warm-up requests (not counted), then `requests` at `concurrency`, each judged. */
export async function measure(session: Session, target: Target, assertions: readonly PlannedAssertion[]): Promise<RequestRecord[]> {
  const { inputs, log } = session;
  if (inputs.warmupRequests > 0) {
    log.info(`Sending ${inputs.warmupRequests} warm-up request${inputs.warmupRequests === 1 ? '' : 's'} (not counted)...`);
    for (let index = 0; index < inputs.warmupRequests; index++) {
      const outcome = await send(session, target, INFERENCE_TIMEOUT_IN_MS);
      log.debug(`warm-up ${index + 1}: ${'error' in outcome ? outcome.error.code : `${outcome.answer.status} in ${formatMs(outcome.latencyInMs)} ms`}`);
    }
  }
  log.info(`Sending ${inputs.requests} request${inputs.requests === 1 ? '' : 's'} at concurrency ${inputs.concurrency}...`);
  const records: RequestRecord[] = new Array<RequestRecord>(inputs.requests);
  const sendMeasured = measuredSender(session, target, assertions);
  const cpuBefore = session.cpuTimeInMs?.();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.requests && session.signal?.aborted !== true) {
      const index = next++;
      records[index] = await sendMeasured();
    }
  };
  await Promise.all(Array.from({ length: inputs.concurrency }, () => worker()));
  if (session.signal?.aborted === true) throw new CancelledError(`The measured requests were stopped after ${records.filter((record) => record !== undefined).length} of ${inputs.requests}.`);
  const cpuAfter = session.cpuTimeInMs?.();
  if (cpuBefore !== undefined && cpuAfter !== undefined && inputs.requests > 0) {
    log.info(`This agent's own work: ${formatMs((cpuAfter - cpuBefore) / inputs.requests)} ms of CPU per measured request (sending, reading and judging it; part of each latency).`);
  }
  return records;
}

/**
 * One measured request with nothing around it but the request: the URL, body and fixed headers are
 * prepared once; the answer's body is decoded and parsed only when an assertion needs it or the status
 * is not the expected one.
 */
function measuredSender(session: Session, target: Target, assertions: readonly PlannedAssertion[]): () => Promise<RequestRecord> {
  const { inputs } = session;
  const { request } = target;
  const url = urlOf(session, request.path);
  const statusOnly = assertions.length === 0;
  return async () => {
    const headers = requestHeaders(inputs, await session.authHeaders(), request.contentType);
    try {
      const answer = await session.http.send({ method: request.method, url, headers, ...(request.body === undefined ? {} : { body: request.body }), timeoutInMs: INFERENCE_TIMEOUT_IN_MS });
      const verdict: AnswerVerdict =
        statusOnly && inputs.expectedStatus.includes(answer.status) ? STATUS_OK : judgeAnswer(toProbeAnswer(answer), inputs.expectedStatus, assertions);
      return { answered: true, status: answer.status, latencyInMs: answer.latencyInMs, verdict };
    } catch (error) {
      if (error instanceof HttpTransportError) return { answered: false, error: error.code };
      throw error;
    }
  };
}

const STATUS_OK: AnswerVerdict = { statusOk: true, failedAssertions: [] };
