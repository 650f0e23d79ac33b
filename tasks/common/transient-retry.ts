import type { Clock } from './deadline';
import { type RetryPolicy, retry } from './retry';
import { classifyFailure, describeAnswer, seconds } from './service-failure';

export interface TransientRetryOptions {
  policy?: Partial<RetryPolicy>;
  clock?: Clock;
  /** For the message when a Retry-After does not fit: "'timeoutInMinutes'". */
  deadlineName?: string;
  /** Told before each wait: `Listing registries: Azure answered HTTP 503; retrying in 1 s (attempt 2 of 5).` */
  onRetry?: (line: string) => void;
  /** Prefix of the retry line. */
  action?: string;
}

export const SERVICE_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialDelayInMs: 500, maxDelayInMs: 10_000, timeoutInMs: 2 * 60_000 };

/**
 * Runs `operation`, retrying what service-failure.ts calls transient (429, 5xx, resets, timeouts),
 * honouring Retry-After; bounded by attempts and a budget. The caller explains the final error with
 * `explainFailure` (which reads how often it was tried and whether a Retry-After did not fit).
 */
export function retryTransient<T>(operation: (attempt: number) => Promise<T>, options: TransientRetryOptions = {}): Promise<T> {
  const policy = { ...SERVICE_RETRY_POLICY, ...options.policy };
  return retry(operation, {
    policy,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.deadlineName ? { deadlineName: options.deadlineName } : {}),
    classify: (error) => {
      const failure = classifyFailure(error);
      if (failure.kind !== 'transient') return { retry: false };
      return failure.retryAfterInMs !== undefined ? { retry: true, retryAfterInMs: failure.retryAfterInMs } : { retry: true };
    },
    onRetry: ({ attempt, delayInMs, error }) =>
      options.onRetry?.(
        `${options.action ?? 'A request'}: ${describeAnswer(classifyFailure(error))}; retrying in ${seconds(delayInMs)} (attempt ${attempt + 1} of ${policy.maxAttempts}).`,
      ),
  });
}
