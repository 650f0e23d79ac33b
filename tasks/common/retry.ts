import { type Clock, Deadline, systemClock } from './deadline';
import { messageOf } from './errors';

/** HTTP statuses worth another try: request timeout, throttling and the server errors that pass. */
export const TRANSIENT_HTTP_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Transport failures (no answer came) worth another try: Node's socket codes and undici's (fetch). */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ESOCKETTIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_HTTP_STATUS.has(status);
}

export function isTransientNetworkCode(code: unknown): boolean {
  return typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code);
}

/**
 * `Retry-After` (RFC 9110 section 10.2.3: delay-seconds or an HTTP date) in ms, never negative;
 * undefined when absent or malformed. `nowInMs` comes from the caller's clock.
 */
export function parseRetryAfterInMs(header: string | readonly string[] | undefined, nowInMs: number): number | undefined {
  const text = (typeof header === 'string' ? header : header?.[0])?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date in any of its three forms begins with the day's name ("Sun, 06 Nov 1994 08:49:37 GMT").
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - nowInMs) : undefined;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Delay before attempt n+1 (n starts at 1), before `retryAfterInMs` is considered. */
  initialDelayInMs: number;
  maxDelayInMs: number;
  /** Overall budget; no attempt starts after it. */
  timeoutInMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialDelayInMs: 1000,
  maxDelayInMs: 30_000,
  timeoutInMs: 5 * 60_000,
};

export interface RetryDecision {
  retry: boolean;
  /** A server's `Retry-After`, when it gave one. */
  retryAfterInMs?: number;
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  classify: (error: unknown) => RetryDecision;
  clock?: Clock;
  onRetry?: (info: { attempt: number; delayInMs: number; error: unknown; message: string }) => void;
  /** The deadline's name for messages, e.g. "'timeoutInMinutes'" (default 'the time allowed'). */
  deadlineName?: string;
}

/** Why `retry` stopped retrying an error it would otherwise retry: read by the one message builder (service-failure.ts). */
export interface RetryGiveUp {
  attempts: number;
  elapsedInMs: number;
  /** Set when the server's Retry-After did not fit in what was left of the deadline. */
  retryAfterInMs?: number;
  remainingInMs: number;
  deadlineName: string;
}

const giveUps = new WeakMap<object, RetryGiveUp>();

/** The facts of the last retry() that gave up on `error`, when one did. */
export function retryGiveUpOf(error: unknown): RetryGiveUp | undefined {
  return typeof error === 'object' && error !== null ? giveUps.get(error) : undefined;
}

function noteGiveUp(error: unknown, facts: RetryGiveUp): void {
  if (typeof error === 'object' && error !== null) giveUps.set(error, facts);
}

/** Exponential backoff, capped, honouring Retry-After, bounded by attempts and by a deadline. */
export function backoffDelayInMs(policy: RetryPolicy, attempt: number, retryAfterInMs?: number): number {
  const exponential = Math.min(policy.maxDelayInMs, policy.initialDelayInMs * 2 ** (attempt - 1));
  return retryAfterInMs !== undefined ? Math.max(retryAfterInMs, 0) : exponential;
}

export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const clock = options.clock ?? systemClock;
  const deadline = new Deadline(clock, policy.timeoutInMs);
  const startedAt = clock.now();
  const deadlineName = options.deadlineName ?? 'the time allowed';
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const decision = options.classify(error);
      if (!decision.retry) throw error;
      const facts = { attempts: attempt, elapsedInMs: clock.now() - startedAt, remainingInMs: deadline.remainingInMs(), deadlineName };
      if (attempt >= policy.maxAttempts) {
        noteGiveUp(error, facts);
        throw error;
      }
      const delayInMs = backoffDelayInMs(policy, attempt, decision.retryAfterInMs);
      if (delayInMs >= deadline.remainingInMs()) {
        noteGiveUp(error, { ...facts, ...(decision.retryAfterInMs !== undefined ? { retryAfterInMs: decision.retryAfterInMs } : {}) });
        throw error;
      }
      options.onRetry?.({ attempt, delayInMs, error, message: messageOf(error) });
      await clock.sleep(delayInMs);
    }
  }
}
