/**
 * Container probes as the kubelet's prober runs them (pkg/kubelet/prober): httpGet, tcpSocket and
 * exec against the pod's IP, every periodSeconds after initialDelaySeconds, with success and failure
 * thresholds; the failure texts are the kubelet's (`HTTP probe failed with statuscode: 503`,
 * `dial tcp 172.17.0.5:8080: connect: connection refused`).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { ContainerSpec, IntOrString, Probe } from '../kube-types';
import type { EngineExtras } from './engine-extras';

export type ProbeKind = 'Liveness' | 'Readiness' | 'Startup';

export interface ProbeTarget {
  podIP: string;
  containerId: string;
}

export function resolvePort(port: IntOrString, container: ContainerSpec): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

/** undefined when the probe passed, else the failure text. */
export async function runProbe(probe: Probe, container: ContainerSpec, target: ProbeTarget, extras: EngineExtras): Promise<string | undefined> {
  const timeoutInMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, container);
    if (port === undefined) return `unable to resolve port "${String(probe.httpGet.port)}"`;
    const scheme = probe.httpGet.scheme === 'HTTPS' ? 'https' : 'http';
    const headers = Object.fromEntries((probe.httpGet.httpHeaders ?? []).map((header) => [header.name, header.value]));
    return httpProbe(scheme, probe.httpGet.host ?? target.podIP, port, probe.httpGet.path ?? '/', headers, timeoutInMs);
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, container);
    if (port === undefined) return `unable to resolve port "${String(probe.tcpSocket.port)}"`;
    return tcpProbe(probe.tcpSocket.host ?? target.podIP, port, timeoutInMs);
  }
  if (probe.exec) {
    try {
      const result = await extras.exec(target.containerId, probe.exec.command ?? [], timeoutInMs);
      return result.exitCode === 0 ? undefined : result.output.trim() || `command ${JSON.stringify(probe.exec.command ?? [])} exited with ${result.exitCode}`;
    } catch (error) {
      return `command timed out: ${(error as Error).message}`;
    }
  }
  return undefined;
}

function httpProbe(scheme: 'http' | 'https', host: string, port: number, path: string, headers: Record<string, string>, timeoutInMs: number): Promise<string | undefined> {
  const url = `${scheme}://${host}:${port}${path}`;
  return new Promise((resolve) => {
    const send = scheme === 'https' ? httpsRequest : httpRequest;
    const req = send({ host, port, path, method: 'GET', headers: { 'User-Agent': 'kube-probe/1.32', Accept: '*/*', ...headers }, timeout: timeoutInMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? undefined : `HTTP probe failed with statuscode: ${status}`);
    });
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(`Get "${url}": ${dialText(error, host, port)}`));
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeoutInMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`dial tcp ${host}:${port}: i/o timeout`);
    }, timeoutInMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(dialText(error, host, port));
    });
  });
}

function dialText(error: NodeJS.ErrnoException, host: string, port: number): string {
  if (error.code === 'ECONNREFUSED') return `dial tcp ${host}:${port}: connect: connection refused`;
  if (error.code === 'EHOSTUNREACH') return `dial tcp ${host}:${port}: connect: no route to host`;
  return error.message;
}

export interface ProbeWorkerEvents {
  /** Each failed attempt (the kubelet records an Unhealthy event for each). */
  onFailure(kind: ProbeKind, message: string): void;
  /** The probe's result changed (thresholds reached): true = success. */
  onResult(kind: ProbeKind, success: boolean): void;
}

/** Runs one probe periodically; returns a function that stops it. */
export function startProbeWorker(kind: ProbeKind, probe: Probe, run: () => Promise<string | undefined>, events: ProbeWorkerEvents): () => void {
  const periodInMs = Math.max(1, probe.periodSeconds ?? 10) * 1000;
  const successThreshold = Math.max(1, probe.successThreshold ?? 1);
  const failureThreshold = Math.max(1, probe.failureThreshold ?? 3);
  let stopped = false;
  let successes = 0;
  let failures = 0;
  let result: boolean | undefined;
  let timer: NodeJS.Timeout | undefined;

  const tick = async (): Promise<void> => {
    if (stopped) return;
    const failure = await run().catch((error: unknown) => (error as Error).message);
    if (stopped) return;
    if (failure === undefined) {
      failures = 0;
      successes++;
      if (result !== true && successes >= successThreshold) {
        result = true;
        events.onResult(kind, true);
      }
    } else {
      successes = 0;
      failures++;
      events.onFailure(kind, failure);
      if (result !== false && failures >= failureThreshold) {
        result = false;
        events.onResult(kind, false);
        if (kind === 'Liveness') {
          failures = 0;
          result = undefined;
        }
      }
    }
    if (!stopped) {
      timer = setTimeout(() => void tick(), periodInMs);
      timer.unref();
    }
  };
  timer = setTimeout(() => void tick(), (probe.initialDelaySeconds ?? 0) * 1000);
  timer.unref();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
