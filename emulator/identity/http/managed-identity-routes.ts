/**
 * The App Service managed identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER, api-version 2019-08-01),
 * which @azure/identity's ManagedIdentityCredential (through MSAL) prefers over IMDS when both variables are set.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse, Route } from '../../core/http-types';
import type { AccessTokenService } from '../model/access-tokens';
import type { Directory } from '../model/directory';
import { isKnownResource } from '../spec/audiences';

export interface ManagedIdentityEndpointOptions {
  directory: Directory;
  tokens: AccessTokenService;
  /** The value callers must send in `X-IDENTITY-HEADER`. */
  identityHeader: string;
  subscriptionId: string;
}

export const MANAGED_IDENTITY_PATH = '/msi/token';

function appServiceError(status: number, message: string): EmulatorResponse {
  return { status, body: { statusCode: status, message, correlationId: randomUUID() } };
}

function headerMatches(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createManagedIdentityRoutes(options: ManagedIdentityEndpointOptions): Route[] {
  const { directory, tokens } = options;

  function handle(request: EmulatorRequest): EmulatorResponse {
    if (!headerMatches(request.headers['x-identity-header'], options.identityHeader)) {
      return appServiceError(401, 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.');
    }
    const apiVersion = request.query.get('api-version');
    if (apiVersion !== '2019-08-01') return appServiceError(400, `Unsupported api-version '${apiVersion ?? ''}'; this endpoint serves 2019-08-01.`);
    const resource = request.query.get('resource') ?? '';
    if (resource === '') return appServiceError(400, "The 'resource' query parameter is required.");
    if (!isKnownResource(resource)) return appServiceError(400, `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${directory.tenantName}.`);
    const clientId = request.query.get('client_id');
    const objectId = request.query.get('object_id') ?? request.query.get('principal_id');
    const miResourceId = request.query.get('mi_res_id');
    const identity = directory.managedIdentities.find((candidate) =>
      clientId !== null ? candidate.clientId === clientId
        : objectId !== null ? candidate.objectId === objectId
          : miResourceId !== null ? miResourceId.toLowerCase().endsWith(`/${candidate.displayName.toLowerCase()}`)
            : candidate.systemAssigned,
    );
    if (!identity) return appServiceError(400, 'No managed identity matches the requested identity.');
    const issued = tokens.issue({
      audience: resource,
      clientId: identity.clientId,
      objectId: identity.objectId,
      appidacr: '2',
      extraClaims: { xms_mirid: `/subscriptions/${options.subscriptionId}/resourcegroups/rg-agents/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${identity.displayName}` },
    });
    return {
      status: 200,
      body: { access_token: issued.accessToken, expires_on: String(issued.expiresOn), resource, token_type: 'Bearer', client_id: identity.clientId },
    };
  }

  return [{ name: 'managedIdentity.token', method: 'GET', path: MANAGED_IDENTITY_PATH, auth: 'none', handle: (request) => Promise.resolve(handle(request)) }];
}
