/**
 * ACR's token service: `POST /oauth2/exchange` (Entra ID access token -> ACR refresh token) and
 * `/oauth2/token` (POST form with a refresh token or password, or GET with Basic auth as the docker CLI
 * sends) -> ACR access token for the requested scopes.
 */
import type { EmulatorRequest, EmulatorResponse } from '../../core/http-types';
import type { AccessTokenService } from '../../identity/model/access-tokens';
import type { Directory } from '../../identity/model/directory';
import { CONTAINER_REGISTRY_AUDIENCES } from '../../identity/spec/audiences';
import { formValue, readForm } from '../../core/url-encoded-form';
import { callerActions, identifyCaller, type RegistryAccount } from '../model/registry-account';
import { grantAccess, type RoleAssignments } from '../model/registry-roles';
import { ACCESS_LIFETIME_IN_SECONDS, parseScopes, type RegistryTokens } from '../model/registry-tokens';

export interface TokenEndpointContext {
  account: RegistryAccount;
  directory: Directory;
  entraTokens: AccessTokenService;
  registryTokens: RegistryTokens;
  /** The registry's resource id (the scope role assignments are matched against). */
  registryId: string;
  roles: RoleAssignments;
}

export function acrErrors(status: number, code: string, message: string): EmulatorResponse {
  return { status, body: { errors: [{ code, message }] } };
}

const unauthorized = (): EmulatorResponse =>
  acrErrors(401, 'UNAUTHORIZED', 'authentication required, visit https://aka.ms/acr/authorization for more information.');

function checkService(context: TokenEndpointContext, service: string | undefined): EmulatorResponse | undefined {
  if (service === undefined) return acrErrors(400, 'BAD_REQUEST', "The 'service' parameter is required.");
  if (service.toLowerCase() !== context.account.loginServer.toLowerCase()) {
    return acrErrors(400, 'BAD_REQUEST', `The service '${service}' is not this registry ('${context.account.loginServer}').`);
  }
  return undefined;
}

export function exchange(context: TokenEndpointContext, request: EmulatorRequest): EmulatorResponse {
  const form = readForm(request);
  const grantType = formValue(form, 'grant_type');
  if (grantType !== 'access_token' && grantType !== 'access_token_refresh_token') {
    return acrErrors(400, 'UNSUPPORTED', `Grant type '${grantType ?? ''}' is not supported; use 'access_token'.`);
  }
  const serviceProblem = checkService(context, formValue(form, 'service'));
  if (serviceProblem) return serviceProblem;
  const check = context.entraTokens.check(formValue(form, 'access_token') ?? '', CONTAINER_REGISTRY_AUDIENCES);
  if (!check.valid) return unauthorized();
  const tenant = formValue(form, 'tenant');
  if (tenant !== undefined && tenant.toLowerCase() !== check.principal.tenantId.toLowerCase()) return unauthorized();
  return { status: 200, body: { refresh_token: context.registryTokens.issueRefreshToken(check.principal.objectId, check.principal.tenantId) } };
}

function basicCredentials(request: EmulatorRequest): { username: string; password: string } | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function token(context: TokenEndpointContext, request: EmulatorRequest): EmulatorResponse {
  let subject: string | undefined;
  let grantType: string;
  let service: string | undefined;
  let scopes: string[];
  if (request.method === 'GET') {
    const basic = basicCredentials(request);
    if (!basic) return unauthorized();
    subject = identifyCaller(context.account, context.directory, context.registryTokens, basic.username, basic.password);
    grantType = 'password';
    service = request.query.get('service') ?? undefined;
    scopes = request.query.getAll('scope');
  } else {
    const form = readForm(request);
    grantType = formValue(form, 'grant_type') ?? '';
    service = formValue(form, 'service');
    scopes = form.getAll('scope');
    if (grantType === 'refresh_token') subject = context.registryTokens.checkRefreshToken(formValue(form, 'refresh_token') ?? '');
    else if (grantType === 'password') subject = identifyCaller(context.account, context.directory, context.registryTokens, formValue(form, 'username') ?? '', formValue(form, 'password') ?? '');
    else return acrErrors(400, 'UNSUPPORTED', `Grant type '${grantType}' is not supported; use 'refresh_token' or 'password'.`);
  }
  const serviceProblem = checkService(context, service);
  if (serviceProblem) return serviceProblem;
  if (subject === undefined) return unauthorized();
  // Like ACR: any identity that authenticates gets a token; its `access` holds only what its roles allow.
  const granted = grantAccess(parseScopes(scopes), callerActions(subject, context.registryId, context.roles.list()));
  // `expires_in` as the distribution token spec and ACR's answer carry it (clients refresh before it runs out).
  return { status: 200, body: { access_token: context.registryTokens.issueAccessToken(subject, grantType, granted), expires_in: ACCESS_LIFETIME_IN_SECONDS } };
}
