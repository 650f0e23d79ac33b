import { parseRetryAfterInMs } from '../../common/retry';
import { expectedRefusals, isRefusalStatus, isSuccessStatus } from './expectation';
import type { Judgement, ProbeAnswer } from './presets/types';

/**
 * How readiness probes and the canary read an answer or a connection error. Retried until the one
 * readiness deadline: connection refused/reset, DNS errors, timeouts, 404, 408, 429, 502, 503, 504 and
 * the protocol's own not-ready answers, unless their status is expected. Failed at once: 401, 403 and a
 * protocol's own refusal of the credentials (TorchServe's 400 InvalidKeyException) when not expected,
 * 415, TLS errors, anything else. An expected status is the answer (see expectation.ts).
 */
const RETRIED_STATUSES = new Set([404, 408, 425, 429, 502, 503, 504]);

const RETRIED_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  ECONNABORTED: 'connection aborted',
  REQUEST_TIMEOUT: 'no answer within the request timeout',
  SOCKET_HANG_UP: 'connection closed before an answer',
};

const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO/;

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 424: 'Failed Dependency', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function describeStatus(status: number): string {
  const text = STATUS_TEXT[status];
  return text === undefined ? String(status) : `${status} ${text}`;
}

/** 'connection refused' for ECONNREFUSED; the code itself when it is not a known one. */
export function describeTransportError(code: string): string {
  return RETRIED_ERRORS[code] ?? code;
}

export function classifyTransportError(code: string | undefined, message: string): Judgement {
  const known = code === undefined ? undefined : RETRIED_ERRORS[code];
  if (known !== undefined) return { state: 'notReady', reason: known };
  if (code !== undefined && TLS_ERROR.test(code)) {
    return {
      state: 'failed',
      reason: `TLS error ${code} (${message}). If the server uses a private certificate authority, give its PEM file in 'caCertificate'.`,
    };
  }
  return { state: 'failed', reason: `${code ?? 'error'}: ${message}` };
}

export interface AnswerRules {
  /**
   * 'readiness': a probe before the inference (2xx and the protocol's judge say ready; an expected
   * error status ends the wait too). 'inference': the request under test (the expected statuses decide).
   */
  stage: 'readiness' | 'inference';
  /** The statuses the user expects of the inference answers ('expectedStatus'). */
  expected: readonly number[];
  /** The protocol's own reading, tried after the refusal and expected-status checks. */
  judge?: (answer: ProbeAnswer) => Judgement | undefined;
  /** Said on 401/403 and on a protocol's own refusal of the credentials. */
  authHint: string;
  /** A protocol's own way of refusing credentials (TorchServe: 400 InvalidKeyException); what it said, or undefined. */
  authRefusal?: (answer: ProbeAnswer) => string | undefined;
  nowInMs: number;
}

/** How the server refused the credentials, when it did: 401/403, or the protocol's own refusal (what it said). */
export function refusalOf(answer: ProbeAnswer, authRefusal?: (answer: ProbeAnswer) => string | undefined): { status: number; said?: string } | undefined {
  if (isRefusalStatus(answer.status)) return { status: answer.status };
  const said = authRefusal?.(answer);
  return said === undefined ? undefined : { status: answer.status, said };
}

/**
 * A refusal of the credentials: the expected answer when its status is expected (during readiness,
 * the server is up); otherwise a failure at once, saying which refusal to expect when another was.
 */
export function judgeRefusal(refusal: { status: number; said?: string }, expected: readonly number[], authHint: string): Judgement {
  const what = `${describeStatus(refusal.status)}${refusal.said === undefined ? '' : `: ${refusal.said}`}`;
  if (expected.includes(refusal.status)) return { state: 'ready', note: `the server refuses the credentials (${what}), as expected` };
  const refusals = expectedRefusals(expected);
  if (refusals.length > 0) {
    return {
      state: 'failed',
      reason: `the server refused the credentials with ${what}, not ${refusals.join(' or ')}: if that is the refusal you mean to test, set 'expectedStatus' to ${refusal.status}`,
    };
  }
  return refusal.said === undefined
    ? { state: 'failed', reason: `the server answered ${describeStatus(refusal.status)}. ${authHint}` }
    : { state: 'failed', reason: `the server refused the credentials (${what}). ${authHint}` };
}

export function classifyAnswer(answer: ProbeAnswer, rules: AnswerRules): Judgement {
  const refusal = refusalOf(answer, rules.authRefusal);
  if (refusal !== undefined) return judgeRefusal(refusal, rules.expected, rules.authHint);
  const expected = rules.expected.includes(answer.status);
  if (expected && rules.stage === 'inference') return { state: 'ready' };
  if (answer.status === 415) {
    return {
      state: 'failed',
      reason: `the server answered ${describeStatus(415)}: it does not accept the request's Content-Type. Set a 'Content-Type: ...' line in 'headers' or send a JSON body.`,
    };
  }
  const judged = rules.judge?.(answer);
  if (judged !== undefined) return judged;
  if (rules.stage === 'readiness' && isSuccessStatus(answer.status)) return { state: 'ready' };
  if (expected) return { state: 'ready', note: `the server answered ${describeStatus(answer.status)}, an expected status` };
  if (RETRIED_STATUSES.has(answer.status)) {
    const retryAfterInMs = parseRetryAfterInMs(answer.headers['retry-after'], rules.nowInMs);
    return { state: 'notReady', reason: `the server answered ${describeStatus(answer.status)}`, ...(retryAfterInMs === undefined ? {} : { retryAfterInMs }) };
  }
  if (rules.stage === 'inference' && isSuccessStatus(answer.status) && expectedRefusals(rules.expected).length > 0) {
    return { state: 'failed', reason: `the server answered ${describeStatus(answer.status)}: it served the request instead of refusing the credentials, so it does not enforce authentication here` };
  }
  return { state: 'failed', reason: `the server answered ${describeStatus(answer.status)}` };
}

/** Backoff between readiness attempts: 250 ms doubling to 5 s (a model that loads is noticed quickly). */
export const READINESS_BACKOFF = { initialDelayInMs: 250, maxDelayInMs: 5000 } as const;

export function readinessDelayInMs(attempt: number, retryAfterInMs?: number): number {
  if (retryAfterInMs !== undefined) return Math.min(retryAfterInMs, 60_000);
  return Math.min(READINESS_BACKOFF.maxDelayInMs, READINESS_BACKOFF.initialDelayInMs * 2 ** Math.max(0, attempt - 1));
}
