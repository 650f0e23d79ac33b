/**
 * ACR's own tokens: refresh tokens (from /oauth2/exchange, or what the docker CLI logs in with) and
 * access tokens (from /oauth2/token) carrying `access: [{type, name, actions}]` for the requested scopes.
 */
import { randomUUID } from 'node:crypto';
import { claimNumber, claimString, decodeJwt, hasValidSignature, nowInSeconds, signJwt, type SigningKey } from '../../core/jwt';

export const ACR_ISSUER = 'Azure Container Registry';
const REFRESH_LIFETIME_IN_SECONDS = 3 * 60 * 60;
export const ACCESS_LIFETIME_IN_SECONDS = 75 * 60;

export interface ScopeAccess {
  type: string;
  name: string;
  actions: string[];
}

export interface RegistryTokens {
  issueRefreshToken(subject: string, tenantId: string): string;
  /** The subject of a valid refresh token for this registry, else undefined. */
  checkRefreshToken(token: string): string | undefined;
  issueAccessToken(subject: string, grantType: string, access: ScopeAccess[]): string;
  /** The access of a valid access token for this registry, else undefined. */
  checkAccessToken(token: string): ScopeAccess[] | undefined;
}

/** Parses `repository:samples/hello:pull,push registry:catalog:*` (space separated, possibly repeated). */
export function parseScopes(scopes: readonly string[]): ScopeAccess[] {
  const result: ScopeAccess[] = [];
  for (const item of scopes.flatMap((scope) => scope.split(' ')).filter((scope) => scope !== '')) {
    const first = item.indexOf(':');
    const last = item.lastIndexOf(':');
    if (first <= 0 || last === first) continue;
    result.push({ type: item.slice(0, first), name: item.slice(first + 1, last), actions: item.slice(last + 1).split(',').filter((a) => a !== '') });
  }
  return result;
}

export function formatScope(access: ScopeAccess): string {
  return `${access.type}:${access.name}:${access.actions.join(',')}`;
}

export function createRegistryTokens(loginServer: string, key: SigningKey): RegistryTokens {
  function check(token: string, grantTypes: readonly string[]): Record<string, unknown> | undefined {
    const jwt = decodeJwt(token);
    if (!jwt || !hasValidSignature(jwt, key.publicKey)) return undefined;
    if (claimString(jwt.payload, 'aud') !== loginServer || claimString(jwt.payload, 'iss') !== ACR_ISSUER) return undefined;
    if ((claimNumber(jwt.payload, 'exp') ?? 0) < nowInSeconds()) return undefined;
    if (!grantTypes.includes(claimString(jwt.payload, 'grant_type') ?? '')) return undefined;
    return jwt.payload;
  }
  const base = (subject: string, lifetime: number, grantType: string): Record<string, unknown> => {
    const now = nowInSeconds();
    return { jti: randomUUID(), sub: subject, nbf: now, exp: now + lifetime, iat: now, iss: ACR_ISSUER, aud: loginServer, version: '1.0', grant_type: grantType };
  };
  return {
    issueRefreshToken: (subject, tenantId) =>
      signJwt(key, { ...base(subject, REFRESH_LIFETIME_IN_SECONDS, 'refresh_token'), tenant: tenantId, permissions: { actions: ['*'], notActions: [] }, roles: [] }),
    checkRefreshToken: (token) => {
      const claims = check(token, ['refresh_token']);
      return claims ? claimString(claims, 'sub') : undefined;
    },
    issueAccessToken: (subject, grantType, access) => signJwt(key, { ...base(subject, ACCESS_LIFETIME_IN_SECONDS, 'access_token'), source_grant_type: grantType, access, roles: [] }),
    checkAccessToken: (token) => {
      const claims = check(token, ['access_token']);
      if (!claims || !Array.isArray(claims.access)) return undefined;
      return (claims.access as unknown[]).filter((entry): entry is ScopeAccess => {
        const value = entry as Partial<ScopeAccess>;
        return typeof value.type === 'string' && typeof value.name === 'string' && Array.isArray(value.actions);
      });
    },
  };
}

/** True when `granted` holds every action of `required`. */
export function allows(granted: readonly ScopeAccess[], required: ScopeAccess): boolean {
  const entries = granted.filter((entry) => entry.type === required.type && entry.name === required.name);
  return required.actions.every((action) => entries.some((entry) => entry.actions.includes(action) || entry.actions.includes('*')));
}
