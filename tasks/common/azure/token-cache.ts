/**
 * One Entra ID token per scope for the whole task: every client (Resource Manager, registry sign-in,
 * manifest reads) asks the same credential, which asks Entra ID again only when its token is near
 * expiry. Requests made at the same time share one sign-in. A request with claims (a Continuous Access
 * Evaluation challenge) always goes to Entra ID. The credential underneath still fetches a fresh OIDC
 * assertion for every Entra ID request it makes.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/** A token is renewed this long before it expires (or at its `refreshAfterTimestamp`, when earlier). */
export const TOKEN_REFRESH_MARGIN_IN_MS = 2 * 60_000;

export function cachingCredential(inner: TokenCredential, now: () => number = Date.now): TokenCredential {
  const tokens = new Map<string, AccessToken>();
  const pending = new Map<string, Promise<AccessToken | null>>();
  const fresh = (token: AccessToken): boolean => {
    const renewAt = Math.min(token.expiresOnTimestamp - TOKEN_REFRESH_MARGIN_IN_MS, token.refreshAfterTimestamp ?? Number.POSITIVE_INFINITY);
    return now() < renewAt;
  };
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      if (options?.claims) return inner.getToken(scopes, options);
      const key = `${options?.tenantId ?? ''}|${[scopes].flat().sort().join(' ')}`;
      const cached = tokens.get(key);
      if (cached !== undefined && fresh(cached)) return Promise.resolve(cached);
      let request = pending.get(key);
      if (request === undefined) {
        request = inner.getToken(scopes, options).then(
          (token) => {
            pending.delete(key);
            if (token !== null) tokens.set(key, token);
            return token;
          },
          (error: unknown) => {
            pending.delete(key);
            throw error;
          },
        );
        pending.set(key, request);
      }
      return request;
    },
  };
}
