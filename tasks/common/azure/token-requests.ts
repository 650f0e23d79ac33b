/**
 * Token requests of a credential, bounded and explained: @azure/identity (through MSAL) reports a
 * throttled or failing token endpoint as `[object Object]: Error(s): Not Available` or `network_error`,
 * with no status. So the credential's HTTP client is wrapped to remember the last answer (status,
 * Retry-After, or the transport error), its own retries are off, and the task retries here: bounded,
 * honouring Retry-After within the deadline, then one message from service-failure.ts.
 */
import type { HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { Clock } from '../deadline';
import { TaskError } from '../errors';
import { retry } from '../retry';
import { classifyFailure, explainFailure } from '../service-failure';

/** The last answer of the token endpoint, as the wrapped HTTP client saw it. */
export interface LastTokenAnswer {
  statusCode?: number;
  retryAfter?: string;
  transportCode?: string;
  bodyAsText?: string;
}

export interface RecordingHttpClient {
  httpClient: HttpClient;
  /** The last answer since `reset()`. */
  last(): LastTokenAnswer | undefined;
  reset(): void;
}

/** Wraps `inner`, remembering each answer's status and Retry-After (bodies of errors only, never tokens). */
export function recordingHttpClient(inner: HttpClient): RecordingHttpClient {
  let last: LastTokenAnswer | undefined;
  return {
    httpClient: {
      async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
        try {
          const response = await inner.sendRequest(request);
          const retryAfter = response.headers.get('retry-after');
          last = {
            statusCode: response.status,
            ...(retryAfter !== undefined ? { retryAfter } : {}),
            ...(response.status >= 400 && typeof response.bodyAsText === 'string' ? { bodyAsText: response.bodyAsText.slice(0, 2000) } : {}),
          };
          return response;
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          last = { transportCode: typeof code === 'string' ? code : 'ECONNRESET' };
          throw error;
        }
      },
    },
    last: () => last,
    reset: () => {
      last = undefined;
    },
  };
}

/** The thrown error, with what the HTTP client saw attached (status, code, Retry-After), for classification. */
export function withTokenAnswer(error: unknown, answer: LastTokenAnswer | undefined): unknown {
  if (answer === undefined || (answer.statusCode !== undefined && answer.statusCode < 400)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const headers = new Map<string, string>(answer.retryAfter !== undefined ? [['retry-after', answer.retryAfter]] : []);
  return Object.assign(new Error(message.replace(/\[object Object\]: /, '')), {
    name: error instanceof Error ? error.name : 'Error',
    ...(answer.statusCode !== undefined ? { statusCode: answer.statusCode } : {}),
    ...(answer.transportCode !== undefined ? { code: answer.transportCode } : {}),
    response: { headers, bodyAsText: answer.bodyAsText },
    cause: error,
  });
}

export interface BoundedCredentialOptions {
  recorder: RecordingHttpClient;
  /** For messages: what is being done, and on which route. */
  action: string;
  service: string;
  route: string;
  refusedAdvice: () => string;
  clock?: Clock;
  /** How long token requests may keep failing before the task gives up (default 2 minutes). */
  budgetInMs?: number;
  deadlineName?: string;
  maxAttempts?: number;
  /**
   * A TaskError the credential's own callback raised in the last attempt (the OIDC token request of
   * workload identity federation), which MSAL wraps into its own error: it is the failure to report.
   */
  callbackFailure?: () => TaskError | undefined;
}

/**
 * A credential whose failures are retried when transient and explained once. `createInner` makes a
 * fresh credential after a transient failure: MSAL refuses every request of a client application for
 * the Retry-After (60 s without one) after a 429 or 5xx, so a retry needs a new one.
 */
export function boundedCredential(createInner: () => TokenCredential, options: BoundedCredentialOptions): TokenCredential {
  let inner = createInner();
  let failedTransiently = false;
  return {
    async getToken(scopes: string | string[], getTokenOptions?: GetTokenOptions): Promise<AccessToken | null> {
      try {
        return await retry(
          async () => {
            options.recorder.reset();
            if (failedTransiently) {
              inner = createInner();
              failedTransiently = false;
            }
            try {
              return await inner.getToken(scopes, getTokenOptions);
            } catch (error) {
              if (error instanceof TaskError) throw error;
              const fromCallback = options.callbackFailure?.();
              if (fromCallback !== undefined) throw fromCallback;
              const explained = withTokenAnswer(error, options.recorder.last());
              failedTransiently = classifyFailure(explained).kind === 'transient';
              throw explained;
            }
          },
          {
            classify: (error) => {
              if (error instanceof TaskError) return { retry: false };
              const failure = classifyFailure(error);
              return failure.kind === 'transient' ? { retry: true, ...(failure.retryAfterInMs !== undefined ? { retryAfterInMs: failure.retryAfterInMs } : {}) } : { retry: false };
            },
            // A caller's `requestOptions.timeout` bounds the whole token wait (SmokeTestModel: what is left of its deadline).
            policy: { maxAttempts: options.maxAttempts ?? 5, initialDelayInMs: 500, maxDelayInMs: 8000, timeoutInMs: Math.min(options.budgetInMs ?? 2 * 60_000, getTokenOptions?.requestOptions?.timeout ?? Infinity) },
            ...(options.clock ? { clock: options.clock } : {}),
            deadlineName: options.deadlineName ?? `the ${Math.round((options.budgetInMs ?? 120_000) / 1000)} s allowed for getting a token`,
          },
        );
      } catch (error) {
        if (error instanceof TaskError) throw error;
        const message = explainFailure(error, { action: options.action, service: options.service, route: options.route, refusedAdvice: options.refusedAdvice });
        const unavailable = error instanceof Error && error.name === 'CredentialUnavailableError' && classifyFailure(error).kind !== 'transient';
        throw new TaskError(unavailable ? `${message} ${options.refusedAdvice()}` : message, { cause: error });
      }
    },
  };
}
