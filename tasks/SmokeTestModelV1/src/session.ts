import type { Clock, Deadline } from '../../common/deadline';
import { truncate } from '../../common/errors';
import type { TaskLog } from '../../common/task-runtime';
import { type AnswerBody } from './assertions/evaluate';
import { HttpTransportError, MAX_BODY_BYTES, type HttpAnswer, type HttpClient } from './http-client';
import type { SmokeTestInputs } from './input-types';
import { requestHeaders } from './plan';
import type { HttpMethod, ProbeAnswer, ProbeRequest } from './presets/types';

/** What the stages of a run share: inputs, effects, the readiness deadline and the whole run's deadline. */
export interface Session {
  readonly inputs: SmokeTestInputs;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly log: TaskLog;
  /** Readiness and the canary: 'readinessTimeoutInSeconds', or the whole run's deadline when that is sooner. */
  readonly deadline: Deadline;
  /** The input named when the readiness deadline passes. */
  readonly readinessDeadlineInput: string;
  /** The whole run ('timeoutInMinutes'): no request is sent after it, and none runs past it. */
  readonly runDeadline: Deadline;
  authHeaders(): Promise<Record<string, string>>;
  /** Aborted when the agent cancels the step: the measured requests stop. */
  readonly signal?: AbortSignal;
  /** CPU time this process has used, in ms (to report the client's own overhead); absent in tests. */
  cpuTimeInMs?(): number;
}

export const PROBE_TIMEOUT_IN_MS = 10_000;
export const INFERENCE_TIMEOUT_IN_MS = 120_000;
const EXCERPT_LENGTH = 400;

export type Outcome = { readonly answer: ProbeAnswer; readonly latencyInMs: number } | { readonly error: HttpTransportError };

export function urlOf(session: Session, path: string): string {
  return `${session.inputs.url}${path}`;
}

export interface SendOptions {
  readonly method: HttpMethod;
  readonly path: string;
  readonly body?: Buffer;
  readonly contentType?: string;
  readonly timeoutInMs: number;
}

/** Sends one request; a connection error is an outcome, not an exception. */
export async function sendRequest(session: Session, options: SendOptions): Promise<Outcome> {
  const headers = requestHeaders(session.inputs, await session.authHeaders(), options.contentType);
  try {
    const answer = await session.http.send({
      method: options.method,
      url: urlOf(session, options.path),
      headers,
      ...(options.body === undefined ? {} : { body: options.body }),
      timeoutInMs: Math.max(1, Math.round(options.timeoutInMs)),
    });
    return { answer: toProbeAnswer(answer), latencyInMs: answer.latencyInMs };
  } catch (error) {
    if (error instanceof HttpTransportError) return { error };
    throw error;
  }
}

export function probe(session: Session, request: ProbeRequest, timeoutInMs = PROBE_TIMEOUT_IN_MS): Promise<Outcome> {
  return sendRequest(session, {
    method: request.method,
    path: request.path,
    ...(request.jsonBody === undefined ? {} : { body: Buffer.from(JSON.stringify(request.jsonBody)), contentType: 'application/json' }),
    timeoutInMs: Math.min(timeoutInMs, Math.max(1, session.deadline.remainingInMs())),
  });
}

export function toProbeAnswer(answer: HttpAnswer): ProbeAnswer {
  const bodyText = answer.body.toString('utf8');
  const json = parseJson(bodyText);
  return {
    status: answer.status,
    bodyText,
    headers: answer.headers,
    ...(json.isJson ? { json: json.value } : {}),
    ...(answer.truncated ? { truncatedFromBytes: answer.bodyBytes } : {}),
  };
}

export function answerBody(answer: ProbeAnswer): AnswerBody {
  return {
    text: answer.bodyText,
    json: answer.json,
    isJson: 'json' in answer,
    ...(answer.truncatedFromBytes !== undefined ? { notJsonBecause: truncatedReason(answer.truncatedFromBytes) } : {}),
  };
}

/** Why a truncated answer cannot be read as JSON. */
export function truncatedReason(bytes: number): string {
  return `the answer is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MB (${bytes} bytes) and was truncated, so it cannot be read as JSON`;
}

/** `the answer is not JSON`, or why a long answer could not be read. */
export function notJsonReason(answer: ProbeAnswer): string {
  return answer.truncatedFromBytes !== undefined ? truncatedReason(answer.truncatedFromBytes) : 'the answer is not JSON';
}

function parseJson(text: string): { isJson: boolean; value?: unknown } {
  if (text.trim() === '') return { isJson: false };
  try {
    return { isJson: true, value: JSON.parse(text) as unknown };
  } catch {
    return { isJson: false };
  }
}

/** A body for the log: one line, cut short (the caller neutralises it with log.foreign). */
export function excerpt(text: string): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), EXCERPT_LENGTH);
}
