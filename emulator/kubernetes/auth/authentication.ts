/**
 * Who is calling the API server: a client certificate signed by the cluster CA (the local accounts of
 * AKS: CN is the user, O the groups, as `masterclient` in `system:masters`), or, on an Entra ID cluster,
 * a bearer token issued by the tenant for the AKS server application (audience checked). Anything else
 * is anonymous, which this API server refuses with 401 (AKS disables anonymous access).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AccessTokenService } from '../../identity/model/access-tokens';
import { AKS_SERVER_APPLICATION_ID } from '../../identity/spec/audiences';
import type { UserInfo } from '../api/api-types';


export interface AuthenticationOptions {
  /** False when local accounts are disabled: client certificates are not accepted. */
  clientCertificates: boolean;
  entraId?: { tokens: AccessTokenService; tenantId: string };
}

function subjectValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function createAuthenticator(options: AuthenticationOptions): (request: IncomingMessage) => UserInfo | undefined {
  return (request) => {
    const header = request.headers.authorization;
    if (typeof header === 'string') {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1] || !options.entraId) return undefined;
      const check = options.entraId.tokens.check(match[1], [AKS_SERVER_APPLICATION_ID, `spn:${AKS_SERVER_APPLICATION_ID}`]);
      if (!check.valid || check.principal.tenantId.toLowerCase() !== options.entraId.tenantId.toLowerCase()) return undefined;
      const upn = check.claims.upn;
      const groups = Array.isArray(check.claims.groups) ? check.claims.groups.map(String) : [];
      return { name: typeof upn === 'string' ? upn : check.principal.objectId, uid: check.principal.objectId, groups: [...groups, 'system:authenticated'] };
    }
    const socket = request.socket as TLSSocket;
    if (!options.clientCertificates || typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return undefined;
    const certificate = socket.getPeerCertificate();
    const name = subjectValues(certificate.subject?.CN)[0];
    if (!name) return undefined;
    return { name, groups: [...subjectValues(certificate.subject?.O), 'system:authenticated'] };
  };
}
