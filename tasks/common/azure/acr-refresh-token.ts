import { type FetchAnswer, type FetchLike, proxiedFetch } from '../agent-proxy';
import type { Clock } from '../deadline';
import { TaskError, truncate } from '../errors';
import { classifyFailure, explainFailure } from '../service-failure';
import { retryTransient } from '../transient-retry';

/** The user name that goes with an ACR refresh token in a Docker login. */
export const ACR_REFRESH_TOKEN_USER = '00000000-0000-0000-0000-000000000000';

export interface AcrExchangeRequest {
  /** The registry's login server (from the registry resource), host[:port]. */
  loginServer: string;
  /** An Entra ID access token for the service connection's identity. */
  aadAccessToken: string;
  tenantId?: string;
}

export interface AcrExchangeDeps {
  /** Default: fetch through the agent's proxy (proxiedFetch). */
  fetch?: FetchLike;
  clock?: Clock;
  timeoutInMs?: number;
  /** Told before each retry. */
  onRetry?: (line: string) => void;
  maxAttempts?: number;
}

/** The registry answered, and said no: wrong identity or missing role. */
export class AcrSignInRefusedError extends TaskError {
  override readonly name = 'AcrSignInRefusedError';
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`the registry refused the sign-in (HTTP ${status}: ${reason})`);
  }
}

/** An answer of the exchange endpoint that was not a token: status, Retry-After and body, for classification. */
class ExchangeAnswerError extends Error {
  constructor(
    readonly statusCode: number,
    readonly response: { headers: FetchAnswer['headers']; bodyAsText: string },
  ) {
    super(`HTTP ${statusCode}: ${reasonOf(response.bodyAsText)}`);
  }
}

/**
 * `POST https://<loginServer>/oauth2/exchange` (grant_type=access_token): trades an Entra ID access token
 * for an ACR refresh token, which Docker then uses as the password of user 00000000-0000-0000-0000-000000000000.
 * There is no SDK call for this that hands the refresh token out, so it is one small request, retried
 * when transient (429, 5xx, resets), honouring Retry-After. The caller registers the returned token as a secret.
 */
export async function exchangeForAcrRefreshToken(request: AcrExchangeRequest, deps: AcrExchangeDeps = {}): Promise<string> {
  const doFetch = deps.fetch ?? proxiedFetch(undefined);
  const body = new URLSearchParams({ grant_type: 'access_token', service: request.loginServer, access_token: request.aadAccessToken });
  if (request.tenantId) body.set('tenant', request.tenantId);
  const url = `https://${request.loginServer}/oauth2/exchange`;
  try {
    return await retryTransient(
      async () => {
        const response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: body.toString(),
          signal: AbortSignal.timeout(deps.timeoutInMs ?? 30_000),
        });
        const text = await response.text();
        if (!response.ok) throw new ExchangeAnswerError(response.status, { headers: response.headers, bodyAsText: text });
        const token = parseRefreshToken(text);
        if (!token) throw new TaskError(`${url} answered without a refresh_token.`);
        return token;
      },
      { policy: { maxAttempts: deps.maxAttempts ?? 5, timeoutInMs: 2 * 60_000 }, ...(deps.clock ? { clock: deps.clock } : {}), action: `Signing in to ${request.loginServer}`, ...(deps.onRetry ? { onRetry: deps.onRetry } : {}) },
    );
  } catch (error) {
    if (error instanceof TaskError) throw error;
    const failure = classifyFailure(error);
    if (failure.kind === 'refused') throw new AcrSignInRefusedError(failure.status ?? 0, failure.detail);
    throw new TaskError(
      explainFailure(error, { action: `Signing in to container registry ${request.loginServer}`, service: 'the registry', route: `POST ${url}` }),
      { cause: error },
    );
  }
}

export function parseRefreshToken(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { refresh_token?: unknown };
    return typeof parsed.refresh_token === 'string' && parsed.refresh_token !== '' ? parsed.refresh_token : undefined;
  } catch {
    return undefined;
  }
}

/** The registry's own words, without dumping the body: `{errors:[{message}]}`, `{error_description}`, or text. */
export function reasonOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { errors?: { message?: unknown }[]; error_description?: unknown; error?: unknown; message?: unknown };
    const candidate = parsed.errors?.[0]?.message ?? parsed.error_description ?? parsed.message ?? parsed.error;
    if (typeof candidate === 'string') return truncate(candidate, 300);
  } catch {
    // not JSON
  }
  return truncate(text.trim() || 'no details', 300);
}

/** The `exp` of a JWT (an ACR refresh token), in ms since the epoch; undefined when it has none. */
export function jwtExpiresAt(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
