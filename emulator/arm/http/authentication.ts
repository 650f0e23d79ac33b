/**
 * Resource Manager's bearer-token check, with ARM's own 401 replies and WWW-Authenticate challenge
 * (AuthenticationFailed, InvalidAuthenticationToken, ExpiredAuthenticationToken,
 * InvalidAuthenticationTokenAudience, InvalidAuthenticationTokenTenant).
 */
import { armError, type EmulatorRequest, type EmulatorResponse, type Principal } from '../../core/http-types';
import { RESOURCE_MANAGER_AUDIENCES } from '../../identity/spec/audiences';
import type { AccessTokenService } from '../../identity/model/access-tokens';

export interface ArmAuthenticationOptions {
  tokens: AccessTokenService;
  tenantId: string;
  /** The Entra ID authority, e.g. https://127.0.0.1:41234 */
  authorityOrigin: string;
}

export function bearerToken(request: EmulatorRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function createArmAuthenticator(options: ArmAuthenticationOptions): (request: EmulatorRequest) => Principal | EmulatorResponse {
  const challenge = (description: string): Record<string, string> => ({
    'WWW-Authenticate': `Bearer authorization_uri="${options.authorityOrigin}/${options.tenantId}", error="invalid_token", error_description="${description}"`,
  });
  const refuse = (code: string, message: string, description: string): EmulatorResponse => armError(401, code, message, challenge(description));

  return (request) => {
    const token = bearerToken(request);
    if (token === undefined) {
      return refuse('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", "The authentication failed because of missing 'Authorization' header.");
    }
    const check = options.tokens.check(token, RESOURCE_MANAGER_AUDIENCES);
    if (check.valid) {
      if (check.principal.tenantId.toLowerCase() !== options.tenantId.toLowerCase()) {
        return refuse('InvalidAuthenticationTokenTenant', `The access token is from the wrong issuer. It must match the tenant '${options.tenantId}' associated with this subscription.`, 'The access token is from the wrong issuer.');
      }
      return check.principal;
    }
    switch (check.reason) {
      case 'expired':
        return refuse('ExpiredAuthenticationToken', `The access token expiry UTC time is earlier than current UTC time '${new Date().toISOString()}'.`, 'The access token has expired.');
      case 'audience':
        return refuse(
          'InvalidAuthenticationTokenAudience',
          `The access token has been obtained for wrong audience or resource '${check.audience ?? ''}'. It should exactly match with one of the allowed audiences ${RESOURCE_MANAGER_AUDIENCES.map((a) => `'${a}'`).join(',')}.`,
          'The access token has been obtained for wrong audience or resource.',
        );
      default:
        return refuse('InvalidAuthenticationToken', 'The access token is invalid.', 'The access token is invalid.');
    }
  };
}
