/**
 * The replica count for a resource Utilization target, as kubernetes/pkg/controller/podautoscaler
 * replica_calculator.go GetResourceReplicas computes it: group the pods (ready, unready, missing a
 * sample, ignored), take the usage ratio against the requests, leave the count alone within the
 * tolerance, and otherwise re-run the ratio with conservative values for unready and missing pods.
 */

export interface PodSample {
  name: string;
  /** Pending or not yet ready in the sense of groupPods (cpu: within the initialisation period). */
  unready: boolean;
  /** Being deleted or Failed: not counted at all. */
  ignored: boolean;
  /** The summed request of the resource over the pod's containers (millicores or bytes); undefined when a container has none. */
  request: number | undefined;
  /** The measured usage (millicores or bytes); undefined when there is no sample. */
  usage: number | undefined;
}

export interface ResourceReplicas {
  replicas: number;
  /** Average utilization in percent of the requests (int32 in Kubernetes). */
  utilization: number;
  /** Average usage per pod. */
  rawAverage: number;
}

export const DEFAULT_TOLERANCE = 0.1;

export class MetricsError extends Error {}

function utilizationRatio(usage: Map<string, number>, requests: Map<string, number>, targetUtilization: number): { ratio: number; utilization: number; rawAverage: number } {
  let usageTotal = 0;
  let requestTotal = 0;
  let entries = 0;
  for (const [name, value] of usage) {
    const request = requests.get(name);
    if (request === undefined) continue;
    usageTotal += value;
    requestTotal += request;
    entries += 1;
  }
  if (requestTotal === 0) throw new MetricsError('no metrics returned matched known pods');
  const utilization = Math.trunc((usageTotal * 100) / requestTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(usageTotal / entries) };
}

export function resourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: string,
  pods: readonly PodSample[],
  tolerance = DEFAULT_TOLERANCE,
): ResourceReplicas {
  if (pods.length === 0) throw new MetricsError('no pods returned by selector while calculating replica count');
  const usage = new Map<string, number>();
  const unready = new Set<string>();
  const missing = new Set<string>();
  let readyCount = 0;
  for (const pod of pods) {
    if (pod.ignored) continue;
    if (pod.usage === undefined) {
      missing.add(pod.name);
      continue;
    }
    if (pod.unready) {
      unready.add(pod.name);
      continue;
    }
    usage.set(pod.name, pod.usage);
    readyCount += 1;
  }
  if (usage.size === 0) throw new MetricsError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = new Map<string, number>();
  for (const pod of pods) {
    if (pod.request === undefined) throw new MetricsError(`missing request for ${resource} in container of Pod ${pod.name}`);
    requests.set(pod.name, pod.request);
  }
  const first = utilizationRatio(usage, requests, targetUtilization);
  const within = (ratio: number): boolean => Math.abs(1 - ratio) <= tolerance;
  const scaleUpWithUnready = unready.size > 0 && first.ratio > 1;
  const result = (replicas: number): ResourceReplicas => ({ replicas, utilization: first.utilization, rawAverage: first.rawAverage });
  if (!scaleUpWithUnready && missing.size === 0) {
    if (within(first.ratio)) return result(currentReplicas);
    return result(Math.ceil(first.ratio * readyCount));
  }
  if (missing.size > 0) {
    for (const name of missing) {
      const request = requests.get(name) ?? 0;
      if (first.ratio < 1) usage.set(name, Math.trunc((request * Math.max(100, targetUtilization)) / 100));
      else if (first.ratio > 1) usage.set(name, 0);
    }
  }
  if (scaleUpWithUnready) for (const name of unready) usage.set(name, 0);
  const second = utilizationRatio(usage, requests, targetUtilization);
  if (within(second.ratio) || (first.ratio < 1 && second.ratio > 1) || (first.ratio > 1 && second.ratio < 1)) return result(currentReplicas);
  const replicas = Math.ceil(second.ratio * usage.size);
  if ((second.ratio < 1 && replicas > currentReplicas) || (second.ratio > 1 && replicas < currentReplicas)) return result(currentReplicas);
  return result(replicas);
}
