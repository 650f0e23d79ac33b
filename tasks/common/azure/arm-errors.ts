/**
 * Resource Manager errors: which are worth retrying (and after how long), and what a failure means
 * for the user (pure); each task passes the hints for the error codes of its own resource types. Never prints whole error or response objects.
 */
import { TaskError, messageOf, truncate } from '../errors';
import { type RetryDecision, isTransientNetworkCode, isTransientStatus, parseRetryAfterInMs } from '../retry';
import { classifyFailure, explainFailure } from '../service-failure';

/** The parts of a @azure/core-rest-pipeline RestError this module reads. */
interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: { get(name: string): string | undefined }; bodyAsText?: string | null };
  details?: unknown;
}

/** Beyond the common transport codes: the Azure SDK's send failure, and ACI's 409 while a group changes state. */
const RETRYABLE_CODES = new Set(['REQUEST_SEND_ERROR', 'ContainerGroupTransitioning']);

export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? (error as RestErrorLike).statusCode : undefined;
}

/** The ARM error code (`error.code` of the body), else the transport code. */
export function armCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const rest = error as RestErrorLike;
  const body = parseBody(rest.response?.bodyAsText);
  return body?.code ?? rest.code;
}

export function classifyArmError(error: unknown): RetryDecision {
  const status = statusOf(error);
  const code = armCodeOf(error);
  const retry = (status !== undefined && isTransientStatus(status)) || isTransientNetworkCode(code) || (code !== undefined && RETRYABLE_CODES.has(code));
  if (!retry) return { retry: false };
  const retryAfterInMs = retryAfterOf(error);
  return retryAfterInMs === undefined ? { retry: true } : { retry: true, retryAfterInMs };
}

/** `Retry-After` in seconds or as an HTTP date, in ms; capped at 5 minutes. */
export function retryAfterOf(error: unknown, now: number = Date.now()): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const retryAfterInMs = parseRetryAfterInMs((error as RestErrorLike).response?.headers?.get('retry-after'), now);
  return retryAfterInMs === undefined ? undefined : Math.min(retryAfterInMs, 300_000);
}

interface ArmErrorBody {
  code?: string;
  message?: string;
  details?: { code?: string; target?: string; message?: string }[];
}

function parseBody(text: string | null | undefined): ArmErrorBody | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as { error?: ArmErrorBody };
    return parsed.error;
  } catch {
    return undefined;
  }
}

/** `Code: message (details...)` from an ARM error, secret-free and short. */
export function describeArmError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return messageOf(error);
  const rest = error as RestErrorLike;
  const body = parseBody(rest.response?.bodyAsText);
  const code = body?.code ?? rest.code;
  const message = body?.message ?? rest.message ?? messageOf(error);
  const details = (body?.details ?? []).map((d) => d.message ?? d.code ?? '').filter((d) => d !== '');
  const status = rest.statusCode !== undefined ? `HTTP ${rest.statusCode}` : undefined;
  const head = [status, code].filter((p) => p !== undefined).join(' ');
  return truncate(`${head ? `${head}: ` : ''}${message}${details.length > 0 ? ` (${details.join(' ')})` : ''}`, 1200);
}

/** `GET https://management.azure.com/subscriptions/.../containerGroups/x` (no query) from a RestError's request. */
export function routeOf(error: unknown): string {
  const request = typeof error === 'object' && error !== null ? (error as { request?: { method?: unknown; url?: unknown } }).request : undefined;
  if (typeof request?.url !== 'string') return 'its Resource Manager endpoint';
  return `${typeof request.method === 'string' ? `${request.method} ` : ''}${request.url.split('?')[0] ?? ''}`;
}

/**
 * A TaskError for a failed Resource Manager call: what was attempted, Azure's answer, and what to check.
 * Transient answers (throttling, 5xx, resets) are explained once, in common code: "retry later".
 */
export function armFailure(action: string, error: unknown, hints: Readonly<Record<string, string>> = {}): TaskError {
  if (error instanceof TaskError) return error;
  if (classifyFailure(error).kind === 'transient') {
    return new TaskError(explainFailure(error, { action, service: 'Azure', route: routeOf(error) }), { cause: error });
  }
  const code = armCodeOf(error);
  const hint = code !== undefined ? hints[code] : undefined;
  return new TaskError(`${action} failed: ${describeArmError(error)}${hint ? ` ${hint}` : ''}`, { cause: error });
}

/**
 * One request, cancelled when it has not been answered within `timeoutInMs`: a hung connection then
 * becomes a retryable ETIMEDOUT instead of holding the task past its deadline.
 */
export async function withRequestTimeout<T>(operation: (signal: AbortSignal) => Promise<T>, timeoutInMs: number): Promise<T> {
  const signal = AbortSignal.timeout(timeoutInMs);
  try {
    return await operation(signal);
  } catch (error) {
    if (!signal.aborted) throw error;
    throw Object.assign(new Error(`Resource Manager did not answer within ${Math.round(timeoutInMs / 1000)} s`), { code: 'ETIMEDOUT' });
  }
}
