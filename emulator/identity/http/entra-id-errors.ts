/** Entra ID's error replies: `{error, error_description, error_codes, timestamp, trace_id, correlation_id, error_uri}`. */
import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from '../../core/http-types';
import type { AadError } from '../spec/aadsts-errors';

/** AAD answers invalid_client with 401 and every other OAuth error with 400. */
function statusFor(error: string): number {
  return error === 'invalid_client' ? 401 : 400;
}

function aadTimestamp(date: Date): string {
  return `${date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')}Z`;
}

export function aadErrorResponse(failure: AadError, errorUriBase: string, correlationIdFromClient?: string): EmulatorResponse {
  const traceId = randomUUID();
  const correlationId = correlationIdFromClient ?? randomUUID();
  const timestamp = aadTimestamp(new Date());
  return {
    status: statusFor(failure.error),
    headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache', 'x-ms-request-id': traceId },
    body: {
      error: failure.error,
      error_description: `AADSTS${failure.code}: ${failure.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [failure.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${errorUriBase}/error?code=${failure.code}`,
    },
  };
}

/**
 * An injected HTTP fault (429, 5xx) on an Entra ID route, in Entra ID's shape rather than ARM's:
 * `temporarily_unavailable` (AADSTS90033, a transient error) for 429 and 503, `server_error` otherwise.
 */
export function aadFaultResponse(status: number, retryAfterInSeconds: number | undefined, errorUriBase: string): EmulatorResponse {
  const transient = status === 429 || status === 503;
  const failure: AadError = {
    error: transient ? 'temporarily_unavailable' : 'server_error',
    code: 90033,
    message: `A transient error has occurred. Please try again. (Injected fault: HTTP ${status}.)`,
  };
  const reply = aadErrorResponse(failure, errorUriBase);
  return { ...reply, status, headers: { ...reply.headers, ...(retryAfterInSeconds !== undefined ? { 'Retry-After': String(retryAfterInSeconds) } : {}) } };
}
