/**
 * How Entra ID authenticates a confidential client on its token endpoint: client secret, certificate
 * assertion (signature with a registered certificate, `aud` = the token endpoint), or federated assertion
 * (signed by a trusted issuer, matching one of the app's federated credentials, within its lifetime).
 */
import { timingSafeEqual } from 'node:crypto';
import { claimNumber, claimString, decodeJwt, hasValidSignature, nowInSeconds, type DecodedJwt } from '../../core/jwt';
import { aad, type AadError } from '../spec/aadsts-errors';
import { certificateThumbprints, type ClientApplication, type Directory } from './directory';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const CLOCK_SKEW_IN_SECONDS = 300;

export interface ClientCredentials {
  clientSecret: string | undefined;
  clientAssertionType: string | undefined;
  clientAssertion: string | undefined;
}

export type ClientAuthentication = { ok: true; appidacr: '1' | '2' } | { ok: false; failure: AadError };

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function fail(failure: AadError): ClientAuthentication {
  return { ok: false, failure };
}

function checkLifetime(jwt: DecodedJwt): AadError | undefined {
  const now = nowInSeconds();
  const exp = claimNumber(jwt.payload, 'exp');
  const nbf = claimNumber(jwt.payload, 'nbf');
  if (exp === undefined || exp + CLOCK_SKEW_IN_SECONDS < now || (nbf !== undefined && nbf - CLOCK_SKEW_IN_SECONDS > now)) {
    const toDate = (seconds: number | undefined): Date | undefined => (seconds === undefined ? undefined : new Date(seconds * 1000));
    return aad.assertionNotValidNow(new Date(now * 1000), toDate(nbf), toDate(exp));
  }
  return undefined;
}

function checkCertificateAssertion(app: ClientApplication, jwt: DecodedJwt, tokenEndpoints: readonly string[]): ClientAuthentication {
  const x5t = claimString(jwt.header, 'x5t');
  const x5tS256 = claimString(jwt.header, 'x5t#S256');
  const thumbprintHex = Buffer.from(x5tS256 ?? x5t ?? '', 'base64url').toString('hex');
  const certificate = app.certificates.find((candidate) => {
    const thumbprints = certificateThumbprints(candidate);
    return x5tS256 !== undefined ? thumbprints.sha256 === thumbprintHex : thumbprints.sha1 === thumbprintHex;
  });
  if (!certificate) return fail(aad.unknownCertificate(thumbprintHex.toUpperCase()));
  if (!hasValidSignature(jwt, certificate.publicKey)) return fail(aad.badSignature());
  if (claimString(jwt.payload, 'sub') !== app.clientId) return fail(aad.assertionSubjectMismatch());
  const audience = claimString(jwt.payload, 'aud') ?? '';
  if (!tokenEndpoints.some((endpoint) => endpoint.toLowerCase() === audience.toLowerCase())) {
    return fail(aad.wrongAssertionAudience(audience, tokenEndpoints[0] ?? ''));
  }
  const lifetime = checkLifetime(jwt);
  return lifetime ? fail(lifetime) : { ok: true, appidacr: '2' };
}

function checkFederatedAssertion(directory: Directory, app: ClientApplication, jwt: DecodedJwt, issuer: string): ClientAuthentication {
  const candidates = app.federatedCredentials.filter((credential) => credential.issuer === issuer);
  const trusted = directory.trustedIssuers.find((candidate) => candidate.issuer === issuer);
  if (candidates.length === 0 || !trusted) return fail(aad.noFederatedIssuer(issuer));
  if (!hasValidSignature(jwt, trusted.publicKey)) return fail(aad.federatedSignature());
  const subject = claimString(jwt.payload, 'sub') ?? '';
  const bySubject = candidates.filter((credential) => credential.subject === subject);
  if (bySubject.length === 0) return fail(aad.noFederatedSubject(subject, issuer));
  const audienceClaim = jwt.payload.aud;
  const audiences = (Array.isArray(audienceClaim) ? audienceClaim : [audienceClaim]).filter((value): value is string => typeof value === 'string');
  if (!bySubject.some((credential) => credential.audiences.some((audience) => audiences.includes(audience)))) {
    return fail(aad.noFederatedAudience(audiences.join(', ')));
  }
  const lifetime = checkLifetime(jwt);
  return lifetime ? fail(lifetime) : { ok: true, appidacr: '2' };
}

export function authenticateClient(
  directory: Directory,
  app: ClientApplication,
  credentials: ClientCredentials,
  tokenEndpoints: readonly string[],
): ClientAuthentication {
  if (credentials.clientSecret !== undefined) {
    const secret = credentials.clientSecret;
    return app.secrets.some((known) => sameSecret(known, secret)) ? { ok: true, appidacr: '1' } : fail(aad.wrongSecret(app.clientId));
  }
  if (credentials.clientAssertion === undefined) return fail(aad.noCredential());
  if (credentials.clientAssertionType !== JWT_BEARER) return fail(aad.unsupportedAssertionType(credentials.clientAssertionType ?? ''));
  const jwt = decodeJwt(credentials.clientAssertion);
  if (!jwt) return fail(aad.malformedAssertion());
  const issuer = claimString(jwt.payload, 'iss') ?? '';
  if (issuer === app.clientId) return checkCertificateAssertion(app, jwt, tokenEndpoints);
  return checkFederatedAssertion(directory, app, jwt, issuer);
}
