/**
 * Entra ID's v2 token endpoint (`POST /{tenant}/oauth2/v2.0/token`) for the client credentials grant:
 * the client authenticates with a secret, a certificate assertion or a federated assertion and gets an
 * access token for the one resource its `.default` scope names.
 */
import type { EmulatorRequest, EmulatorResponse } from '../../core/http-types';
import { formValue, readForm } from '../../core/url-encoded-form';
import type { AccessTokenService } from '../model/access-tokens';
import { authenticateClient } from '../model/client-authentication';
import { findApplication, type Directory } from '../model/directory';
import { aad, type AadError } from '../spec/aadsts-errors';
import { isKnownResource } from '../spec/audiences';
import { aadErrorResponse } from './entra-id-errors';

export interface EntraIdOptions {
  /** e.g. https://127.0.0.1:41234 */
  origin: string;
  directory: Directory;
  tokens: AccessTokenService;
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Splits the v2 `scope` parameter into the single resource of a client credentials request. */
export function resourceOfScope(scope: string): { resource: string } | { failure: AadError } {
  const scopes = scope.split(/\s+/).filter((item) => item !== '' && !OIDC_SCOPES.has(item.toLowerCase()));
  const [only] = scopes;
  if (scopes.length !== 1 || only === undefined || !only.endsWith('/.default')) return { failure: aad.invalidScope(scope) };
  return { resource: only.slice(0, -'/.default'.length) };
}

export function createTokenEndpoint(options: EntraIdOptions): (request: EmulatorRequest) => EmulatorResponse {
  const { origin, directory, tokens } = options;
  const fail = (failure: AadError, correlationId?: string): EmulatorResponse => aadErrorResponse(failure, origin, correlationId);
  return function token(request: EmulatorRequest): EmulatorResponse {
    const correlationId = typeof request.headers['client-request-id'] === 'string' ? request.headers['client-request-id'] : undefined;
    const tenant = request.params.tenant ?? '';
    if (tenant.toLowerCase() !== directory.tenantId.toLowerCase()) return fail(aad.tenantNotFound(tenant), correlationId);
    const form = readForm(request);
    const grantType = formValue(form, 'grant_type');
    if (grantType === undefined) return fail(aad.missingParameter('grant_type'), correlationId);
    if (grantType !== 'client_credentials') return fail(aad.unsupportedGrantType(grantType), correlationId);
    const clientId = formValue(form, 'client_id');
    if (clientId === undefined) return fail(aad.missingParameter('client_id'), correlationId);
    const scope = formValue(form, 'scope');
    if (scope === undefined) return fail(aad.missingParameter('scope'), correlationId);
    const app = findApplication(directory, clientId);
    if (!app) return fail(aad.unknownClient(clientId, directory.tenantName), correlationId);
    const parsed = resourceOfScope(scope);
    if ('failure' in parsed) return fail(parsed.failure, correlationId);
    if (!isKnownResource(parsed.resource)) return fail(aad.unknownResource(parsed.resource, directory.tenantName), correlationId);
    const tokenEndpoints = [`${origin}/${tenant}/oauth2/v2.0/token`, `${origin}/${directory.tenantId}/oauth2/v2.0/token`, `${origin}/${tenant}/oauth2/token`];
    const authentication = authenticateClient(directory, app, {
      clientSecret: formValue(form, 'client_secret'),
      clientAssertionType: formValue(form, 'client_assertion_type'),
      clientAssertion: formValue(form, 'client_assertion'),
    }, tokenEndpoints);
    if (!authentication.ok) return fail(authentication.failure, correlationId);
    const issued = tokens.issue({ audience: parsed.resource, clientId: app.clientId, objectId: app.objectId, appidacr: authentication.appidacr });
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
      body: { token_type: 'Bearer', expires_in: issued.expiresInSeconds, ext_expires_in: issued.expiresInSeconds, access_token: issued.accessToken },
    };
  };
}
