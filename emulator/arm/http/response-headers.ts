/**
 * The headers Resource Manager puts on every reply: request, correlation (the caller's, when it sent
 * one) and routing ids, no-cache and security headers, and the subscription's remaining request
 * budget (`x-ms-ratelimit-remaining-subscription-{reads,writes,deletes}`, ARM's per-hour limits of
 * 12,000 reads, 1,200 writes and 15,000 deletes, counted per subscription and principal).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const HOURLY_LIMITS = { reads: 12_000, writes: 1_200, deletes: 15_000 } as const;
type Budget = keyof typeof HOURLY_LIMITS;
const WINDOW_IN_MS = 60 * 60 * 1000;

export interface ArmResponseHeaders {
  /** Headers for one reply; `caller` keys the rate-limit budget (subscription and principal). */
  headersFor(method: string, requestHeaders: IncomingHttpHeaders, caller: string): Record<string, string>;
}

function budgetOf(method: string): Budget {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 'reads';
  return method === 'DELETE' ? 'deletes' : 'writes';
}

/** `WESTEUROPE:20250107T101502Z:<guid>`, the shape of ARM's routing request id. */
function routingRequestId(region: string, now: Date, id: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return `${region.toUpperCase()}:${stamp}:${id}`;
}

export function createArmResponseHeaders(options: { region: string; now?: () => Date }): ArmResponseHeaders {
  const now = options.now ?? (() => new Date());
  const windows = new Map<string, { startedAt: number; used: Record<Budget, number> }>();
  return {
    headersFor(method, requestHeaders, caller) {
      const at = now();
      let window = windows.get(caller);
      if (!window || at.getTime() - window.startedAt >= WINDOW_IN_MS) {
        window = { startedAt: at.getTime(), used: { reads: 0, writes: 0, deletes: 0 } };
        windows.set(caller, window);
      }
      const budget = budgetOf(method.toUpperCase());
      window.used[budget] += 1;
      const sent = requestHeaders['x-ms-correlation-request-id'];
      const correlationId = typeof sent === 'string' && sent !== '' ? sent : randomUUID();
      const requestId = randomUUID();
      return {
        'Cache-Control': 'no-cache',
        Pragma: 'no-cache',
        Expires: '-1',
        'x-ms-request-id': requestId,
        'x-ms-correlation-request-id': correlationId,
        'x-ms-routing-request-id': routingRequestId(options.region, at, requestId),
        [`x-ms-ratelimit-remaining-subscription-${budget}`]: String(Math.max(0, HOURLY_LIMITS[budget] - window.used[budget])),
        'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
        'X-Content-Type-Options': 'nosniff',
      };
    },
  };
}
