/**
 * Entra ID v2 endpoints for one tenant: OpenID configuration, signing keys, and the token endpoint for
 * the client credentials grant (secret, certificate assertion, federated assertion).
 */
import type { EmulatorRequest, EmulatorResponse, Route } from '../core/http-types';
import { aad, aadErrorResponse, aadFaultResponse, type AadError } from './aad-errors';
import type { AccessTokenService } from './access-tokens';
import { authenticateClient } from './client-authentication';
import { findApplication, isKnownResource, type Directory } from './directory';
import { formValue, readForm } from './form';

export interface EntraIdOptions {
  /** e.g. https://127.0.0.1:41234 */
  origin: string;
  directory: Directory;
  tokens: AccessTokenService;
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export function openIdConfiguration(origin: string, tenantId: string): Record<string, unknown> {
  const base = `${origin}/${tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${origin}/${tenantId}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: new URL(origin).host,
    cloud_graph_host_name: new URL(origin).host,
    msgraph_host: new URL(origin).host,
    rbac_url: origin,
  };
}

/** Splits the v2 `scope` parameter into the single resource of a client credentials request. */
export function resourceOfScope(scope: string): { resource: string } | { failure: AadError } {
  const scopes = scope.split(/\s+/).filter((item) => item !== '' && !OIDC_SCOPES.has(item.toLowerCase()));
  const [only] = scopes;
  if (scopes.length !== 1 || only === undefined || !only.endsWith('/.default')) return { failure: aad.invalidScope(scope) };
  return { resource: only.slice(0, -'/.default'.length) };
}

export function createEntraIdRoutes(options: EntraIdOptions): Route[] {
  const { origin, directory, tokens } = options;
  const tenantMatches = (tenant: string | undefined): boolean => tenant?.toLowerCase() === directory.tenantId.toLowerCase();
  const fail = (failure: AadError, correlationId?: string): EmulatorResponse => aadErrorResponse(failure, origin, correlationId);

  function token(request: EmulatorRequest): EmulatorResponse {
    const correlationId = typeof request.headers['client-request-id'] === 'string' ? request.headers['client-request-id'] : undefined;
    const tenant = request.params.tenant ?? '';
    if (!tenantMatches(tenant)) return fail(aad.tenantNotFound(tenant), correlationId);
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
  }

  const faultReply = (status: number, retryAfterInSeconds: number | undefined): EmulatorResponse => aadFaultResponse(status, retryAfterInSeconds, origin);
  const routes: Route[] = [
    {
      name: 'entra.openidConfiguration',
      method: 'GET',
      path: '/:tenant/v2.0/.well-known/openid-configuration',
      auth: 'none',
      handle: (request) =>
        Promise.resolve(
          tenantMatches(request.params.tenant)
            ? { status: 200, body: openIdConfiguration(origin, directory.tenantId) }
            : fail(aad.tenantNotFound(request.params.tenant ?? '')),
        ),
    },
    {
      // The AD FS form of the authority (`<origin>/adfs`, what the cloud metadata names as login
      // endpoint): MSAL reads this document instead of asking login.microsoftonline.com for instance
      // discovery; it points at the tenant's own endpoints.
      name: 'entra.adfsOpenidConfiguration',
      method: 'GET',
      path: '/adfs/.well-known/openid-configuration',
      auth: 'none',
      handle: () => Promise.resolve({ status: 200, body: openIdConfiguration(origin, directory.tenantId) }),
    },
    {
      name: 'entra.keys',
      method: 'GET',
      path: '/:tenant/discovery/v2.0/keys',
      auth: 'none',
      handle: () => Promise.resolve({ status: 200, body: { keys: [{ ...tokens.signingKey.jwk, x5t: tokens.signingKey.kid, issuer: `${origin}/${directory.tenantId}/v2.0` }] } }),
    },
    { name: 'entra.token', method: 'POST', path: '/:tenant/oauth2/v2.0/token', auth: 'none', handle: (request) => Promise.resolve(token(request)) },
  ];
  return routes.map((route) => ({ ...route, faultReply }));
}
