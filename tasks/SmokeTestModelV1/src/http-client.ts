import { type AgentProxy, httpAgentFor } from '../../common/agent-proxy';
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { HttpMethod } from './presets/types';

// performance (global): node loads perf_hooks on its first use, not while the task starts.

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
  // Measured requests repeat one URL: it is parsed, and its agent chosen, once (no per-request URL work).
  const agents = new Map<string, http.Agent>();
  const targets = new Map<string, Target>();
  const targetOf = (url: string): Target => {
    let target = targets.get(url);
    if (target === undefined) {
      if (targets.size > 64) targets.clear();
      const parsed = new URL(url);
      const secure = parsed.protocol === 'https:';
      // One agent per origin: through the agent's proxy, or direct for what its bypass list matches.
      let agent = agents.get(parsed.origin);
      if (agent === undefined) {
        agent = httpAgentFor(options.proxy, url, secure ? httpsOptions : common, () => (secure ? new https.Agent(httpsOptions) : new http.Agent(common)));
        agents.set(parsed.origin, agent);
      }
      target = {
        request: secure ? https.request : http.request,
        options: { protocol: parsed.protocol, hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port: parsed.port, path: `${parsed.pathname}${parsed.search}`, agent, ...(parsed.username || parsed.password ? { auth: `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}` } : {}) },
      };
      targets.set(url, target);
    }
    return target;
  };
  const close = (): void => {
    for (const agent of agents.values()) agent.destroy();
  };
  options.signal?.addEventListener('abort', close, { once: true });
  return {
    send: (request) => (options.signal?.aborted ? Promise.reject(new HttpTransportError('CANCELLED', 'the task was cancelled')) : send(request, targetOf(request.url))),
    close: () => {
      options.signal?.removeEventListener('abort', close);
      close();
    },
  };
}

/** Where a URL's requests go: node's request function and the options that do not change between requests. */
interface Target {
  readonly request: typeof http.request;
  readonly options: http.RequestOptions;
}

function send(request: HttpRequest, target: Target): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(request.body.length) };
    let settled = false;
    const fail = (error: HttpTransportError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    // The clock starts when the request is handed to its connection (node's 'socket' event, right before
    // it writes), so the client's own set-up of the request is not counted as the model's time.
    let started = performance.now();
    const outgoing = target.request({ ...target.options, method: request.method, headers }, (incoming) => {
      let first: Buffer | undefined;
      let chunks: Buffer[] | undefined;
      let kept = 0;
      let received = 0;
      // With a Content-Length the last byte is known when it arrives; 'end' comes a tick later.
      const length = incoming.headers['content-length'];
      const expected = length === undefined ? undefined : Number(length);
      let lastByteAt: number | undefined;
      incoming.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received === expected) lastByteAt = performance.now();
        if (kept < MAX_BODY_BYTES) {
          const part = kept + chunk.length <= MAX_BODY_BYTES ? chunk : chunk.subarray(0, MAX_BODY_BYTES - kept);
          if (first === undefined) first = part;
          else (chunks ??= [first]).push(part);
          kept += part.length;
        }
      });
      incoming.on('end', () => {
        // The time first: nothing else this client does for the answer is part of the latency.
        const latencyInMs = (lastByteAt ?? performance.now()) - started;
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(new Answer(incoming, chunks ? Buffer.concat(chunks) : (first ?? EMPTY), received > kept, received, latencyInMs));
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
    outgoing.once('socket', () => {
      started = performance.now();
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => fail(transportError(error)));
    outgoing.end(request.body);
  });
}

const EMPTY = Buffer.alloc(0);

/** An answer; its headers are flattened only when something reads them (measured requests mostly do not). */
class Answer implements HttpAnswer {
  private flat: Record<string, string | undefined> | undefined;
  readonly status: number;
  constructor(
    private readonly incoming: http.IncomingMessage,
    readonly body: Buffer,
    readonly truncated: boolean,
    readonly bodyBytes: number,
    readonly latencyInMs: number,
  ) {
    this.status = incoming.statusCode ?? 0;
  }
  get headers(): Readonly<Record<string, string | undefined>> {
    return (this.flat ??= flattenHeaders(this.incoming.headers));
  }
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
