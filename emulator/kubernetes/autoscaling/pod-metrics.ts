/**
 * Pod resource usage for the HPA, as metrics-server reports it from the kubelet: CPU as the rate of
 * the containers' CPU time over the window since the previous reading (millicores), memory as the
 * working set (bytes), summed over a pod's running containers. Read from the Docker engine's stats
 * on demand; a pod whose containers have no earlier reading is read twice, a second apart.
 */
import type { Pod } from '../kube-types';
import type { ContainerUsage } from '../kubelet/engine-extras';

export interface PodUsage {
  cpuMilli: number;
  memoryBytes: number;
  timestampInMs: number;
  windowInMs: number;
}

export interface PodMetrics {
  read(pods: readonly Pod[]): Promise<Map<string, PodUsage>>;
}

export interface PodMetricsDeps {
  runningContainers(namespace: string, pod: string): Map<string, string> | undefined;
  usage(containerId: string): Promise<ContainerUsage | undefined>;
  sleep?: (ms: number) => Promise<void>;
  firstWindowInMs?: number;
}

export function createPodMetrics(deps: PodMetricsDeps): PodMetrics {
  const last = new Map<string, ContainerUsage>();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function readPod(pod: Pod): Promise<PodUsage | undefined> {
    const containers = deps.runningContainers(pod.metadata.namespace ?? 'default', pod.metadata.name);
    if (!containers || containers.size === 0) return undefined;
    let cpu = 0;
    let memory = 0;
    let window = 0;
    let complete = true;
    for (const id of containers.values()) {
      const now = await deps.usage(id);
      const before = last.get(id);
      if (now) last.set(id, now);
      if (!now || !before || now.readAtInMs - before.readAtInMs < 200) {
        complete = false;
        continue;
      }
      const elapsed = now.readAtInMs - before.readAtInMs;
      cpu += Math.max(0, (now.cpuTotalInNs - before.cpuTotalInNs) / 1e6 / elapsed) * 1000;
      memory += now.memoryWorkingSetInBytes;
      window = Math.max(window, elapsed);
    }
    if (!complete) return undefined;
    return { cpuMilli: Math.round(cpu), memoryBytes: memory, timestampInMs: Date.now(), windowInMs: window };
  }

  return {
    async read(pods) {
      const result = new Map<string, PodUsage>();
      const missing: Pod[] = [];
      for (const pod of pods) {
        const usage = await readPod(pod);
        if (usage) result.set(pod.metadata.name, usage);
        else missing.push(pod);
      }
      if (missing.length > 0) {
        await sleep(deps.firstWindowInMs ?? 1000);
        for (const pod of missing) {
          const usage = await readPod(pod);
          if (usage) result.set(pod.metadata.name, usage);
        }
      }
      for (const id of [...last.keys()]) {
        const stale = (last.get(id)?.readAtInMs ?? 0) < Date.now() - 10 * 60_000;
        if (stale) last.delete(id);
      }
      return result;
    },
  };
}
