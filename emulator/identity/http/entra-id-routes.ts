/**
 * Entra ID v2 endpoints for one tenant: OpenID configuration, signing keys, and the token endpoint for
 * the client credentials grant (secret, certificate assertion, federated assertion).
 */
import type { EmulatorResponse, Route } from '../../core/http-types';
import { aad } from '../spec/aadsts-errors';
import { aadErrorResponse, aadFaultResponse } from './entra-id-errors';
import { openIdConfiguration } from './openid-configuration';
import { createTokenEndpoint, type EntraIdOptions } from './token-endpoint';

export type { EntraIdOptions } from './token-endpoint';

export function createEntraIdRoutes(options: EntraIdOptions): Route[] {
  const { origin, directory, tokens } = options;
  const tenantMatches = (tenant: string | undefined): boolean => tenant?.toLowerCase() === directory.tenantId.toLowerCase();
  const token = createTokenEndpoint(options);
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
            : aadErrorResponse(aad.tenantNotFound(request.params.tenant ?? ''), origin),
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
