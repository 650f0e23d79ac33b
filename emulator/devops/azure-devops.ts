/**
 * The slice of Azure DevOps the tasks talk to: resource locations for the `distributedtask` area and the
 * job's `oidctoken` endpoint (azure-devops-node-api TaskApi.createOidcToken), authorised by the job's
 * access token; plus the OIDC issuer's discovery documents that Entra ID trusts for federation.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse, Route } from '../core/http-types';
import { nowInSeconds, signJwt, type SigningKey } from '../core/jwt';

export const OIDC_TOKEN_LOCATION_ID = '69a319f4-28c1-4bfd-93e6-ea0ff5c6f1a2';
export const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';

export interface JobContext {
  collectionUri: string;
  teamProjectId: string;
  planId: string;
  jobId: string;
  hostType: string;
  accessToken: string;
}

export interface AzureDevOpsOptions {
  origin: string;
  organizationName: string;
  organizationId: string;
  projectName: string;
  job: JobContext;
  signingKey: SigningKey;
  /** The service connections of the project that may get OIDC tokens. */
  connections: () => readonly { id: string; name: string }[];
}

export interface AzureDevOps {
  issuer: string;
  routes: Route[];
  /** `sc://<org>/<project>/<connection name>` */
  subjectOf(connectionName: string): string;
  /** Issues an OIDC token for a connection (tests use a negative lifetime for an expired one). */
  issueOidcToken(connectionId: string, lifetimeInSeconds?: number): string;
}

function devOpsError(status: number, typeKey: string, message: string): EmulatorResponse {
  return {
    status,
    body: { $id: '1', innerException: null, message, typeName: `Microsoft.TeamFoundation.${typeKey}, Microsoft.TeamFoundation.Framework.Server`, typeKey, errorCode: 0, eventId: 3000 },
  };
}

function jobTokenOf(request: EmulatorRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (!basic?.[1]) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

/** The oidctoken resource's versions, as its resource location says (a preview resource: never released). */
const OIDC_TOKEN_VERSIONS = { minVersion: '7.1', maxVersion: '7.2', released: false };

/** The api-version of a request: the query's, else the Accept header's (`application/json;api-version=7.2-preview.1`). */
function apiVersionOf(request: EmulatorRequest): string | undefined {
  const fromQuery = request.query.get('api-version');
  if (fromQuery !== null) return fromQuery;
  const accept = request.headers.accept;
  return typeof accept === 'string' ? /api-version=([^;,\s]+)/i.exec(accept)?.[1] : undefined;
}

/**
 * Azure DevOps' api-version rules (Microsoft.VisualStudio.Services.WebApi resources): a version is
 * required, in the query or the Accept header; a resource that is still in preview wants `-preview`;
 * a version above the server's maximum is out of range.
 */
function refuseApiVersion(request: EmulatorRequest, resource: { minVersion: string; maxVersion: string; released: boolean }): EmulatorResponse | undefined {
  const requested = apiVersionOf(request);
  if (requested === undefined || requested === '') {
    return devOpsError(
      400,
      'VssVersionNotSpecifiedException',
      `No api-version was supplied for the "${request.method}" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. "?api-version=1.0").`,
    );
  }
  const parsed = /^(\d+)\.(\d+)(-preview(\.\d+)?)?$/i.exec(requested);
  if (!parsed) return devOpsError(400, 'VssInvalidApiVersionException', `The api-version '${requested}' is not valid.`);
  const number = `${parsed[1]}.${parsed[2]}`;
  if (Number(number) > Number(resource.maxVersion)) {
    return devOpsError(400, 'VssVersionOutOfRangeException', `The requested REST API version of ${number} is out of range for this server. The latest REST API version this server supports is ${resource.maxVersion}.`);
  }
  if (!resource.released && parsed[3] === undefined) {
    return devOpsError(400, 'VssInvalidPreviewVersionException', `The requested version "${number}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${number}-preview"`);
  }
  return undefined;
}

export function createAzureDevOps(options: AzureDevOpsOptions): AzureDevOps {
  const issuer = `${options.origin}/vstoken/${options.organizationId}`;
  const subjectOf = (name: string): string => `sc://${options.organizationName}/${options.projectName}/${name}`;

  function issueOidcToken(connectionId: string, lifetimeInSeconds = 600): string {
    const connection = options.connections().find((candidate) => candidate.id.toLowerCase() === connectionId.toLowerCase());
    if (!connection) throw new Error(`No service connection '${connectionId}' in project '${options.projectName}'.`);
    const now = nowInSeconds();
    return signJwt(options.signingKey, {
      jti: randomUUID(),
      sub: subjectOf(connection.name),
      aud: FEDERATION_AUDIENCE,
      iss: issuer,
      nbf: Math.min(now, now + lifetimeInSeconds - 60),
      iat: now,
      exp: now + lifetimeInSeconds,
    });
  }

  const unauthorized = (): EmulatorResponse => {
    const response = devOpsError(401, 'UnauthorizedRequestException', "TF400813: The user '' is not authorized to access this resource.");
    return { ...response, headers: { 'WWW-Authenticate': 'Bearer authorization_uri=https://login.microsoftonline.com/common' } };
  };
  const authorised = (request: EmulatorRequest): boolean => jobTokenOf(request) === options.job.accessToken;

  const locations = (request: EmulatorRequest): EmulatorResponse => {
    if (!authorised(request)) return unauthorized();
    const value = [{
      id: OIDC_TOKEN_LOCATION_ID,
      area: 'distributedtask',
      resourceName: 'oidctoken',
      routeTemplate: '{scopeIdentifier}/_apis/{area}/hubs/{hubName}/plans/{planId}/jobs/{jobId}/{resource}',
      resourceVersion: 1,
      minVersion: OIDC_TOKEN_VERSIONS.minVersion,
      maxVersion: OIDC_TOKEN_VERSIONS.maxVersion,
      releasedVersion: '0.0',
    }];
    return { status: 200, body: { count: value.length, value } };
  };

  const oidcToken = (request: EmulatorRequest): EmulatorResponse => {
    if (!authorised(request)) return unauthorized();
    const versionRefusal = refuseApiVersion(request, OIDC_TOKEN_VERSIONS);
    if (versionRefusal) return versionRefusal;
    const { scopeIdentifier, planId, jobId } = request.params;
    if (scopeIdentifier?.toLowerCase() !== options.job.teamProjectId.toLowerCase() && scopeIdentifier?.toLowerCase() !== options.projectName.toLowerCase()) {
      return devOpsError(404, 'ProjectDoesNotExistException', `TF200016: The following project does not exist: ${scopeIdentifier ?? ''}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`);
    }
    if (planId?.toLowerCase() !== options.job.planId.toLowerCase() || jobId?.toLowerCase() !== options.job.jobId.toLowerCase()) {
      return devOpsError(404, 'TaskOrchestrationPlanNotFoundException', `Orchestration plan ${planId ?? ''} or job ${jobId ?? ''} is not found.`);
    }
    const connectionId = request.query.get('serviceConnectionId') ?? '';
    try {
      return { status: 200, body: { oidcToken: issueOidcToken(connectionId) } };
    } catch {
      return devOpsError(400, 'ServiceEndpointNotFoundException', `Service connection '${connectionId}' was not found in project '${options.projectName}'.`);
    }
  };

  const routes: Route[] = [
    { name: 'devops.resourceLocations', method: 'OPTIONS', path: '/:organization/_apis/distributedtask', auth: 'none', handle: (r) => Promise.resolve(locations(r)) },
    {
      name: 'devops.oidcToken',
      method: 'POST',
      path: '/:organization/:scopeIdentifier/_apis/distributedtask/hubs/:hubName/plans/:planId/jobs/:jobId/oidctoken',
      auth: 'none',
      handle: (r) => Promise.resolve(oidcToken(r)),
    },
    {
      name: 'devops.oidcConfiguration',
      method: 'GET',
      path: `/vstoken/:organizationId/.well-known/openid-configuration`,
      auth: 'none',
      handle: () => Promise.resolve({
        status: 200,
        body: { issuer, jwks_uri: `${issuer}/.well-known/jwks`, subject_types_supported: ['public', 'pairwise'], response_types_supported: ['id_token'], claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'nbf', 'jti'], id_token_signing_alg_values_supported: ['RS256'], scopes_supported: ['openid'] },
      }),
    },
    { name: 'devops.oidcKeys', method: 'GET', path: `/vstoken/:organizationId/.well-known/jwks`, auth: 'none', handle: () => Promise.resolve({ status: 200, body: { keys: [options.signingKey.jwk] } }) },
  ];
  return { issuer, routes, subjectOf, issueOidcToken };
}
