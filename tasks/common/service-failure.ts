/**
 * What a failed call to a service means (Resource Manager, Entra ID, managed identity, Azure DevOps,
 * a container registry), decided once for every task (pure):
 * - transient: throttled (429), a 5xx, 408, or the connection reset, refused or timed out -> retried,
 *   then "Azure answered HTTP 503 on <route> ... retry later", never credential advice;
 * - refused: 400/401/403 -> the service's own code and the credential or role advice of the caller;
 * - notFound: 404; other: anything else, shown as it is.
 * Reads the shapes the clients throw: RestError (@azure/core-rest-pipeline), AuthenticationError
 * (@azure/identity), azure-devops-node-api's errors (statusCode), fetch's TypeError with a cause.
 */
import { TaskError, messageOf, truncate } from './errors';
import { isTransientStatus, parseRetryAfterInMs, retryGiveUpOf } from './retry';

export type FailureKind = 'transient' | 'refused' | 'notFound' | 'other';

export interface ServiceFailure {
  kind: FailureKind;
  status?: number;
  /** The service's error code (AADSTS7000215, AuthorizationFailed, invalid_client, UNAUTHORIZED) when it gave one. */
  code?: string;
  /** The transport's code when no answer came (ECONNRESET, ETIMEDOUT, UND_ERR_SOCKET...). */
  transport?: string;
  /** The service's Retry-After, in ms. */
  retryAfterInMs?: number;
  /** The service's own words, short and secret-free (no bodies dumped). */
  detail: string;
}

const REFUSED_STATUS = new Set([400, 401, 403]);

/** What happened on the wire, for transport codes. */
const TRANSPORT_WORDS: Record<string, string> = {
  ECONNRESET: 'closed the connection',
  UND_ERR_SOCKET: 'closed the connection',
  EPIPE: 'closed the connection',
  ERR_STREAM_PREMATURE_CLOSE: 'closed the connection',
  UND_ERR_CLOSED: 'closed the connection',
  ECONNREFUSED: 'refused the connection',
  ETIMEDOUT: 'did not answer in time',
  UND_ERR_CONNECT_TIMEOUT: 'did not answer in time',
  UND_ERR_HEADERS_TIMEOUT: 'did not answer in time',
  UND_ERR_BODY_TIMEOUT: 'did not answer in time',
  TimeoutError: 'did not answer in time',
  AbortError: 'did not answer in time',
  EAI_AGAIN: 'could not be resolved (DNS)',
  REQUEST_SEND_ERROR: 'could not be reached',
  FETCH_FAILED: 'could not be reached',
};

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  statusCode?: unknown;
  status?: unknown;
  cause?: unknown;
  retryAfterInMs?: unknown;
  errorResponse?: { error?: unknown; errorDescription?: unknown; errorCodes?: unknown };
  response?: { status?: unknown; headers?: unknown; bodyAsText?: unknown };
}

function shape(error: unknown): ErrorShape | undefined {
  return typeof error === 'object' && error !== null ? error : undefined;
}

/** The HTTP status a client's error carries, if an answer came at all. */
export function statusOfFailure(error: unknown): number | undefined {
  for (let current = shape(error), depth = 0; current && depth < 4; current = shape(current.cause), depth++) {
    for (const candidate of [current.statusCode, current.status, current.response?.status]) {
      if (typeof candidate === 'number' && candidate >= 100 && candidate <= 599) return candidate;
    }
  }
  return undefined;
}

function transportOf(error: unknown): string | undefined {
  for (let current = shape(error), depth = 0; current && depth < 5; current = shape(current.cause), depth++) {
    if (typeof current.code === 'string' && TRANSPORT_WORDS[current.code] !== undefined) return current.code;
    if (typeof current.name === 'string' && (current.name === 'TimeoutError' || current.name === 'AbortError')) return current.name;
    if (typeof current.message === 'string' && /socket hang up|other side closed|ECONNRESET/i.test(current.message)) return 'ECONNRESET';
    if (current.name === 'TypeError' && current.message === 'fetch failed' && shape(current.cause) === undefined) return 'FETCH_FAILED';
  }
  return undefined;
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') {
    const value: unknown = (getter as (n: string) => unknown).call(headers, name);
    return typeof value === 'string' ? value : undefined;
  }
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

interface BodyFacts {
  code?: string;
  message?: string;
}

/** ARM `{error:{code,message}}`, registry `{errors:[{code,message}]}`, OAuth `{error, error_description}`. */
function bodyFacts(text: unknown): BodyFacts {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown } | string;
      error_description?: unknown;
      errors?: { code?: unknown; message?: unknown }[];
      message?: unknown;
    };
    const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
    if (typeof parsed.error === 'object' && parsed.error !== null) return { ...opt('code', str(parsed.error.code)), ...opt('message', str(parsed.error.message)) };
    if (typeof parsed.error === 'string') return { code: parsed.error, ...opt('message', str(parsed.error_description)) };
    const first = Array.isArray(parsed.errors) ? parsed.errors[0] : undefined;
    if (first) return { ...opt('code', str(first.code)), ...opt('message', str(first.message)) };
    return opt('message', str(parsed.message));
  } catch {
    return {};
  }
}

function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function serviceCodeOf(error: ErrorShape, body: BodyFacts): string | undefined {
  const aadCodes = error.errorResponse?.errorCodes;
  if (Array.isArray(aadCodes) && typeof aadCodes[0] === 'number') return `AADSTS${aadCodes[0]}`;
  const aadError = error.errorResponse?.error;
  if (typeof aadError === 'string' && aadError !== '' && aadError !== 'unknown') return aadError;
  if (body.code !== undefined) return body.code;
  return typeof error.code === 'string' && TRANSPORT_WORDS[error.code] === undefined && !/^(ERR_|E[A-Z]+$)/.test(error.code) ? error.code : undefined;
}

/** Classifies anything a client threw. A TaskError is already explained (e.g. a token failure inside a client's call): never retried or re-explained. */
export function classifyFailure(error: unknown, now: number = Date.now()): ServiceFailure {
  if (error instanceof TaskError) return { kind: 'other', detail: error.message };
  const status = statusOfFailure(error);
  const top = shape(error) ?? {};
  const body = bodyFacts(top.response?.bodyAsText);
  const code = serviceCodeOf(top, body);
  const transport = status === undefined ? transportOf(error) : undefined;
  const header = headerOf(top.response?.headers, 'retry-after');
  const retryAfterInMs = typeof top.retryAfterInMs === 'number' ? top.retryAfterInMs : parseRetryAfterInMs(header, now);
  const description = top.errorResponse?.errorDescription;
  const detailSource = body.message ?? (typeof description === 'string' && description !== '' ? description : undefined) ?? messageOf(error);
  const detail = truncate((detailSource.split(/\r?\n/)[0] ?? '').trim(), 300);
  let kind: FailureKind = 'other';
  if ((status !== undefined && isTransientStatus(status)) || transport !== undefined || code === 'ContainerGroupTransitioning') kind = 'transient';
  else if (status !== undefined && REFUSED_STATUS.has(status)) kind = 'refused';
  else if (status === 404) kind = 'notFound';
  return {
    kind,
    ...(status !== undefined ? { status } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(transport !== undefined ? { transport } : {}),
    ...(retryAfterInMs !== undefined ? { retryAfterInMs } : {}),
    detail,
  };
}

/** `answered HTTP 503 (ServiceUnavailable)` / `closed the connection (ECONNRESET)`. */
export function describeAnswer(failure: ServiceFailure): string {
  if (failure.status !== undefined) return `answered HTTP ${failure.status}${failure.code ? ` (${failure.code})` : ''}`;
  if (failure.transport !== undefined) return `${TRANSPORT_WORDS[failure.transport] ?? 'failed'} (${failure.transport})`;
  return 'failed';
}

export function seconds(ms: number): string {
  const value = ms / 1000;
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} s`;
}

export interface FailureContext {
  /** What the task was doing: `Signing in with service connection 'x'`. */
  action: string;
  /** Who answered: 'Azure', 'Entra ID', 'the registry', 'Azure DevOps'. */
  service: string;
  /** The route: `POST https://host/tenant/oauth2/v2.0/token`. */
  route: string;
  /** Advice for a refusal (400/401/403): which credential or role to check. */
  refusedAdvice?: (failure: ServiceFailure) => string;
}

/**
 * The one message for a failed call: the action, who answered what on which route, how often it was
 * tried, and the fix. Transient failures end in "retry later" (with the Retry-After that did not fit
 * the deadline, when that was why the task stopped); refusals get the caller's advice.
 */
export function explainFailure(error: unknown, context: FailureContext): string {
  if (error instanceof TaskError) return error.message;
  const failure = classifyFailure(error);
  const head = `${context.action} failed: ${context.service} ${describeAnswer(failure)} on ${context.route}`;
  const detail = failure.detail ? `: ${failure.detail}` : '';
  if (failure.kind === 'transient') {
    const giveUp = retryGiveUpOf(error);
    const tries = giveUp && giveUp.attempts > 1 ? ` (tried ${giveUp.attempts} times over ${seconds(giveUp.elapsedInMs)})` : '';
    const beyond =
      giveUp?.retryAfterInMs !== undefined
        ? ` ${context.service} asked to retry after ${seconds(giveUp.retryAfterInMs)}; ${seconds(giveUp.remainingInMs)} of ${giveUp.deadlineName} were left.`
        : '';
    const why = failure.status === 429 ? 'it is throttling requests' : 'this is a temporary problem on its side, not a configuration error';
    return `${head}${tries}.${beyond} ${capitalise(why)}: retry later.`;
  }
  const advice = failure.kind === 'refused' && context.refusedAdvice ? ` ${context.refusedAdvice(failure)}` : '';
  return `${head}${detail.replace(/[.\s]+$/, '')}.${advice}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
