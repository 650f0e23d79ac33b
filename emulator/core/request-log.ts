/** Every request the local Azure answered, in order: what tests assert on (retries, bytes pushed). */
export interface RequestLogEntry {
  /** The route name ('arm.resourceGroups.get', 'acr.v2.blobUpload', ...), or 'unmatched'. */
  route: string;
  method: string;
  /** Path without the query string. */
  path: string;
  status: number;
  at: Date;
  /** Request body bytes received. */
  bytesReceived: number;
  /** Which front answered: 'management' or a registry login server. */
  host: string;
  /** The fault injected, if any ('status 429', 'reset', 'latency 200ms'). */
  fault?: string;
  /** Why a proxied request got no answer from behind the front (the registry front's 502), as the socket said. */
  upstreamError?: string;
}

export interface RequestLog {
  add(entry: RequestLogEntry): void;
  entries(): RequestLogEntry[];
  clear(): void;
}

export function createRequestLog(maxEntries = 20_000): RequestLog {
  let items: RequestLogEntry[] = [];
  return {
    add(entry) {
      items.push(entry);
      if (items.length > maxEntries) items = items.slice(items.length - maxEntries);
    },
    entries: () => items.map((entry) => ({ ...entry })),
    clear() {
      items = [];
    },
  };
}
