/**
 * A pod's containers as Docker create bodies (pure): the sandbox holding the network namespace,
 * and each container joined to it, with command/args mapped as Kubernetes maps them onto the
 * image's ENTRYPOINT/CMD, the resolved environment, cpu and memory limits (requests as cpu shares),
 * no engine restart policy (the kubelet restarts), labels that tie it to the cluster and pod.
 */
import type { DockerCreateBody } from '../../docker/docker-engine';
import type { ContainerSpec, Pod } from '../kube-types';
import { bytes, milliCpu } from './quantity';

export const KUBELET_LABELS = {
  cluster: 'lazure.aks.cluster',
  podUid: 'io.kubernetes.pod.uid',
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  container: 'io.kubernetes.container.name',
} as const;

export const SANDBOX_CONTAINER = 'POD';

export function sandboxBody(clusterPrefix: string, pod: Pod, pauseImage: string): DockerCreateBody {
  return {
    Image: pauseImage,
    Labels: labels(clusterPrefix, pod, SANDBOX_CONTAINER),
    HostConfig: { RestartPolicy: { Name: 'no' }, Dns: ['127.0.0.1'] },
  };
}

export function containerBody(clusterPrefix: string, pod: Pod, container: ContainerSpec, env: readonly string[], sandboxId: string, binds: readonly string[] = []): DockerCreateBody {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const hostConfig: DockerCreateBody['HostConfig'] & { CpuShares?: number } = {
    NetworkMode: `container:${sandboxId}`,
    RestartPolicy: { Name: 'no' },
    ...(binds.length > 0 ? { Binds: [...binds] } : {}),
  };
  if (limits.cpu !== undefined) hostConfig.NanoCpus = milliCpu(limits.cpu) * 1_000_000;
  if (limits.memory !== undefined) hostConfig.Memory = bytes(limits.memory);
  const cpuRequest = requests.cpu ?? limits.cpu;
  // The kubelet's MilliCPUToShares: at least 2.
  hostConfig.CpuShares = cpuRequest !== undefined ? Math.max(2, Math.floor((milliCpu(cpuRequest) * 1024) / 1000)) : 2;
  const body: DockerCreateBody & { WorkingDir?: string } = {
    Image: container.image,
    Env: [...env],
    Labels: labels(clusterPrefix, pod, container.name),
    HostConfig: hostConfig,
  };
  // command replaces ENTRYPOINT (and drops CMD); args replace CMD.
  if (container.command && container.command.length > 0) {
    body.Entrypoint = container.command;
    body.Cmd = container.args ?? [];
  } else if (container.args && container.args.length > 0) {
    body.Cmd = container.args;
  }
  if (container.workingDir) body.WorkingDir = container.workingDir;
  return body;
}

function labels(clusterPrefix: string, pod: Pod, container: string): Record<string, string> {
  return {
    [KUBELET_LABELS.cluster]: clusterPrefix,
    [KUBELET_LABELS.podUid]: pod.metadata.uid,
    [KUBELET_LABELS.podName]: pod.metadata.name,
    [KUBELET_LABELS.podNamespace]: pod.metadata.namespace ?? 'default',
    [KUBELET_LABELS.container]: container,
  };
}

/** Docker names: k8s_<container>_<pod>_<namespace>_<uid>_<attempt>, as dockershim named them, prefixed for this cluster. */
export function dockerName(clusterPrefix: string, pod: Pod, container: string, attempt: number): string {
  return `lazure-${clusterPrefix}-k8s_${container}_${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}_${pod.metadata.uid.slice(0, 8)}_${attempt}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/** v1.PodQOSClass */
export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let any = false;
  let guaranteed = true;
  for (const container of pod.spec.containers) {
    const limits = container.resources?.limits ?? {};
    const requests = container.resources?.requests ?? {};
    for (const resource of ['cpu', 'memory'] as const) {
      const limit = limits[resource];
      const request = requests[resource] ?? limit;
      if (limit !== undefined || request !== undefined) any = true;
      if (limit === undefined || request === undefined || String(limit) !== String(request)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
