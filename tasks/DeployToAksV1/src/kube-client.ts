import { type AgentProxy, httpAgentFor } from '../../common/agent-proxy';
/**
 * The task's own small Kubernetes API client (no kubectl, no kubelogin, no client library in the
 * bundle): https to the API server with the kubeconfig's CA, signed in with the kubeconfig's client
 * certificate or token, or with an Entra ID token for the AKS server application. Every request is
 * bounded (timeout, retries on 429/5xx/resets honouring Retry-After) and never logs a body or header.
 */
import * as https from 'node:https';
import type { Clock } from '../../common/deadline';
import { type RetryPolicy, parseRetryAfterInMs, retry } from '../../common/retry';
import type { TaskLog } from '../../common/task-runtime';
import type { ClusterAccess } from './kubeconfig';
import { KubeApiError, classifyKubeError, kubeFailure } from './kube-errors';
import type { KubeObject, KubeStatus } from './kube-objects';

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path and query, e.g. /apis/apps/v1/namespaces/default/deployments/iris?fieldManager=x. */
  path: string;
  body?: string;
  contentType?: string;
}

export interface KubeResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one request; the only part that touches the network (tests pass a fake). */
export interface KubeTransport {
  send(request: KubeRequest): Promise<KubeResponse>;
}

/** An Entra ID token for the AKS server application (from the service connection's credential). */
export type BearerTokenSource = () => Promise<string>;

export const KUBE_REQUEST_TIMEOUT_IN_MS = 30_000;

export interface HttpsTransportOptions {
  timeoutInMs?: number;
  /** The agent's proxy (CONNECT to the API server) unless its bypass list matches. */
  proxy?: AgentProxy;
  /** The agent's cancellation: a request in flight is abandoned at once. */
  signal?: AbortSignal;
}

export function createHttpsTransport(access: ClusterAccess, token: BearerTokenSource | undefined, options: HttpsTransportOptions = {}): KubeTransport {
  const { timeoutInMs = KUBE_REQUEST_TIMEOUT_IN_MS, proxy, signal } = options;
  const server = new URL(access.server);
  const agentOptions: https.AgentOptions = {
    keepAlive: true,
    ...(access.caPem !== undefined ? { ca: access.caPem } : {}),
    ...(access.tlsServerName !== undefined ? { servername: access.tlsServerName } : {}),
    ...(access.auth.kind === 'clientCertificate' ? { cert: access.auth.certificatePem, key: access.auth.keyPem } : {}),
  };
  // The API server through the agent's proxy (CONNECT) unless its bypass list matches.
  const agent = httpAgentFor(proxy, server.href, agentOptions, () => new https.Agent(agentOptions));
  const basePath = server.pathname.replace(/\/+$/, '');
  return {
    async send(request) {
      const bearer = access.auth.kind === 'token' ? access.auth.token : access.auth.kind === 'entraId' && token ? await token() : undefined;
      return await new Promise<KubeResponse>((resolve, reject) => {
        const req = https.request(
          {
            host: server.hostname.replace(/^\[|\]$/g, ''),
            port: server.port === '' ? 443 : Number(server.port),
            path: `${basePath}${request.path}`,
            method: request.method,
            agent,
            timeout: timeoutInMs,
            ...(signal ? { signal } : {}),
            headers: {
              Accept: 'application/json',
              'User-Agent': 'ai-model-deploy/DeployToAks',
              ...(bearer !== undefined ? { Authorization: `Bearer ${bearer}` } : {}),
              ...(request.body !== undefined ? { 'Content-Type': request.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(request.body) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          },
        );
        req.on('timeout', () => req.destroy(Object.assign(new Error(`the API server did not answer within ${Math.round(timeoutInMs / 1000)} s`), { code: 'ETIMEDOUT' })));
        req.on('error', reject);
        req.end(request.body);
      });
    },
  };
}

/** The resources the task uses, by kind. */
export const RESOURCES = {
  Namespace: { prefix: '/api/v1', plural: 'namespaces', namespaced: false },
  Deployment: { prefix: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  ReplicaSet: { prefix: '/apis/apps/v1', plural: 'replicasets', namespaced: true },
  Pod: { prefix: '/api/v1', plural: 'pods', namespaced: true },
  Service: { prefix: '/api/v1', plural: 'services', namespaced: true },
  Secret: { prefix: '/api/v1', plural: 'secrets', namespaced: true },
  Event: { prefix: '/api/v1', plural: 'events', namespaced: true },
  HorizontalPodAutoscaler: { prefix: '/apis/autoscaling/v2', plural: 'horizontalpodautoscalers', namespaced: true },
  PodDisruptionBudget: { prefix: '/apis/policy/v1', plural: 'poddisruptionbudgets', namespaced: true },
} as const;
export type ResourceKind = keyof typeof RESOURCES;

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** What main() needs of the Kubernetes API (tests pass a fake cluster). */
export interface KubeApi {
  get<T extends KubeObject>(kind: ResourceKind, namespace: string, name: string): Promise<T | undefined>;
  list<T extends KubeObject>(kind: ResourceKind, namespace: string, options?: ListOptions): Promise<T[]>;
  /** Server-side apply (`application/apply-patch+yaml`) under `fieldManager`, forcing conflicts. */
  apply<T extends KubeObject>(object: KubeObject, fieldManager: string): Promise<T>;
  /** A JSON patch (RFC 6902), e.g. a rollback's template replacement. */
  patch<T extends KubeObject>(kind: ResourceKind, namespace: string, name: string, operations: readonly unknown[], fieldManager: string): Promise<T>;
  /** Deletes; an object already gone is fine. */
  delete(kind: ResourceKind, namespace: string, name: string): Promise<void>;
  podLog(namespace: string, pod: string, options: { container: string; previous: boolean; tailLines: number }): Promise<string>;
}

export interface KubeClientOptions {
  log: TaskLog;
  clock: Clock;
  /** Who the client signs in as, for 401/403 messages, e.g. "service connection 'x' (client id ...)". */
  identity: string;
  retryPolicy?: Partial<RetryPolicy>;
  /** The deployment's deadline: no retry waits beyond it. */
  deadline?: { remainingInMs(): number };
}

export const KUBE_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialDelayInMs: 500, maxDelayInMs: 10_000, timeoutInMs: 2 * 60_000 };

export function kubeApiOver(transport: KubeTransport, options: KubeClientOptions): KubeApi {
  const policy = { ...KUBE_RETRY_POLICY, ...options.retryPolicy };
  const attempt = async (request: KubeRequest): Promise<KubeResponse> =>
    retry(
      async () => {
        const response = await transport.send(request);
        if (response.statusCode >= 200 && response.statusCode < 300) return response;
        throw new KubeApiError(response.statusCode, parseStatus(response.body), retryAfterInMs(response.headers['retry-after'], options.clock.now()));
      },
      {
        policy: options.deadline ? { ...policy, timeoutInMs: Math.min(policy.timeoutInMs, Math.max(options.deadline.remainingInMs(), 1)) } : policy,
        clock: options.clock,
        classify: classifyKubeError,
        onRetry: ({ attempt, delayInMs, message }) =>
          options.log.info(`${request.method} ${request.path.split('?')[0] ?? ''}: ${message}; retrying in ${Math.round(delayInMs / 100) / 10} s (attempt ${attempt + 1} of ${policy.maxAttempts}).`),
      },
    );
  /** Sends with retries; a final failure becomes a TaskError saying what was attempted and what to do (a 404 is returned as undefined when `missingIsFine`). */
  async function send(request: KubeRequest, action: string, namespace: string, missingIsFine: true): Promise<KubeResponse | undefined>;
  async function send(request: KubeRequest, action: string, namespace: string): Promise<KubeResponse>;
  async function send(request: KubeRequest, action: string, namespace: string, missingIsFine = false): Promise<KubeResponse | undefined> {
    try {
      return await attempt(request);
    } catch (error) {
      if (missingIsFine && error instanceof KubeApiError && error.statusCode === 404) return undefined;
      throw kubeFailure(error, { action, identity: options.identity, namespace });
    }
  }
  const json = <T>(response: KubeResponse): T => JSON.parse(response.body) as T;
  const where = (kind: ResourceKind, namespace: string, name?: string): string =>
    `${kind}${name !== undefined ? ` '${name}'` : 's'}${RESOURCES[kind].namespaced ? ` in namespace '${namespace}'` : ''}`;
  return {
    async get<T extends KubeObject>(kind: ResourceKind, namespace: string, name: string) {
      const response = await send({ method: 'GET', path: objectPath(kind, namespace, name) }, `Reading ${where(kind, namespace, name)}`, namespace, true);
      return response === undefined ? undefined : json<T>(response);
    },
    async list<T extends KubeObject>(kind: ResourceKind, namespace: string, listOptions: ListOptions = {}) {
      const query = new URLSearchParams();
      if (listOptions.labelSelector) query.set('labelSelector', listOptions.labelSelector);
      if (listOptions.fieldSelector) query.set('fieldSelector', listOptions.fieldSelector);
      const suffix = query.size > 0 ? `?${query.toString()}` : '';
      return json<{ items?: T[] }>(await send({ method: 'GET', path: `${collectionPath(kind, namespace)}${suffix}` }, `Listing ${where(kind, namespace)}`, namespace)).items ?? [];
    },
    async apply<T extends KubeObject>(object: KubeObject, fieldManager: string) {
      const kind = object.kind as ResourceKind;
      const path = `${objectPath(kind, object.metadata.namespace ?? '', object.metadata.name)}?fieldManager=${encodeURIComponent(fieldManager)}&force=true`;
      // JSON is YAML: the apply body is the configuration as JSON.
      const namespace = object.metadata.namespace ?? '';
      return json<T>(await send({ method: 'PATCH', path, body: JSON.stringify(object), contentType: 'application/apply-patch+yaml' }, `Applying ${where(kind, namespace, object.metadata.name)}`, namespace));
    },
    async patch<T extends KubeObject>(kind: ResourceKind, namespace: string, name: string, operations: readonly unknown[], fieldManager: string) {
      const path = `${objectPath(kind, namespace, name)}?fieldManager=${encodeURIComponent(fieldManager)}`;
      return json<T>(await send({ method: 'PATCH', path, body: JSON.stringify(operations), contentType: 'application/json-patch+json' }, `Patching ${where(kind, namespace, name)}`, namespace));
    },
    async delete(kind, namespace, name) {
      const body = JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
      await send({ method: 'DELETE', path: objectPath(kind, namespace, name), body }, `Deleting ${where(kind, namespace, name)}`, namespace, true);
    },
    async podLog(namespace, pod, logOptions) {
      const query = new URLSearchParams({ container: logOptions.container, tailLines: String(logOptions.tailLines), ...(logOptions.previous ? { previous: 'true' } : {}) });
      return (await send({ method: 'GET', path: `${objectPath('Pod', namespace, pod)}/log?${query.toString()}` }, `Reading the log of pod '${pod}'`, namespace)).body;
    },
  };
}

function collectionPath(kind: ResourceKind, namespace: string): string {
  const resource = RESOURCES[kind];
  return resource.namespaced ? `${resource.prefix}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}` : `${resource.prefix}/${resource.plural}`;
}

function objectPath(kind: ResourceKind, namespace: string, name: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
}

function parseStatus(body: string): KubeStatus | undefined {
  try {
    const parsed = JSON.parse(body) as KubeStatus;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return body.trim() === '' ? undefined : { message: body.slice(0, 300) };
  }
}

/** The API server's Retry-After (priority and fairness sends one with its 429s), capped at a minute. */
function retryAfterInMs(header: string | string[] | undefined, nowInMs: number): number | undefined {
  const retryAfter = parseRetryAfterInMs(header, nowInMs);
  return retryAfter === undefined ? undefined : Math.min(retryAfter, 60_000);
}
