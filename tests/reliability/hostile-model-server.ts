/**
 * A KServe v1 model server ('iris') on 127.0.0.1 that misbehaves on request: injected faults on its
 * readiness or inference route (429 with Retry-After, 500, 503, a reset connection, added latency;
 * once, n times or always), and the hostile answers users met: hanging or trickling after the canary
 * (too slowly for a request's timeout, or slowly but whole),
 * a 10 MB answer, an HTML page with 200, a connection closed mid-body, an echo of the credentials.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ModelRoute = 'ready' | 'infer';
export type ModelFaultKind = '429' | '500' | '503' | 'reset' | 'latency';

export interface ModelFault {
  route: ModelRoute;
  kind: ModelFaultKind;
  /** Default: always. */
  count?: number;
  latencyInMs?: number;
}

export type Hostility =
  /** After the canary, inference requests never answer. */
  | 'hangAfterCanary'
  /** After the canary, inference answers trickle, a byte a second. */
  | 'trickleAfterCanary'
  /** After the canary, each inference answer trickles in five parts over 2 s: whole, never timed out, but slow. */
  | 'slowAfterCanary'
  /** A valid answer of 10 MB. */
  | 'hugeAnswer'
  /** `200 text/html` login page for inference. */
  | 'htmlPage'
  /** The inference answer's connection closes after half of its declared length. */
  | 'cutMidBody'
  /** The inference answer echoes the request's headers, credentials included. */
  | 'echoCredentials';

export interface HostileServer {
  url: string;
  /** Requests per route, faulted or not. */
  counts: Record<ModelRoute, number>;
  stop(): Promise<void>;
}

export interface HostileOptions {
  faults?: readonly ModelFault[];
  hostility?: Hostility;
}

export const MODEL = 'iris';

export async function startHostileServer(options: HostileOptions): Promise<HostileServer> {
  const faults = (options.faults ?? []).map((fault) => ({ ...fault, remaining: fault.count }));
  const counts: Record<ModelRoute, number> = { ready: 0, infer: 0 };
  const sockets = new Set<import('node:net').Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };
  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  };
  const takeFault = (route: ModelRoute): ModelFault | undefined => {
    const fault = faults.find((candidate) => candidate.route === route && (candidate.remaining === undefined || candidate.remaining > 0));
    if (fault?.remaining !== undefined) fault.remaining -= 1;
    return fault;
  };
  const answerInference = (req: http.IncomingMessage, res: http.ServerResponse, body: string): void => {
    const isCanary = counts.infer === 1;
    const instances = (JSON.parse(body || '{}') as { instances?: unknown[] }).instances ?? [];
    const predictions = instances.map(() => 1);
    switch (options.hostility) {
      case 'hangAfterCanary':
        if (!isCanary) return;
        break;
      case 'trickleAfterCanary':
        if (!isCanary) {
          res.writeHead(200, { 'content-type': 'application/json' });
          // Longer than the 30 s a measured request may take, at a byte a second.
          const text = JSON.stringify({ predictions, padding: '.'.repeat(60) });
          let index = 0;
          const drip = (): void => {
            if (res.destroyed || index >= text.length) return void res.end();
            res.write(text.charAt(index++));
            later(1000, drip);
          };
          drip();
          return;
        }
        break;
      case 'slowAfterCanary':
        if (!isCanary) {
          res.writeHead(200, { 'content-type': 'application/json' });
          const text = JSON.stringify({ predictions });
          const part = Math.ceil(text.length / 5);
          let offset = 0;
          const drip = (): void => {
            if (res.destroyed) return;
            if (offset >= text.length) return void res.end();
            res.write(text.slice(offset, offset + part));
            offset += part;
            later(400, drip);
          };
          drip();
          return;
        }
        break;
      case 'hugeAnswer':
        return send(res, 200, { predictions, padding: 'x'.repeat(10 * 1024 * 1024) });
      case 'htmlPage':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end('<!DOCTYPE html><html><body><form>Sign in</form></body></html>');
      case 'cutMidBody': {
        const text = JSON.stringify({ predictions, padding: 'y'.repeat(64 * 1024) });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length) });
        res.write(text.slice(0, text.length / 2));
        return void later(50, () => res.socket?.destroy());
      }
      case 'echoCredentials':
        return send(res, 200, { predictions, echo: { authorization: req.headers.authorization ?? '', apiKey: req.headers['api-key'] ?? '' } });
      default:
        break;
    }
    send(res, 200, { predictions });
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const route: ModelRoute | undefined =
        req.method === 'GET' && req.url === `/v1/models/${MODEL}` ? 'ready' : req.method === 'POST' && req.url === `/v1/models/${MODEL}:predict` ? 'infer' : undefined;
      if (route === undefined) return send(res, 404, { error: `no route ${req.method ?? ''} ${req.url ?? ''}` });
      counts[route] += 1;
      const answer = (): void => {
        if (route === 'ready') send(res, 200, { name: MODEL, ready: true });
        else answerInference(req, res, Buffer.concat(chunks).toString('utf8'));
      };
      const fault = takeFault(route);
      if (fault === undefined) return answer();
      switch (fault.kind) {
        case 'reset':
          return void req.socket.destroy();
        case 'latency':
          return later(fault.latencyInMs ?? 1500, answer);
        case '429':
          return send(res, 429, { error: 'throttled' }, { 'retry-after': '1' });
        default:
          return send(res, Number(fault.kind), { error: `injected ${fault.kind}` });
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
