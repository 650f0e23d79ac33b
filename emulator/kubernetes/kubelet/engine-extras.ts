/**
 * The Docker Engine calls the kubelet needs beyond the shared client (docker/docker-engine.ts):
 * resource usage (one-shot stats), image digests for imageID, the sandbox's addresses, and exec for
 * exec probes.
 */
import { dockerRequest, engineMessage } from '../../docker/docker-engine';
import { demultiplexLogs } from '../../docker/docker-stream';

export interface ContainerUsage {
  /** Total CPU time used, in nanoseconds. */
  cpuTotalInNs: number;
  /** Working set: usage minus inactive file cache, in bytes. */
  memoryWorkingSetInBytes: number;
  readAtInMs: number;
}

export interface EngineExtras {
  usage(id: string): Promise<ContainerUsage | undefined>;
  /** `repo@sha256:...` for an image reference, or `docker-pullable` style id when there is no digest. */
  imageId(image: string): Promise<string>;
  addresses(id: string): Promise<{ ip: string; gateway: string } | undefined>;
  exec(id: string, command: string[], timeoutInMs: number): Promise<{ exitCode: number; output: string }>;
}

interface StatsBody {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

export function createEngineExtras(socketPath: string): EngineExtras {
  const send = (method: string, path: string, body?: unknown) => dockerRequest(socketPath, method, path, body);
  return {
    async usage(id) {
      const response = await send('GET', `/containers/${id}/stats?stream=false&one-shot=true`);
      if (response.statusCode !== 200) return undefined;
      const stats = JSON.parse(response.body.toString('utf8')) as StatsBody;
      const total = stats.cpu_stats?.cpu_usage?.total_usage;
      const memory = stats.memory_stats?.usage;
      if (total === undefined || memory === undefined) return undefined;
      const inactive = stats.memory_stats?.stats?.total_inactive_file ?? stats.memory_stats?.stats?.inactive_file ?? 0;
      return { cpuTotalInNs: total, memoryWorkingSetInBytes: Math.max(0, memory - inactive), readAtInMs: Date.now() };
    },
    async imageId(image) {
      const response = await send('GET', `/images/${encodeURIComponent(image)}/json`);
      if (response.statusCode !== 200) return '';
      const body = JSON.parse(response.body.toString('utf8')) as { Id?: string; RepoDigests?: string[] };
      const repository = image.replace(/[:@][^/:@]*$/, '');
      return body.RepoDigests?.find((digest) => digest.startsWith(`${repository}@`)) ?? body.RepoDigests?.[0] ?? body.Id ?? '';
    },
    async addresses(id) {
      const response = await send('GET', `/containers/${id}/json`);
      if (response.statusCode !== 200) return undefined;
      const body = JSON.parse(response.body.toString('utf8')) as { NetworkSettings?: { IPAddress?: string; Gateway?: string } };
      const ip = body.NetworkSettings?.IPAddress;
      return ip ? { ip, gateway: body.NetworkSettings?.Gateway ?? '' } : undefined;
    },
    async exec(id, command, timeoutInMs) {
      const created = await send('POST', `/containers/${id}/exec`, { AttachStdout: true, AttachStderr: true, Cmd: command });
      if (created.statusCode >= 300) throw new Error(engineMessage(created.body));
      const execId = (JSON.parse(created.body.toString('utf8')) as { Id: string }).Id;
      const started = await Promise.race([
        send('POST', `/exec/${execId}/start`, { Detach: false, Tty: false }),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutInMs).unref()),
      ]);
      if (!started) throw new Error(`command timed out after ${Math.round(timeoutInMs / 1000)}s`);
      const inspected = await send('GET', `/exec/${execId}/json`);
      const exitCode = (JSON.parse(inspected.body.toString('utf8')) as { ExitCode?: number }).ExitCode ?? -1;
      return { exitCode, output: demultiplexLogs(started.body) };
    },
  };
}
