/**
 * What the agent can see of the deployed group: whether its address answers, whether a readiness path
 * answers, whether its DNS name resolves. Each check has a short timeout and never throws.
 */
import { lookup } from 'node:dns/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import { type AgentProxy, httpAgentFor } from '../../common/agent-proxy';

export interface Reachability {
  /** A TCP connection to host:port succeeds. */
  answers(host: string, port: number): Promise<boolean>;
  /** GET url answers 2xx or 3xx (what ACI's own HTTP probe counts as success). */
  ready(url: string): Promise<boolean>;
  /** The name resolves in DNS. */
  resolves(hostname: string): Promise<boolean>;
}

/** How long a connection must stay open to count as answered. */
const HOLD_OPEN_IN_MS = 300;

export interface ReachabilityOptions {
  timeoutInMs?: number;
  /** The agent's proxy: the readiness GET goes through it unless its bypass list matches (TCP checks go direct). */
  proxy?: AgentProxy;
}

export function createReachability(options: ReachabilityOptions = {}): Reachability {
  const timeoutInMs = options.timeoutInMs ?? 2000;
  return {
    // Connected is not enough: a port proxy (Docker's, a load balancer) accepts and then drops the
    // connection when nothing listens behind it. Answering = it sends something or keeps the connection.
    answers: (host, port) =>
      new Promise((resolve) => {
        const socket = net.connect({ host, port, timeout: timeoutInMs });
        let timer: NodeJS.Timeout | undefined;
        const done = (ok: boolean): void => {
          clearTimeout(timer);
          socket.destroy();
          resolve(ok);
        };
        socket.once('connect', () => {
          timer = setTimeout(() => done(true), HOLD_OPEN_IN_MS);
        });
        socket.once('data', () => done(true));
        socket.once('end', () => done(false));
        socket.once('close', () => done(false));
        socket.once('timeout', () => done(false));
        socket.once('error', () => done(false));
      }),
    ready: (url) =>
      new Promise((resolve) => {
        const agent = httpAgentFor(options.proxy, url, {}, () => http.globalAgent);
        const request = http.get(url, { agent, timeout: timeoutInMs, headers: { 'user-agent': 'DeployToAci readiness check' } }, (response) => {
          response.resume();
          resolve((response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 400);
        });
        request.once('timeout', () => request.destroy());
        request.once('error', () => resolve(false));
      }),
    resolves: async (hostname) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutInMs);
      });
      try {
        return await Promise.race([lookup(hostname).then(() => true, () => false), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
