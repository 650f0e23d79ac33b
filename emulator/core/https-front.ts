/**
 * The https front of Resource Manager, Entra ID and Azure DevOps: one TLS listener on 127.0.0.1 (ephemeral
 * port) that routes requests to services by route table, injects HTTP faults (fault-injection.ts, as the
 * registry fronts do), authenticates, and logs every request.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorRequest, EmulatorResponse, Principal, Route, RouteAuth } from './http-types';
import type { FaultRegistry } from './service-context';
import { injectHttpFault } from './fault-injection';
import type { RequestLog } from './request-log';
import { createRouter } from './router';
import type { KeyAndCertificate } from './certificates';

/** Checks the caller of a route that needs authentication: a principal, or the reply that refuses it. */
export type Authenticator = (auth: Exclude<RouteAuth, 'none'>, request: EmulatorRequest) => Promise<Principal | EmulatorResponse>;

export interface HttpsFrontOptions {
  name: string;
  tls: KeyAndCertificate;
  authenticate: Authenticator;
  faults: FaultRegistry;
  log: RequestLog;
  /**
   * Extra reply headers for requests to routes of an auth kind (Resource Manager's request ids and
   * rate-limit budget on 'arm' routes); `caller` is the principal's object id, or '' before auth.
   */
  replyHeaders?: (auth: RouteAuth, method: string, request: IncomingMessage, caller: string) => Record<string, string>;
}

export interface HttpsFront {
  port: number;
  /** e.g. https://127.0.0.1:41234 (no trailing slash). */
  origin: string;
  /** Installs the routes (services are built once the front's origin is known). */
  setRoutes(routes: readonly Route[]): void;
  stop(): Promise<void>;
}

function isPrincipal(value: Principal | EmulatorResponse): value is Principal {
  return 'objectId' in value;
}

export function sendResponse(res: ServerResponse, method: string, response: EmulatorResponse): void {
  const headers: Record<string, string> = {
    'x-ms-request-id': randomUUID(),
    'x-ms-correlation-request-id': randomUUID(),
    ...response.headers,
  };
  let body: Buffer | undefined;
  if (Buffer.isBuffer(response.body)) body = response.body;
  else if (typeof response.body === 'string') body = Buffer.from(response.body);
  else if (response.body !== undefined) {
    body = Buffer.from(JSON.stringify(response.body));
    if (!Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  headers['Content-Length'] = String(body?.length ?? 0);
  res.writeHead(response.status, headers);
  res.end(method === 'HEAD' ? undefined : body);
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startHttpsFront(options: HttpsFrontOptions): Promise<HttpsFront> {
  let router = createRouter([]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const path = url.pathname;
    const match = router.match(method, path);
    const routeName = match.kind === 'found' ? match.route.name : 'unmatched';
    const body = await readBody(req);
    const entry = { route: routeName, method, path, at: new Date(), bytesReceived: body.length, host: options.name };

    const injected = match.kind === 'found' ? await injectHttpFault({ faults: options.faults, log: options.log, routeName, req, entry, faultReply: match.route.faultReply?.bind(match.route) }) : { kind: 'none' as const };
    if (injected.kind === 'dropped') return;

    let response: EmulatorResponse;
    if (match.kind === 'notFound') {
      response = { status: 404, body: { error: { code: 'NotFound', message: `No handler for ${method} ${path}.` } } };
    } else if (match.kind === 'methodNotAllowed') {
      response = {
        status: 405,
        headers: { Allow: match.allowed.join(', ') },
        body: { error: { code: 'MethodNotAllowed', message: `The requested resource does not support http method '${method}'.` } },
      };
    } else if (injected.kind === 'injected' && injected.reply) {
      response = injected.reply;
    } else {
      const request: EmulatorRequest = { method, path, params: match.params, query: url.searchParams, headers: req.headers, body };
      response = await answer(match.route, request);
      const extra = options.replyHeaders?.(match.route.auth, method, req, request.principal?.objectId ?? '');
      if (extra) response = { ...response, headers: { ...extra, ...response.headers } };
    }
    options.log.add({ ...entry, status: response.status, ...(injected.kind === 'injected' ? { fault: injected.description } : {}) });
    sendResponse(res, method, response);
  }

  async function answer(route: Route, request: EmulatorRequest): Promise<EmulatorResponse> {
    if (route.auth !== 'none') {
      const caller = await options.authenticate(route.auth, request);
      if (!isPrincipal(caller)) return caller;
      request.principal = caller;
    }
    try {
      return await route.handle(request);
    } catch (error) {
      process.stderr.write(`local Azure: ${route.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return { status: 500, body: { error: { code: 'InternalServerError', message: 'The local Azure failed to handle the request; see its stderr.' } } };
    }
  }

  const server = createServer({ cert: options.tls.certificatePem, key: options.tls.privateKeyPem }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`local Azure: ${String(error)}\n`);
      if (!res.headersSent) sendResponse(res, 'GET', { status: 500, body: { error: { code: 'InternalServerError', message: 'Unexpected failure.' } } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  const port = await listenOnLoopback(server);
  return {
    port,
    origin: `https://127.0.0.1:${port}`,
    setRoutes(routes) {
      router = createRouter(routes);
    },
    stop: () => closeServer(server),
  };
}
