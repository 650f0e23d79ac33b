/**
 * Why a rollout's pods do not become available, in words a pipeline author can act on (pure): image
 * pulls refused (the kubelet identity and the AcrPull fix), crash loops, missing configuration, pods the
 * scheduler cannot place, readiness probes that fail, containers killed for memory.
 */
import type { ImageReference } from '../../common/docker/image-reference';
import type { ContainerStatus, KubeEvent, Pod } from './kube-objects';

/** What the task knows of the cluster from Resource Manager. */
export interface ClusterFacts {
  name: string;
  resourceGroup: string;
  /** `identityProfile.kubeletidentity`: the identity the nodes pull images with. */
  kubeletIdentity?: { clientId?: string; objectId?: string; resourceId?: string };
}

export interface PodProblem {
  pod: string;
  container?: string;
  /** The kubelet's or scheduler's reason, e.g. ImagePullBackOff. */
  reason: string;
  /** What Kubernetes said, one line. */
  detail: string;
  /** What it means and how to fix it. */
  explanation: string;
  /** A crashing container: its previous instance's log tells why. */
  wantsPreviousLog: boolean;
}

const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff']);

export function diagnosePods(pods: readonly Pod[], events: readonly KubeEvent[], image: ImageReference, cluster: ClusterFacts): PodProblem[] {
  const problems: PodProblem[] = [];
  for (const pod of pods) {
    const name = pod.metadata.name;
    const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (unschedulable) {
      const detail = oneLine(unschedulable.message ?? latestEvent(events, name, 'FailedScheduling')?.message ?? '');
      problems.push({ pod: name, reason: unschedulable.reason ?? 'Unschedulable', detail, explanation: schedulingHint(detail), wantsPreviousLog: false });
      continue;
    }
    for (const status of pod.status?.containerStatuses ?? []) {
      const problem = containerProblem(name, status, events, image, cluster);
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

function containerProblem(pod: string, status: ContainerStatus, events: readonly KubeEvent[], image: ImageReference, cluster: ClusterFacts): PodProblem | undefined {
  const waiting = status.state?.waiting;
  const base = { pod, container: status.name };
  if (waiting?.reason !== undefined && PULL_REASONS.has(waiting.reason)) {
    // ImagePullBackOff's own message is only "Back-off pulling image": the registry's answer is in the kubelet's "Failed to pull image" event.
    const pullFailure = latestEvent(events, pod, 'Failed', /to pull image/i)?.message ?? waiting.message ?? '';
    return { ...base, reason: waiting.reason, detail: oneLine(pullFailure), explanation: pullHint(`${pullFailure} ${waiting.message ?? ''}`, image, cluster), wantsPreviousLog: false };
  }
  if (waiting?.reason === 'CrashLoopBackOff' || ((status.restartCount ?? 0) > 0 && status.state?.running === undefined && status.lastState?.terminated !== undefined)) {
    const last = status.lastState?.terminated;
    const exit = last ? ` (last exit code ${last.exitCode ?? '?'}${last.reason ? `, ${last.reason}` : ''})` : '';
    const oom = last?.reason === 'OOMKilled';
    return {
      ...base,
      reason: waiting?.reason ?? last?.reason ?? 'Restarting',
      detail: `restarted ${status.restartCount ?? 0} time(s)${exit}`,
      explanation: oom
        ? "The container was killed for using more memory than its limit: raise 'memoryLimit' (and 'memoryRequest'), or make the model use less memory."
        : 'The container exits soon after it starts: the log lines of its previous run below say why (a missing model file, a bad environment variable, a port already in use...).',
      wantsPreviousLog: !oom,
    };
  }
  if (waiting?.reason === 'CreateContainerConfigError' || waiting?.reason === 'CreateContainerError' || waiting?.reason === 'RunContainerError') {
    return {
      ...base,
      reason: waiting.reason,
      detail: oneLine(waiting.message ?? ''),
      explanation: 'The kubelet could not create the container from its spec: check the message (a Secret or key that does not exist, a command that cannot run).',
      wantsPreviousLog: false,
    };
  }
  if (waiting?.reason === 'InvalidImageName') {
    return { ...base, reason: waiting.reason, detail: oneLine(waiting.message ?? ''), explanation: "Check the 'image' input.", wantsPreviousLog: false };
  }
  if (status.state?.running && status.ready === false) {
    const unhealthy = latestEvent(events, pod, 'Unhealthy');
    if (unhealthy) {
      return {
        ...base,
        reason: 'NotReady',
        detail: oneLine(unhealthy.message ?? ''),
        explanation: "The container runs but its readiness probe fails: check 'readinessProbePath' and 'readinessProbePort', or give a slow model more time with 'readinessProbeInitialDelay' / 'readinessProbeFailureThreshold'.",
        wantsPreviousLog: false,
      };
    }
  }
  return undefined;
}

function pullHint(detail: string, image: ImageReference, cluster: ClusterFacts): string {
  const registry = image.registry ?? 'docker.io';
  if (/401|403|unauthori[sz]ed|authenticat|forbidden|denied|authorization failed/i.test(detail)) {
    const identity = cluster.kubeletIdentity;
    const who = identity?.clientId ? `the cluster's kubelet identity (client id ${identity.clientId}${identity.objectId ? `, object id ${identity.objectId}` : ''})` : "the cluster's kubelet identity";
    const registryName = /\.azurecr\.[a-z.]+$/i.test(registry) ? registry.split('.')[0] ?? registry : registry;
    const assignee = identity?.objectId ?? identity?.clientId ?? '<kubelet identity object id>';
    return (
      `The nodes pull images as ${who}, and ${registry} refused it: it needs the AcrPull role on the registry. ` +
      `Attach the registry to the cluster: az aks update -g ${cluster.resourceGroup} -n ${cluster.name} --attach-acr ${registryName} ` +
      `(or: az role assignment create --assignee ${assignee} --role AcrPull --scope <the registry's resource id>).`
    );
  }
  if (/not found|manifest unknown|name unknown|does not exist/i.test(detail)) {
    return `The image ${image.reference} does not exist in ${registry}: check the repository and the tag or digest (BuildAndPushAiImage's output 'imageUri' is the one to deploy).`;
  }
  return `The nodes could not pull ${image.reference}: check that ${registry} is reachable from the cluster and that the image exists.`;
}

function schedulingHint(detail: string): string {
  if (/nvidia\.com\/gpu/i.test(detail)) {
    return "No node offers the GPUs the pods ask for: add a GPU node pool (az aks nodepool add ... --node-vm-size <a GPU size> --node-taints sku=gpu:NoSchedule) or lower 'gpuCount'.";
  }
  if (/Insufficient (cpu|memory)/i.test(detail)) {
    return "No node has the cpu or memory the pods request left: lower 'cpuRequest' / 'memoryRequest', lower the replicas, or add nodes (enable the cluster autoscaler).";
  }
  return 'The scheduler cannot place the pods on any node: see its message.';
}

function latestEvent(events: readonly KubeEvent[], objectName: string, reason: string, message?: RegExp): KubeEvent | undefined {
  const matching = events.filter((e) => e.involvedObject?.name === objectName && e.reason === reason && (message === undefined || message.test(e.message ?? '')));
  return matching.sort((a, b) => eventTime(b) - eventTime(a))[0];
}

export function eventTime(event: KubeEvent): number {
  const at = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  return at ? new Date(at).getTime() : 0;
}

/** One line; a long message keeps its beginning and its end, where a registry's answer (401 Unauthorized) is. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= 400 ? line : `${line.slice(0, 150)} ... ${line.slice(-240)}`;
}
