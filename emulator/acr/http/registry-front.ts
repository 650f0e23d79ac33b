/**
 * The https front of one registry (login server `127.0.0.1:<port>`), driven by its route table
 * (registry-routes.ts): faults injected as on every front (core/fault-injection.ts), ACR's token service,
 * the 401 challenge, scope checks on every data-plane request, `/acr/v1` metadata, and a streaming proxy of
 * `/v2/...` to the registry's UNIX socket. Every request is logged with the bytes it carried.
 */
import { createServer } from 'node:https';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { EmulatorRequest, EmulatorResponse } from '../../core/http-types';
import { closeServer, listenOnLoopback, readBody, sendResponse } from '../../core/https-front';
import { injectHttpFault } from '../../core/fault-injection';
import type { KeyAndCertificate } from '../../core/certificates';
import type { RequestLog, RequestLogEntry } from '../../core/request-log';
import type { FaultRegistry } from '../../core/service-context';
import { answerMetadata } from './metadata-endpoints';
import { allows, formatScope, type ScopeAccess } from '../model/registry-tokens';
import { matchRegistryRoute, type RegistryRoute } from './registry-routes';
import { exchange, token, type TokenEndpointContext } from './token-endpoints';

export interface RegistryFrontOptions {
  tls: KeyAndCertificate;
  faults: FaultRegistry;
  log: RequestLog;
  socketPath: string;
  storageDirectory: string;
}

export interface RegistryFront {
  loginServer: string;
  /** Connects the token service once the login server (and so the token audience) is known. */
  attach(context: TokenEndpointContext): void;
  stop(): Promise<void>;
}

function challenge(loginServer: string, scopes: readonly ScopeAccess[]): Record<string, string> {
  const parts = [`Bearer realm="https://${loginServer}/oauth2/token"`, `service="${loginServer}"`];
  if (scopes.length > 0) parts.push(`scope="${scopes.map(formatScope).join(' ')}"`);
  return { 'WWW-Authenticate': parts.join(','), 'Docker-Distribution-Api-Version': 'registry/2.0' };
}

/**
 * ACR's refusal, for a missing token and for a token without the action alike. No
 * `error="insufficient_scope"` in the challenge: ACR sends none, so docker prints the body's
 * `unauthorized: authentication required, visit https://aka.ms/acr/authorization ...` (with it, docker
 * would print `denied: requested access to the resource is denied` instead).
 */
function unauthorized(loginServer: string, scopes: readonly ScopeAccess[]): EmulatorResponse {
  const detail = scopes.length > 0 ? scopes.flatMap((scope) => scope.actions.map((action) => ({ Type: scope.type, Name: scope.name, Action: action }))) : null;
  return {
    status: 401,
    headers: challenge(loginServer, scopes),
    body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required, visit https://aka.ms/acr/authorization for more information.', detail }] },
  };
}

/** ACR accepts repository names with '/' percent-encoded in `/acr/v1/` paths (as @azure/container-registry sends them). */
function decodedMetadataPath(path: string): string {
  if (!path.startsWith('/acr/v1/')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export async function startRegistryFront(options: RegistryFrontOptions): Promise<RegistryFront> {
  let context: TokenEndpointContext | undefined;
  let loginServer = '';

  function proxy(req: IncomingMessage, res: ServerResponse, entry: Omit<RequestLogEntry, 'status'>): void {
    let bytesReceived = 0;
    const headers = { ...req.headers, host: loginServer, 'x-forwarded-proto': 'https' };
    delete headers.authorization;
    // agent: false: a connection of its own for each request (free on a UNIX socket). A pooled keep-alive
    // connection can be picked at the moment docker-registry closes it, and the request then fails with a
    // reset that Azure's registry would never give docker; this front would have to answer 502 for it.
    const upstream = httpRequest({ socketPath: options.socketPath, method: req.method, path: req.url, headers, agent: false }, (upstreamResponse) => {
      const responseHeaders = { ...upstreamResponse.headers };
      const location = responseHeaders.location;
      if (typeof location === 'string' && location.startsWith(`http://${loginServer}`)) {
        responseHeaders.location = `https://${location.slice('http://'.length)}`;
      }
      res.writeHead(upstreamResponse.statusCode ?? 502, responseHeaders);
      upstreamResponse.pipe(res);
      res.on('finish', () => options.log.add({ ...entry, bytesReceived, status: upstreamResponse.statusCode ?? 502 }));
    });
    upstream.on('error', (error) => {
      options.log.add({ ...entry, bytesReceived, status: 502, upstreamError: error.message });
      if (!res.headersSent) sendResponse(res, 'GET', { status: 502, body: { errors: [{ code: 'UNKNOWN', message: `registry unreachable: ${error.message}` }] } });
      else res.destroy();
    });
    req.on('data', (chunk: Buffer) => {
      bytesReceived += chunk.length;
    });
    req.pipe(upstream);
  }

  function authorise(req: IncomingMessage, scopes: readonly ScopeAccess[]): EmulatorResponse | undefined {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    const access = bearer && context ? context.registryTokens.checkAccessToken(bearer) : undefined;
    if (!access || !scopes.every((scope) => allows(access, scope))) return unauthorized(loginServer, scopes);
    return undefined;
  }

  const unsupported: EmulatorResponse = { status: 405, body: { errors: [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }] } };

  /** The token service's and the metadata API's answers (the registry answers proxied routes itself). */
  async function answer(route: RegistryRoute, request: EmulatorRequest, attached: TokenEndpointContext): Promise<EmulatorResponse> {
    if (route.answer === 'exchange') return request.method === 'POST' ? exchange(attached, request) : unsupported;
    if (route.answer === 'token') return request.method === 'POST' || request.method === 'GET' ? token(attached, request) : unsupported;
    return request.method === 'GET' ? answerMetadata(options.storageDirectory, loginServer, request.path) : unsupported;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', `https://${loginServer}`);
    const path = decodedMetadataPath(url.pathname);
    const route = matchRegistryRoute(method, path);
    const entry = { route: route?.name ?? 'acr.unmatched', method, path, at: new Date(), bytesReceived: 0, host: loginServer };
    const injected = route ? await injectHttpFault({ faults: options.faults, log: options.log, routeName: route.name, req, entry }) : { kind: 'none' as const };
    if (injected.kind === 'dropped') return;
    const fault = injected.kind === 'injected' ? { fault: injected.description } : {};
    const reply = (response: EmulatorResponse, bytesReceived: number): void => {
      options.log.add({ ...entry, bytesReceived, status: response.status, ...fault });
      sendResponse(res, method, response);
    };
    if (injected.kind === 'injected' && injected.reply) {
      reply(injected.reply, (await readBody(req)).length);
      return;
    }
    if (!context) {
      reply({ status: 503, body: { errors: [{ code: 'UNAVAILABLE', message: 'starting' }] } }, 0);
      return;
    }
    const scopes = route ? route.scopes(method, path, url.searchParams) : 'notFound';
    if (!route || scopes === 'notFound') {
      reply({ status: 404, body: { errors: [{ code: 'NOT_FOUND', message: `No handler for ${method} ${path}.` }] } }, (await readBody(req)).length);
      return;
    }
    if (scopes !== 'anonymous') {
      const refusal = authorise(req, scopes);
      if (refusal) {
        reply(refusal, (await readBody(req)).length);
        return;
      }
    }
    if (route.answer === 'proxy') {
      // A latency fault delays a proxied request: logged with it, like every other injected fault.
      proxy(req, res, { ...entry, ...fault });
      return;
    }
    const body = await readBody(req);
    reply(await answer(route, { method, path, params: {}, query: url.searchParams, headers: req.headers, body }, context), body.length);
  }

  const server = createServer({ cert: options.tls.certificatePem, key: options.tls.privateKeyPem }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`local Azure registry front: ${String(error)}\n`);
      if (!res.headersSent) sendResponse(res, 'GET', { status: 500, body: { errors: [{ code: 'UNKNOWN', message: 'unexpected failure' }] } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  const port = await listenOnLoopback(server);
  loginServer = `127.0.0.1:${port}`;
  return {
    loginServer,
    attach(attached) {
      context = attached;
    },
    stop: () => closeServer(server),
  };
}
