/**
 * The Kubernetes API server's HTTP layer: https on a loopback port with the cluster's own certificate,
 * client-certificate and bearer-token authentication, authorization, HTTP fault injection (route names
 * `kubernetes.<resource>.<verb>`), discovery, OpenAPI, and dispatch to the verb handlers; every failure
 * is a Kubernetes Status body.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { closeServer, listenOnLoopback, readBody } from '../../core/https-front';
import { injectHttpFault } from '../../core/fault-injection';
import type { FaultRegistry } from '../../core/service-context';
import { findServedType } from '../store/resource-types';
import { forbidden, isStatusError, KubernetesStatusError, unauthorized } from '../status-errors';
import type { ApiRequest, ApiResult, UserInfo } from './api-types';
import type { Discovery } from './discovery';
import type { HandlerContext } from './handler-context';
import { parseRequestInfo, type RequestInfo } from './request-info';
import { handleCreate, handleGet, handleList, handlePatch, handleUpdate } from './resource-handlers';
import { handleDelete, handleDeleteCollection } from './delete-handlers';
import { handleLog, handleScale, handleStatus } from './subresource-handlers';
import { handleWatch } from './watch-stream';
import type { OpenApiDocuments } from '../openapi/openapi-documents';
import type { Decision } from '../auth/authorization';
import { CONVERTED_RESOURCE_TYPES, dispatchConverted, findConvertedType } from './converted-versions';
import { handleSelfSubjectAccessReview, SELF_SUBJECT_ACCESS_REVIEWS } from './access-reviews';

export interface ApiServerOptions {
  tls: { certificatePem: string; privateKeyPem: string };
  /** PEM of the CA whose client certificates are accepted. */
  clientCaPem: string;
  /** Address clients should use (`<fqdn>:443` on AKS). */
  serverAddress: string;
  context: HandlerContext;
  discovery: Discovery;
  openApi: OpenApiDocuments;
  authenticate: (request: IncomingMessage) => UserInfo | undefined;
  authorize: (user: UserInfo, info: RequestInfo) => Decision;
  faults: FaultRegistry;
  /** Host to listen on (default 127.0.0.1) and port (default: any free one). */
  host?: string;
  port?: number;
}

export interface RunningApiServer {
  port: number;
  host: string;
  stop(): Promise<void>;
}

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz']);

function statusBody(error: KubernetesStatusError): { status: number; body: unknown } {
  return { status: error.status.code, body: error.status };
}

function writeJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string | string[]> = {}): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Audit-Id': randomUUID(),
    'Cache-Control': 'no-cache, private',
    'Content-Type': 'application/json',
    'X-Kubernetes-Pf-Flowschema-Uid': randomUUID(),
    'X-Kubernetes-Pf-Prioritylevel-Uid': randomUUID(),
    'Content-Length': String(payload.length),
    ...extraHeaders,
  });
  res.end(payload);
}

function writeBytes(res: ServerResponse, status: number, body: Buffer, contentType: string, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(status, { 'Audit-Id': randomUUID(), 'Cache-Control': 'no-cache, private', 'Content-Type': contentType, 'Content-Length': String(body.length), ...extraHeaders });
  res.end(body);
}

function routeName(info: RequestInfo): string {
  return info.kind === 'resource' ? `kubernetes.${info.resource}${info.subresource ? `/${info.subresource}` : ''}.${info.verb}` : 'kubernetes.discovery';
}

function faultStatus(status: number, retryAfter: number | undefined): { status: number; body: unknown; headers: Record<string, string> } {
  const reason = status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : 'InternalError';
  const message = status === 429 ? 'Too many requests, please try again later.' : status === 503 ? 'the server is currently unable to handle the request' : 'Internal error occurred: injected fault';
  const error = new KubernetesStatusError(status, reason, message, retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : undefined);
  return { status, body: error.status, headers: retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {} };
}

export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const { context } = options;

  function nonResource(info: RequestInfo & { kind: 'nonResource' }, accept: string, res: ServerResponse): void {
    const path = info.path.replace(/\/+$/, '') || '/';
    const found = (body: unknown): void => (body === undefined ? writeJson(res, 404, new KubernetesStatusError(404, 'NotFound', 'the server could not find the requested resource').status) : writeJson(res, 200, body));
    if (info.verb !== 'get') {
      writeJson(res, 405, new KubernetesStatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource').status);
      return;
    }
    if (path === '/api') return found(options.discovery.coreVersions(options.serverAddress));
    if (path === '/apis') return found(options.discovery.groupList());
    if (path === '/version') return found(options.discovery.version());
    if (path === '/openapi/v2') {
      if (accept.includes('protobuf')) writeBytes(res, 200, options.openApi.v2Protobuf(), 'application/octet-stream', { ETag: options.openApi.v2Etag() });
      else writeBytes(res, 200, options.openApi.v2Json(), 'application/json', { ETag: options.openApi.v2Etag() });
      return;
    }
    if (path === '/openapi/v3') return found(options.openApi.v3Index());
    if (path.startsWith('/openapi/v3/')) return found(options.openApi.v3(path.slice('/openapi/v3/'.length)));
    const parts = path.split('/').filter((part) => part !== '');
    if (parts[0] === 'api' && parts.length === 2) return found(options.discovery.resourceList('', parts[1] ?? ''));
    if (parts[0] === 'apis' && parts.length === 2) return found(options.discovery.group(parts[1] ?? ''));
    if (parts[0] === 'apis' && parts.length === 3) return found(options.discovery.resourceList(parts[1] ?? '', parts[2] ?? ''));
    found(undefined);
  }

  async function dispatch(request: ApiRequest): Promise<ApiResult> {
    const { info } = request;
    if (info.subresource === 'status') return handleStatus(context, request);
    if (info.subresource === 'scale') return handleScale(context, request);
    if (info.subresource === 'log' && request.type.resource === 'pods') return handleLog(context, request);
    if (info.subresource !== undefined) throw new KubernetesStatusError(404, 'NotFound', 'the server could not find the requested resource');
    switch (info.verb) {
      case 'get':
        return handleGet(context, request);
      case 'list':
        return handleList(context, request);
      case 'watch':
        return handleWatch(context, request);
      case 'create':
        if (info.name !== undefined) throw new KubernetesStatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        return handleCreate(context, request);
      case 'update':
        return handleUpdate(context, request);
      case 'patch':
        return handlePatch(context, request);
      case 'delete':
        return handleDelete(context, request);
      case 'deletecollection':
        return handleDeleteCollection(context, request);
    }
  }

  function startWatch(res: ServerResponse, result: ApiResult & { kind: 'watch' }): void {
    res.writeHead(200, { 'Audit-Id': randomUUID(), 'Cache-Control': 'no-cache, private', 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const closeListeners: (() => void)[] = [];
    let ended = false;
    const finish = (): void => {
      if (ended) return;
      ended = true;
      for (const listener of closeListeners) listener();
    };
    res.on('close', finish);
    result.start({
      send(event) {
        if (!ended) res.write(`${JSON.stringify(event)}\n`);
      },
      end() {
        if (!ended) res.end();
        finish();
      },
      onClose(listener) {
        closeListeners.push(listener);
      },
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const body = await readBody(req);
    if (PUBLIC_PATHS.has(url.pathname)) {
      writeBytes(res, 200, Buffer.from('ok'), 'text/plain; charset=utf-8');
      return;
    }
    const info = parseRequestInfo(method, url.pathname, url.searchParams);
    const route = routeName(info);
    const injected = await injectHttpFault({ faults: options.faults, routeName: route, req, entry: { route, method, path: url.pathname, at: new Date(), bytesReceived: body.length, host: options.serverAddress }, faultReply: faultStatus });
    if (injected.kind === 'dropped') return;
    if (injected.kind === 'injected' && injected.reply) {
      writeJson(res, injected.reply.status, injected.reply.body, injected.reply.headers);
      return;
    }
    const user = options.authenticate(req);
    if (!user) {
      const { status, body: statusPayload } = statusBody(unauthorized());
      writeJson(res, status, statusPayload);
      return;
    }
    const decision = options.authorize(user, info);
    if (info.kind === 'nonResource') {
      nonResource(info, String(req.headers.accept ?? ''), res);
      return;
    }
    if (info.group === SELF_SUBJECT_ACCESS_REVIEWS.group && info.version === SELF_SUBJECT_ACCESS_REVIEWS.version && info.resource === SELF_SUBJECT_ACCESS_REVIEWS.resource && info.verb === 'create') {
      try {
        const review = handleSelfSubjectAccessReview(body, req.headers['content-type'], user, options.authorize);
        if (review.kind === 'json') writeJson(res, review.status, review.body);
      } catch (error) {
        if (!isStatusError(error)) throw error;
        writeJson(res, error.status.code, error.status);
      }
      return;
    }
    const type = findServedType(info.group, info.version, info.resource) ?? findConvertedType(info.group, info.version, info.resource);
    if (!type) {
      writeJson(res, 404, new KubernetesStatusError(404, 'NotFound', 'the server could not find the requested resource').status);
      return;
    }
    if (!decision.allowed) {
      const namespace = type.namespaced ? info.namespace : undefined;
      const verb = info.verb;
      const error = forbidden(user.name, verb, type, namespace, info.name, decision.reason, info.subresource);
      writeJson(res, 403, error.status);
      return;
    }
    const accept = String(req.headers.accept ?? '');
    if (accept !== '' && !/(application\/json|\*\/\*|application\/\*|text\/plain)/.test(accept)) {
      writeJson(res, 406, new KubernetesStatusError(406, 'NotAcceptable', `only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf`).status);
      return;
    }
    const request: ApiRequest = { info: info, type, query: url.searchParams, headers: req.headers, body, user };
    let result: ApiResult;
    try {
      result = CONVERTED_RESOURCE_TYPES.includes(type) ? await dispatchConverted(context, request, dispatch) : await dispatch(request);
    } catch (error) {
      if (isStatusError(error)) {
        writeJson(res, error.status.code, error.status);
        return;
      }
      process.stderr.write(`local Kubernetes API server: ${method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      const failure = new KubernetesStatusError(500, 'InternalError', `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`);
      writeJson(res, 500, failure.status);
      return;
    }
    if (result.kind === 'watch') startWatch(res, result);
    else if (result.kind === 'text') writeBytes(res, result.status, Buffer.from(result.body), 'text/plain');
    else writeJson(res, result.status, result.body, result.warnings ? { Warning: result.warnings.map((warning) => `299 - ${JSON.stringify(warning)}`) } : {});
  }

  const server: Server = createServer(
    { cert: options.tls.certificatePem, key: options.tls.privateKeyPem, ca: [options.clientCaPem], requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        process.stderr.write(`local Kubernetes API server: ${String(error)}\n`);
        if (!res.headersSent) writeJson(res, 500, new KubernetesStatusError(500, 'InternalError', 'Internal error occurred').status);
        else res.destroy();
      });
    },
  );
  server.keepAliveTimeout = 5_000;
  const port = await listenOnLoopback(server);
  return { port, host: '127.0.0.1', stop: () => closeServer(server) };
}
