import type { FetchLike } from '../agent-proxy';
import type { Clock } from '../deadline';
import { TaskError, messageOf, truncate } from '../errors';
import { retry } from '../retry';

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

class TransientExchangeError extends Error {}

/**
 * `POST https://<loginServer>/oauth2/exchange` (grant_type=access_token): trades an Entra ID access token
 * for an ACR refresh token, which Docker then uses as the password of user 00000000-0000-0000-0000-000000000000.
 * There is no SDK call for this that hands the refresh token out, so it is one small request, retried
 * on 429, 5xx and network errors. The caller registers the returned token as a secret.
 */
export async function exchangeForAcrRefreshToken(request: AcrExchangeRequest, deps: AcrExchangeDeps = {}): Promise<string> {
  const doFetch = deps.fetch ?? fetch;
  const body = new URLSearchParams({ grant_type: 'access_token', service: request.loginServer, access_token: request.aadAccessToken });
  if (request.tenantId) body.set('tenant', request.tenantId);
  const url = `https://${request.loginServer}/oauth2/exchange`;
  return retry(
    async () => {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: body.toString(),
          signal: AbortSignal.timeout(deps.timeoutInMs ?? 30_000),
        });
      } catch (error) {
        throw new TransientExchangeError(`could not reach ${url}: ${causeOf(error)}`);
      }
      const text = await response.text();
      if (response.status === 429 || response.status >= 500) {
        throw new TransientExchangeError(`${url} answered HTTP ${response.status}`);
      }
      if (!response.ok) throw new AcrSignInRefusedError(response.status, reasonOf(text));
      const token = parseRefreshToken(text);
      if (!token) throw new TaskError(`${url} answered without a refresh_token.`);
      return token;
    },
    {
      classify: (error) => ({ retry: error instanceof TransientExchangeError }),
      policy: { maxAttempts: 4, initialDelayInMs: 1000, timeoutInMs: 2 * 60_000 },
      ...(deps.clock ? { clock: deps.clock } : {}),
    },
  ).catch((error: unknown) => {
    if (error instanceof TransientExchangeError) {
      throw new TaskError(`Could not sign in to container registry ${request.loginServer}: ${error.message}. Check that the agent can reach the registry.`);
    }
    throw error;
  });
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

function causeOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${messageOf(error)}${cause}`;
}
