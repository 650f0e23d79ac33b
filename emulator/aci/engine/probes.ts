/**
 * Liveness and readiness probes (httpGet) run by the emulator against the container, through the
 * group's published address when the probed port is published there, else the container's own
 * bridge address. A failed readiness probe is an Unhealthy event; a liveness probe failing
 * failureThreshold times in a row kills the container (Killing event) and the restart policy decides.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DockerEngine } from '../../docker/docker-engine';
import type { ProbeSpec } from '../model/group-model';
import type { GroupRecord } from '../model/group-store';

export interface Prober {
  watch(record: GroupRecord): void;
  unwatch(record: GroupRecord): void;
  stopAll(): void;
}

export function createProber(docker: DockerEngine): Prober {
  const timers = new Map<string, NodeJS.Timeout[]>();

  function schedule(record: GroupRecord, containerName: string, kind: 'Liveness' | 'Readiness', probe: ProbeSpec, sink: NodeJS.Timeout[]): void {
    const httpGet = probe.httpGet;
    if (!httpGet) return;
    const periodInMs = (probe.periodSeconds ?? 10) * 1000;
    const threshold = probe.failureThreshold ?? 3;
    let failures = 0;
    const run = async (): Promise<void> => {
      const runtime = record.containers.get(containerName);
      if (!runtime?.dockerId || record.phase !== 'running') return;
      const host = await probeHost(record, httpGet.port, runtime.dockerId);
      const failure = record.faults.neverReady || !host ? 'connect: connection refused' : await httpProbe(httpGet.scheme ?? 'http', host, httpGet.port, httpGet.path ?? '/', probe.timeoutSeconds ?? 1);
      if (!failure) {
        failures = 0;
        return;
      }
      failures += 1;
      runtime.events.record('Unhealthy', `${kind} probe failed: ${failure}`, 'Warning');
      if (kind === 'Liveness' && failures >= threshold) {
        failures = 0;
        runtime.events.record('Killing', `Container ${containerName} failed liveness probe, will be restarted`);
        await docker.killContainer(runtime.dockerId);
      }
    };
    const tick = (): void => void run().catch(() => undefined);
    const first = setTimeout(() => {
      tick();
      const interval = setInterval(tick, periodInMs);
      interval.unref();
      sink.push(interval);
    }, (probe.initialDelaySeconds ?? 0) * 1000);
    first.unref();
    sink.push(first);
  }

  async function probeHost(record: GroupRecord, port: number, dockerId: string): Promise<string | undefined> {
    if (record.address && (record.body.properties.ipAddress?.ports ?? []).some((p) => p.port === port)) return record.address;
    const owner = [...record.containers.values()][0]?.dockerId ?? dockerId;
    return (await docker.inspectContainer(owner))?.NetworkSettings.IPAddress || undefined;
  }

  return {
    watch(record) {
      this.unwatch(record);
      const all: NodeJS.Timeout[] = [];
      for (const container of record.body.properties.containers) {
        const { livenessProbe, readinessProbe } = container.properties;
        if (readinessProbe) schedule(record, container.name, 'Readiness', readinessProbe, all);
        if (livenessProbe) schedule(record, container.name, 'Liveness', livenessProbe, all);
      }
      timers.set(record.key, all);
    },
    unwatch(record) {
      for (const timer of timers.get(record.key) ?? []) clearTimeout(timer);
      timers.delete(record.key);
    },
    stopAll() {
      for (const list of timers.values()) for (const timer of list) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** undefined when the probe passed (2xx/3xx), else Kubernetes-style failure text. */
function httpProbe(scheme: 'http' | 'https', host: string, port: number, path: string, timeoutSeconds: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const send = scheme === 'https' ? httpsRequest : httpRequest;
    const req = send({ host, port, path, method: 'GET', timeout: timeoutSeconds * 1000, rejectUnauthorized: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? undefined : `HTTP probe failed with statuscode: ${status}`);
    });
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded')));
    req.on('error', (error) => resolve(`Get "${scheme}://${host}:${port}${path}": ${error.message}`));
    req.end();
  });
}
