/** Issues Entra ID access tokens (v1 shape, as Resource Manager gets them) and validates them for resources. */
import { randomBytes } from 'node:crypto';
import { claimNumber, claimString, decodeJwt, hasValidSignature, nowInSeconds, signJwt, type JwtClaims, type SigningKey } from '../../core/jwt';
import type { Principal } from '../../core/http-types';

export interface IssueRequest {
  audience: string;
  clientId: string;
  objectId: string;
  /** '0' managed identity, '1' client secret, '2' certificate or assertion. */
  appidacr: '0' | '1' | '2';
  lifetimeInSeconds?: number;
  /** Extra claims (xms_mirid for managed identities, ...). */
  extraClaims?: JwtClaims;
}

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
  expiresOn: number;
}

export type TokenCheck =
  | { valid: true; principal: Principal; claims: JwtClaims }
  | { valid: false; reason: 'malformed' | 'signature' | 'issuer' | 'expired' | 'notYetValid' | 'audience'; audience?: string };

export interface AccessTokenService {
  /** `iss` of the tokens, like `https://sts.windows.net/{tenant}/`. */
  issuer: string;
  signingKey: SigningKey;
  issue(request: IssueRequest): IssuedToken;
  /** Checks signature, issuer, lifetime (5 minutes of clock skew, as Azure allows) and audience. */
  check(token: string, acceptedAudiences: readonly string[]): TokenCheck;
}

const DEFAULT_LIFETIME_IN_SECONDS = 3599;
const CLOCK_SKEW_IN_SECONDS = 300;

export function createAccessTokenService(options: { issuer: string; tenantId: string; signingKey: SigningKey }): AccessTokenService {
  const { issuer, tenantId, signingKey } = options;
  return {
    issuer,
    signingKey,
    issue(request) {
      const now = nowInSeconds();
      const lifetime = request.lifetimeInSeconds ?? DEFAULT_LIFETIME_IN_SECONDS;
      const claims: JwtClaims = {
        aud: request.audience,
        iss: issuer,
        iat: now,
        nbf: now,
        exp: now + lifetime,
        aio: randomBytes(24).toString('base64url'),
        appid: request.clientId,
        appidacr: request.appidacr,
        idp: issuer,
        idtyp: 'app',
        oid: request.objectId,
        rh: randomBytes(16).toString('base64url'),
        sub: request.objectId,
        tid: tenantId,
        uti: randomBytes(16).toString('base64url'),
        ver: '1.0',
        xms_tcdt: now,
        ...request.extraClaims,
      };
      return { accessToken: signJwt(signingKey, claims, { x5t: signingKey.kid }), expiresInSeconds: lifetime, expiresOn: now + lifetime };
    },
    check(token, acceptedAudiences) {
      const jwt = decodeJwt(token);
      if (!jwt) return { valid: false, reason: 'malformed' };
      if (jwt.header.kid !== signingKey.kid || !hasValidSignature(jwt, signingKey.publicKey)) return { valid: false, reason: 'signature' };
      if (claimString(jwt.payload, 'iss') !== issuer) return { valid: false, reason: 'issuer' };
      const now = nowInSeconds();
      const exp = claimNumber(jwt.payload, 'exp') ?? 0;
      const nbf = claimNumber(jwt.payload, 'nbf') ?? 0;
      if (exp + CLOCK_SKEW_IN_SECONDS < now) return { valid: false, reason: 'expired' };
      if (nbf - CLOCK_SKEW_IN_SECONDS > now) return { valid: false, reason: 'notYetValid' };
      const audience = claimString(jwt.payload, 'aud') ?? '';
      if (!acceptedAudiences.includes(audience)) return { valid: false, reason: 'audience', audience };
      return {
        valid: true,
        claims: jwt.payload,
        principal: {
          objectId: claimString(jwt.payload, 'oid') ?? '',
          clientId: claimString(jwt.payload, 'appid') ?? claimString(jwt.payload, 'azp') ?? '',
          tenantId: claimString(jwt.payload, 'tid') ?? '',
          audience,
        },
      };
    },
  };
}
