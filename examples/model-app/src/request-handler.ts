// Answers the Open Inference Protocol v2 endpoints from the current model state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './log.js';
import type { LoadedModel } from './model.js';
import { matchRoute, type Route } from './routes.js';
import { BadRequestError, parseInferRequest, toInferResponse, toModelMetadata, type ModelSignature } from './v2-protocol.js';

export type ModelState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly model: LoadedModel; readonly signature: ModelSignature }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'stopping' };

export interface HandlerOptions {
  readonly modelName: string;
  readonly modelVersion: string;
  readonly server: { readonly name: string; readonly version: string };
  readonly maxBodyBytes: number;
  readonly state: () => ModelState;
  readonly log: Logger;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The body exceeds the limit: answered 413, and the connection is closed. */
class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

const error = (status: number, message: string, headers?: Record<string, string>): Reply => ({ status, body: { error: message }, ...(headers ? { headers } : {}) });

async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new PayloadTooLargeError(`The request body is larger than ${maxBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function notReady(options: HandlerOptions, state: ModelState): Reply {
  const reason = state.kind === 'failed' ? `it failed to load: ${state.reason}` : state.kind === 'stopping' ? 'the server is shutting down' : 'it is still loading';
  return error(503, `Model '${options.modelName}' is not ready: ${reason}.`, state.kind === 'loading' ? { 'Retry-After': '1' } : undefined);
}

async function answer(options: HandlerOptions, route: Route, request: IncomingMessage): Promise<Reply> {
  const state = options.state();
  const ready = state.kind === 'ready';
  switch (route.kind) {
    case 'server-metadata':
      return { status: 200, body: { ...options.server, extensions: [] } };
    case 'live':
      return { status: 200, body: { live: true } };
    case 'ready':
      return { status: ready ? 200 : 503, body: { ready } };
    default:
      break;
  }
  if (route.model !== options.modelName) {
    return error(404, `Unknown model '${route.model}'. This server serves the model '${options.modelName}'.`);
  }
  if (route.version !== undefined && route.version !== options.modelVersion) {
    return error(404, `Model '${route.model}' has no version '${route.version}'. Available versions: ${options.modelVersion}.`);
  }
  if (route.kind === 'model-ready') return { status: ready ? 200 : 503, body: { name: options.modelName, ready } };
  if (state.kind !== 'ready') return notReady(options, state);
  if (route.kind === 'model-metadata') return { status: 200, body: toModelMetadata(state.signature, state.model.platform) };
  const text = await readBody(request, options.maxBodyBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new BadRequestError(`The request body is not valid JSON: ${(cause as Error).message}`);
  }
  const inferRequest = parseInferRequest(body, state.signature);
  const outputs = await state.model.infer(inferRequest.inputs, inferRequest.outputNames);
  return { status: 200, body: toInferResponse(state.signature, inferRequest, outputs) };
}

function send(response: ServerResponse, reply: Reply): void {
  const payload = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    ...reply.headers,
  });
  response.end(payload);
}

export function createRequestHandler(options: HandlerOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const started = process.hrtime.bigint();
    const method = request.method ?? 'GET';
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const match = matchRoute(method, pathname);
    const replied = match.kind === 'found'
      ? answer(options, match.route, request)
      : Promise.resolve(match.kind === 'not-found'
        ? error(404, `Not found: ${method} ${pathname}. This server speaks the Open Inference Protocol v2 (/v2/...).`)
        : error(405, `Method ${method} is not allowed on ${pathname}; use ${match.allow}.`, { Allow: match.allow }));
    replied
      .catch((cause: unknown): Reply => {
        if (cause instanceof BadRequestError) return error(400, cause.message);
        if (cause instanceof PayloadTooLargeError) return error(413, cause.message, { Connection: 'close' });
        options.log.error(`${method} ${pathname} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
        return error(500, `Inference failed: ${cause instanceof Error ? cause.message : String(cause)}`);
      })
      .then((reply) => {
        send(response, reply);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        options.log.debug(`${method} ${pathname} ${reply.status} ${ms.toFixed(1)} ms`);
      })
      .catch((cause: unknown) => options.log.error(`Could not answer ${method} ${pathname}: ${String(cause)}`));
  };
}
