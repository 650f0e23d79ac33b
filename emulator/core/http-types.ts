/**
 * The contract between the local Azure's https front (core/) and the services it hosts
 * (identity/, arm/, aci/, acr/). A service is a list of routes; the front matches them
 * case-insensitively (ARM paths are), authenticates, applies fault injection, and logs every request.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface Principal {
  /** `oid` of the validated access token. */
  objectId: string;
  /** `appid`/`azp`: the client (service principal) id. */
  clientId: string;
  tenantId: string;
  audience: string;
}

export interface EmulatorRequest {
  method: string;
  /** Path without the query string, as sent. */
  path: string;
  /** `:name` segments of the route's path. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The caller, when the route requires a Resource Manager token and the token was valid. */
  principal?: Principal;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** A Buffer or string is sent as is; anything else as JSON. */
  body?: unknown;
}

export type RouteAuth = 'none' | 'arm' | 'registry';

export interface Route {
  /** Stable name used by fault injection and the request log, e.g. 'aci.containerGroups.createOrUpdate'. */
  name: string;
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** e.g. '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.ContainerInstance/containerGroups/:containerGroupName' */
  path: string;
  auth: RouteAuth;
  handle(request: EmulatorRequest): Promise<EmulatorResponse>;
  /** The reply to an injected status fault in this service's own error shape (default: ARM's `{ error: { code, message } }`). */
  faultReply?(status: number, retryAfterInSeconds: number | undefined): EmulatorResponse;
}

/** ARM's error envelope: `{ error: { code, message } }`. */
export function armError(status: number, code: string, message: string, headers?: Record<string, string>): EmulatorResponse {
  return { status, headers: headers ?? {}, body: { error: { code, message } } };
}
