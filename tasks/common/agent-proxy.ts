/**
 * The agent's proxy (azure-pipelines-agent hands it to tasks as the variables Agent.ProxyUrl,
 * Agent.ProxyUsername, Agent.ProxyPassword (secret) and Agent.ProxyBypassList, a JSON array of regular
 * expressions; read through task-lib's `getHttpProxyConfiguration`). Every HTTP client of the tasks
 * goes through it, except for URLs that match the bypass list, as task-lib decides it.
 */
import * as http from 'node:http';
import * as httpsModule from 'node:https';
import type * as https from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

export interface AgentProxy {
  /** The proxy's URL as the agent gives it, without credentials, e.g. http://proxy.contoso.com:8888. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Regular expression sources, matched case-insensitively against the whole request URL. */
  readonly bypass: readonly string[];
}

/** What task-lib's getHttpProxyConfiguration() returns (null without a proxy). */
export interface TaskLibProxyConfiguration {
  proxyUrl: string;
  proxyUsername?: string;
  proxyPassword?: string;
  proxyBypassHosts?: string[];
}

export function agentProxyFrom(configuration: TaskLibProxyConfiguration | null | undefined): AgentProxy | undefined {
  if (!configuration || configuration.proxyUrl.trim() === '') return undefined;
  return {
    url: configuration.proxyUrl.trim(),
    ...(configuration.proxyUsername ? { username: configuration.proxyUsername } : {}),
    ...(configuration.proxyPassword ? { password: configuration.proxyPassword } : {}),
    bypass: configuration.proxyBypassHosts ?? [],
  };
}

/** task-lib's rule: a URL goes direct when any bypass entry, as a case-insensitive regular expression, matches it. */
export function bypassesProxy(proxy: AgentProxy, url: string): boolean {
  return proxy.bypass.some((pattern) => {
    try {
      return new RegExp(pattern, 'i').test(url);
    } catch {
      return false;
    }
  });
}

/** The proxy for `url`, or undefined when there is none or the URL bypasses it. */
export function proxyFor(proxy: AgentProxy | undefined, url: string): AgentProxy | undefined {
  return proxy === undefined || bypassesProxy(proxy, url) ? undefined : proxy;
}

/** The proxy URL with its credentials, for proxy agents (never logged). */
function proxyUrlWithCredentials(proxy: AgentProxy): URL {
  const url = new URL(proxy.url);
  if (proxy.username !== undefined) url.username = proxy.username;
  if (proxy.password !== undefined) url.password = proxy.password;
  return url;
}

/** Azure SDK clients' `proxyOptions` (@azure/core-rest-pipeline ProxySettings) for a client whose endpoint is `url`. */
export function azureProxyOptions(proxy: AgentProxy | undefined, url: string): { host: string; port: number; username?: string; password?: string } | undefined {
  const chosen = proxyFor(proxy, url);
  if (chosen === undefined) return undefined;
  const parsed = new URL(chosen.url);
  return {
    host: `${parsed.protocol}//${parsed.hostname}`,
    port: Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)),
    ...(chosen.username !== undefined ? { username: chosen.username } : {}),
    ...(chosen.password !== undefined ? { password: chosen.password } : {}),
  };
}

/** The TLS options of an https agent that concern the server at the end of the tunnel. */
const TUNNEL_TLS_OPTIONS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'servername', 'rejectUnauthorized', 'checkServerIdentity', 'minVersion'] as const;

/**
 * https-proxy-agent drops the TLS options given to its constructor for the tunnelled connection (it keeps
 * only the request's): this one hands them to the TLS handshake with the server behind the proxy, so that
 * a server with its own CA (a Kubernetes API server) or a client certificate works through the proxy too.
 */
class TunnelTlsProxyAgent extends HttpsProxyAgent<string> {
  private readonly tunnelTls: Partial<https.AgentOptions>;

  constructor(proxyUrl: URL, options: https.AgentOptions) {
    super(proxyUrl.href, options);
    this.tunnelTls = Object.fromEntries(TUNNEL_TLS_OPTIONS.filter((name) => options[name] !== undefined).map((name) => [name, options[name]]));
  }

  override connect(request: http.ClientRequest, options: Parameters<HttpsProxyAgent<string>['connect']>[1]): ReturnType<HttpsProxyAgent<string>['connect']> {
    return super.connect(request, { ...options, ...this.tunnelTls } as typeof options);
  }
}

/**
 * A node:http(s) agent for requests to `url`: through the proxy (CONNECT for https, absolute URIs for
 * http) unless there is none or the URL bypasses it, else `direct`. `options` (keep-alive, sockets, CA)
 * apply either way.
 */
export function httpAgentFor(proxy: AgentProxy | undefined, url: string, options: https.AgentOptions, direct: () => http.Agent): http.Agent {
  const chosen = proxyFor(proxy, url);
  if (chosen === undefined) return direct();
  const proxyUrl = proxyUrlWithCredentials(chosen);
  // Plain http through a proxy: one connection per request (proxies such as tinyproxy close the client
  // connection after each answer, and a reused one then fails with ECONNRESET). https tunnels keep alive.
  return new URL(url).protocol === 'https:' ? new TunnelTlsProxyAgent(proxyUrl, options) : new HttpProxyAgent(proxyUrl, { ...options, keepAlive: false });
}

/** A keep-alive-free plain agent, for one-off requests. */
export function plainHttpAgent(): http.Agent {
  return new http.Agent();
}

/** What the tasks send in a single request (a subset of fetch's RequestInit). */
export interface FetchInit {
  method?: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  signal?: AbortSignal;
}

/** What the tasks read of an answer (a subset of fetch's Response, which satisfies it). */
export interface FetchAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The part of fetch the tasks use for single requests. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchAnswer>;

/** Direct requests keep their connection for the next one to the same host (a token, then a manifest); idle ones never hold the task open. */
const directAgents = { http: new http.Agent({ keepAlive: true }), https: new httpsModule.Agent({ keepAlive: true }) };

/**
 * fetch through the agent's proxy, or direct when there is none or its bypass list matches: on
 * node:http(s), which the Azure SDKs load anyway. (Node's global fetch ignores proxies, and its first
 * use compiles undici, which cost the build task about 80 ms of its start-up.)
 */
export function proxiedFetch(proxy: AgentProxy | undefined): FetchLike {
  return (url, init) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const agent = httpAgentFor(proxy, url, {}, () => (secure ? directAgents.https : directAgents.http));
    return new Promise<FetchAnswer>((resolve, reject) => {
      const transport = secure ? httpsModule : http;
      const headers = { ...init.headers, ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) };
      const request = transport.request(target, { method: init.method ?? 'GET', headers, agent, ...(init.signal ? { signal: init.signal } : {}) }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(answerOf(response, Buffer.concat(chunks))));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(init.body);
    });
  };
}

function answerOf(response: http.IncomingMessage, body: Buffer): FetchAnswer {
  const status = response.statusCode ?? 0;
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: {
      get: (name) => {
        const value = response.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: () => Promise.resolve(body.toString('utf8')),
    arrayBuffer: () => Promise.resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer),
  };
}
