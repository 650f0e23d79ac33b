import { type AgentProxy, httpAgentFor } from '../../common/agent-proxy';
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { HttpMethod } from './presets/types';

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Absolute URL. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly timeoutInMs: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** At most MAX_BODY_BYTES; the rest is read (and timed) but not kept. */
  readonly body: Buffer;
  /** The answer was longer than MAX_BODY_BYTES: `body` holds only its start. */
  readonly truncated: boolean;
  /** Bytes received in all. */
  readonly bodyBytes: number;
  /** From the start of the request to the last byte of the answer. */
  readonly latencyInMs: number;
}

/** A request that got no HTTP answer. `code` is Node's (ECONNREFUSED...) or REQUEST_TIMEOUT. */
export class HttpTransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpAnswer>;
  close(): void;
}

export interface HttpClientOptions {
  /** Trusted in addition to the system's certificate authorities (and NODE_EXTRA_CA_CERTS). */
  readonly caCertificatePem?: string;
  /** Connections kept per host: the concurrency. */
  readonly maxSockets: number;
  /** Aborts every request in flight (the task was cancelled). */
  readonly signal?: AbortSignal;
  /** The agent's proxy: requests go through it unless its bypass list matches the URL (task-lib's rule). */
  readonly proxy?: AgentProxy;
}

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** node:http(s) with keep-alive agents, so that measured latency is the model's, not TCP and TLS set-up. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const common = { keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets };
  const httpsOptions: https.AgentOptions = {
    ...common,
    ...(options.caCertificatePem === undefined ? {} : { ca: [...tls.rootCertificates, options.caCertificatePem] }),
  };
  // Measured requests repeat one URL: parse it once.
  const parsed = new Map<string, URL>();
  const urlOf = (url: string): URL => {
    let value = parsed.get(url);
    if (value === undefined) {
      if (parsed.size > 64) parsed.clear();
      value = new URL(url);
      parsed.set(url, value);
    }
    return value;
  };
  // One agent per origin: through the agent's proxy, or direct for what its bypass list matches.
  const agents = new Map<string, http.Agent>();
  const agentFor = (url: string): http.Agent => {
    const origin = urlOf(url).origin;
    let agent = agents.get(origin);
    if (agent === undefined) {
      agent = httpAgentFor(options.proxy, url, origin.startsWith('https:') ? httpsOptions : common, () =>
        origin.startsWith('https:') ? new https.Agent(httpsOptions) : new http.Agent(common),
      );
      agents.set(origin, agent);
    }
    return agent;
  };
  const close = (): void => {
    for (const agent of agents.values()) agent.destroy();
  };
  options.signal?.addEventListener('abort', close, { once: true });
  return {
    send: (request) =>
      options.signal?.aborted
        ? Promise.reject(new HttpTransportError('CANCELLED', 'the task was cancelled'))
        : send(request, urlOf(request.url), agentFor(request.url)),
    close: () => {
      options.signal?.removeEventListener('abort', close);
      close();
    },
  };
}

function send(request: HttpRequest, url: URL, agent: http.Agent): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(request.body.length);
    const started = performance.now();
    let settled = false;
    const fail = (error: HttpTransportError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const outgoing = transport.request(url, { method: request.method, headers, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      let received = 0;
      incoming.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (kept < MAX_BODY_BYTES) {
          const part = chunk.subarray(0, MAX_BODY_BYTES - kept);
          chunks.push(part);
          kept += part.length;
        }
      });
      incoming.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          status: incoming.statusCode ?? 0,
          headers: flattenHeaders(incoming.headers),
          body: Buffer.concat(chunks),
          truncated: received > kept,
          bodyBytes: received,
          latencyInMs: performance.now() - started,
        });
      });
      // The server closed the connection before the whole answer came (node emits 'aborted' or an ECONNRESET error).
      const cut = (): void => {
        const expected = incoming.headers['content-length'];
        fail(
          new HttpTransportError(
            'BODY_CUT',
            `the server closed the connection in the middle of the answer (HTTP ${incoming.statusCode ?? 0}, after ${received} bytes${expected ? ` of ${expected}` : ''})`,
          ),
        );
      };
      incoming.on('aborted', cut);
      incoming.on('error', cut);
    });
    const timer = setTimeout(() => {
      const error = new HttpTransportError('REQUEST_TIMEOUT', `no answer within ${request.timeoutInMs} ms`);
      fail(error);
      outgoing.destroy(error);
    }, request.timeoutInMs);
    outgoing.on('error', (error: NodeJS.ErrnoException) => fail(transportError(error)));
    outgoing.end(request.body);
  });
}

function transportError(error: NodeJS.ErrnoException): HttpTransportError {
  if (error instanceof HttpTransportError) return error;
  const code = error.code ?? (error.message === 'socket hang up' ? 'SOCKET_HANG_UP' : 'ERROR');
  return new HttpTransportError(code, error.message);
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}
