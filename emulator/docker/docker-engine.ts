/**
 * A small typed client for the parts of the Docker Engine API (v1.41, dockerd 20.10+) that the
 * emulated Container Instances use, over the engine's unix socket. No shell, no docker CLI.
 */
import { request, type IncomingMessage } from 'node:http';
import { demultiplexLogs, splitJsonLines } from './docker-stream';
import { splitTag } from './image-reference';

const API_PREFIX = '/v1.41';
/** How long a removal another caller started may take before this one says it failed. */
const REMOVAL_WAIT_IN_MS = 30_000;

export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

export interface DockerContainerState {
  Status: 'created' | 'restarting' | 'running' | 'removing' | 'paused' | 'exited' | 'dead';
  Running: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

export interface DockerContainerInspect {
  Id: string;
  Name: string;
  RestartCount: number;
  State: DockerContainerState;
  NetworkSettings: { IPAddress: string };
}

export interface DockerCreateBody {
  Image: string;
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  Labels?: Record<string, string>;
  ExposedPorts?: Record<string, Record<string, never>>;
  HostConfig: {
    NanoCpus?: number;
    Memory?: number;
    RestartPolicy?: { Name: 'always' | 'on-failure' | 'no' | 'unless-stopped'; MaximumRetryCount?: number };
    PortBindings?: Record<string, { HostIp: string; HostPort: string }[]>;
    Dns?: string[];
    DnsSearch?: string[];
    DnsOptions?: string[];
    Binds?: string[];
    NetworkMode?: string;
  };
}

export interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano: number;
}

export class DockerEngineError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = 'DockerEngineError';
  }
}

export interface DockerEngine {
  info(): Promise<{ NCPU: number; MemTotal: number }>;
  pullImage(image: string, auth: RegistryAuth | undefined): Promise<void>;
  createContainer(name: string, body: DockerCreateBody): Promise<string>;
  startContainer(id: string): Promise<void>;
  stopContainer(id: string, timeoutInSeconds: number): Promise<void>;
  killContainer(id: string): Promise<void>;
  removeContainer(id: string): Promise<void>;
  /** Removes an image tag (not forced: an image still in use elsewhere stays). */
  removeImage(name: string): Promise<void>;
  inspectContainer(id: string): Promise<DockerContainerInspect | undefined>;
  /** Container ids carrying `label=value`. */
  listContainers(label: string, value: string): Promise<string[]>;
  logs(id: string, options: { tail?: number; timestamps?: boolean }): Promise<string>;
  /** Streams engine events for containers with the label; returns a function that ends the stream. */
  watchEvents(label: string, value: string, onEvent: (event: DockerEvent) => void): () => void;
}

export interface RawResponse {
  statusCode: number;
  body: Buffer;
}

/** One request to the engine's API (JSON body, or raw bytes such as a tar archive). */
export function dockerRequest(socketPath: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const raw = Buffer.isBuffer(body);
    const payload = body === undefined ? undefined : raw ? body : Buffer.from(JSON.stringify(body));
    const req = request(
      {
        socketPath,
        method,
        path: API_PREFIX + path,
        headers: { ...headers, ...(payload ? { 'Content-Type': raw ? 'application/x-tar' : 'application/json', 'Content-Length': String(payload.length) } : {}) },
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', (error) => reject(new Error(`Docker engine at ${socketPath} is not reachable: ${error.message}`)));
    req.end(payload);
  });
}

export function createDockerEngine(socketPath: string): DockerEngine {
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> => dockerRequest(socketPath, method, path, body, headers);

  async function expectOk(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RawResponse> {
    const response = await send(method, path, body, headers);
    if (response.statusCode >= 300 && response.statusCode !== 304) {
      throw new DockerEngineError(`Docker ${method} ${path.split('?')[0]} failed (${response.statusCode}): ${engineMessage(response.body)}`, response.statusCode);
    }
    return response;
  }

  return {
    async info() {
      const response = await expectOk('GET', '/info');
      return JSON.parse(response.body.toString('utf8')) as { NCPU: number; MemTotal: number };
    },
    async pullImage(image, auth) {
      const { repository, tag } = splitTag(image);
      const query = new URLSearchParams({ fromImage: repository, tag });
      const headers: Record<string, string> = auth ? { 'X-Registry-Auth': registryAuthHeader(auth) } : {};
      const response = await expectOk('POST', `/images/create?${query.toString()}`, undefined, headers);
      // The engine answers 200 and reports failures inside the progress stream.
      for (const line of splitJsonLines(response.body)) {
        if (typeof line.error === 'string') throw new DockerEngineError(`Pulling ${image} failed: ${line.error}`, 500);
      }
    },
    async createContainer(name, body) {
      const response = await expectOk('POST', `/containers/create?name=${encodeURIComponent(name)}`, body);
      return (JSON.parse(response.body.toString('utf8')) as { Id: string }).Id;
    },
    async startContainer(id) {
      await expectOk('POST', `/containers/${id}/start`);
    },
    async stopContainer(id, timeoutInSeconds) {
      const response = await send('POST', `/containers/${id}/stop?t=${timeoutInSeconds}`);
      if (response.statusCode >= 300 && response.statusCode !== 304 && response.statusCode !== 404) {
        throw new DockerEngineError(`Docker stop failed (${response.statusCode}): ${engineMessage(response.body)}`, response.statusCode);
      }
    },
    async killContainer(id) {
      const response = await send('POST', `/containers/${id}/kill`);
      if (response.statusCode >= 300 && response.statusCode !== 404 && response.statusCode !== 409) {
        throw new DockerEngineError(`Docker kill failed (${response.statusCode}): ${engineMessage(response.body)}`, response.statusCode);
      }
    },
    async removeContainer(id) {
      const response = await send('DELETE', `/containers/${id}?force=true&v=true`);
      if (response.statusCode === 409 && /already in progress/i.test(engineMessage(response.body))) {
        // Another removal of it (e.g. the group's own stop) is under way: done when the engine no longer knows it.
        const giveUpAt = Date.now() + REMOVAL_WAIT_IN_MS;
        while (Date.now() < giveUpAt) {
          if ((await send('GET', `/containers/${id}/json`)).statusCode === 404) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      if (response.statusCode >= 300 && response.statusCode !== 404) {
        throw new DockerEngineError(`Docker remove failed (${response.statusCode}): ${engineMessage(response.body)}`, response.statusCode);
      }
    },
    async removeImage(name) {
      const response = await send('DELETE', `/images/${encodeURIComponent(name)}`);
      if (response.statusCode >= 300 && response.statusCode !== 404 && response.statusCode !== 409) {
        throw new DockerEngineError(`Docker image remove failed (${response.statusCode}): ${engineMessage(response.body)}`, response.statusCode);
      }
    },
    async inspectContainer(id) {
      const response = await send('GET', `/containers/${id}/json`);
      if (response.statusCode === 404) return undefined;
      if (response.statusCode >= 300) {
        throw new DockerEngineError(`Docker inspect failed (${response.statusCode}): ${engineMessage(response.body)}`, response.statusCode);
      }
      return JSON.parse(response.body.toString('utf8')) as DockerContainerInspect;
    },
    async listContainers(label, value) {
      const filters = encodeURIComponent(JSON.stringify({ label: [`${label}=${value}`] }));
      const response = await expectOk('GET', `/containers/json?all=true&filters=${filters}`);
      return (JSON.parse(response.body.toString('utf8')) as { Id: string }[]).map((c) => c.Id);
    },
    async logs(id, options) {
      const query = new URLSearchParams({ stdout: 'true', stderr: 'true', timestamps: String(options.timestamps ?? false) });
      if (options.tail !== undefined) query.set('tail', String(options.tail));
      const response = await expectOk('GET', `/containers/${id}/logs?${query.toString()}`);
      return demultiplexLogs(response.body);
    },
    watchEvents(label, value, onEvent) {
      const filters = encodeURIComponent(JSON.stringify({ type: ['container'], label: [`${label}=${value}`] }));
      let pending = '';
      const req = request({ socketPath, method: 'GET', path: `${API_PREFIX}/events?filters=${filters}` }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          pending += chunk;
          let newline = pending.indexOf('\n');
          while (newline >= 0) {
            const line = pending.slice(0, newline).trim();
            pending = pending.slice(newline + 1);
            if (line) onEvent(JSON.parse(line) as DockerEvent);
            newline = pending.indexOf('\n');
          }
        });
        res.on('error', () => undefined);
      });
      req.on('error', () => undefined);
      req.end();
      return () => req.destroy();
    },
  };
}

/** base64url *with* padding: dockerd 20.10 decodes X-Registry-Auth with Go's base64.URLEncoding. */
export function registryAuthHeader(auth: RegistryAuth): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export function engineMessage(body: Buffer): string {
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : text;
  } catch {
    return text.trim();
  }
}
