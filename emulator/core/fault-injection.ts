/**
 * The one fault-handling path of the https fronts (Resource Manager's, each registry's and each Kubernetes
 * API server's): the HTTP fault
 * armed for a route (`azure.faults.addHttpFault`, contract in service-context.ts) is taken once per request
 * to a known route and applied the same way on every front: 'reset' drops the connection without a reply
 * (logged with status 0), 'latency' waits before the route runs, 'status' answers instead of the route, in
 * the route's own error shape when it has one, with Retry-After when asked. The log line names the fault.
 */
import type { IncomingMessage } from 'node:http';
import type { EmulatorResponse } from './http-types';
import type { RequestLog, RequestLogEntry } from './request-log';
import type { FaultRegistry, HttpFault } from './service-context';

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Drops the connection without a reply: the client sees ECONNRESET / socket hang up. */
export function dropConnection(req: IncomingMessage): void {
  req.socket.destroy();
}

/** The default reply to a status fault: Resource Manager's error envelope. */
export function faultResponse(fault: HttpFault): EmulatorResponse {
  const status = fault.status ?? 500;
  const headers: Record<string, string> = {};
  if (fault.retryAfterInSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterInSeconds);
  const code = status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : 'InternalServerError';
  return { status, headers, body: { error: { code, message: `Injected fault: HTTP ${status}.` } } };
}

export function describeFault(fault: HttpFault): string {
  if (fault.kind === 'status') return `status ${fault.status ?? 500}`;
  if (fault.kind === 'latency') return `latency ${fault.latencyInMs ?? 0}ms`;
  return 'reset';
}

export interface FaultRequest {
  faults: FaultRegistry;
  /** The request log of the front (the Kubernetes API servers keep none). */
  log?: RequestLog | undefined;
  routeName: string;
  req: IncomingMessage;
  /** The log line of this request so far (logged here when the connection is dropped). */
  entry: Omit<RequestLogEntry, 'status'>;
  /** The route's own reply to a status fault; default faultResponse. */
  faultReply?: ((status: number, retryAfterInSeconds: number | undefined) => EmulatorResponse) | undefined;
}

/** What the front does next: nothing injected, a fault to log (and a reply to send instead of the route's), or nothing at all (dropped). */
export type FaultOutcome = { kind: 'none' } | { kind: 'injected'; description: string; reply?: EmulatorResponse } | { kind: 'dropped' };

export async function injectHttpFault(request: FaultRequest): Promise<FaultOutcome> {
  const fault = request.faults.takeHttpFault(request.routeName);
  if (!fault) return { kind: 'none' };
  const description = describeFault(fault);
  if (fault.kind === 'reset') {
    request.log?.add({ ...request.entry, status: 0, fault: description });
    dropConnection(request.req);
    return { kind: 'dropped' };
  }
  if (fault.kind === 'latency') {
    await delay(fault.latencyInMs ?? 0);
    return { kind: 'injected', description };
  }
  return { kind: 'injected', description, reply: request.faultReply?.(fault.status ?? 500, fault.retryAfterInSeconds) ?? faultResponse(fault) };
}
