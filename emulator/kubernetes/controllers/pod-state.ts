/** What controllers read off a pod: active, ready, available (podutil.IsPodReady / IsPodAvailable). */
import type { Pod } from '../kube-types';

export function isPodActive(pod: Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((condition) => condition.type === 'Ready' && condition.status === 'True');
}

/** Ready for at least minReadySeconds. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowInMs: number): boolean {
  const ready = (pod.status?.conditions ?? []).find((condition) => condition.type === 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= nowInMs;
}

/** When a ready pod becomes available (for a requeue), or undefined. */
export function availableAt(pod: Pod, minReadySeconds: number): number | undefined {
  const ready = (pod.status?.conditions ?? []).find((condition) => condition.type === 'Ready');
  if (ready?.status !== 'True' || minReadySeconds <= 0) return undefined;
  return Date.parse(ready.lastTransitionTime ?? '') + minReadySeconds * 1000;
}

export function controllerOf(object: { metadata: { ownerReferences?: { uid: string; kind: string; name: string; controller?: boolean }[] } }): { uid: string; kind: string; name: string } | undefined {
  return object.metadata.ownerReferences?.find((owner) => owner.controller === true);
}

function restarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((status) => status.restartCount));
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * controller.ActivePods ordering used when a ReplicaSet scales down: delete first the pods that are
 * unscheduled, pending rather than running, not ready, ready for less time, restarted more, newer.
 */
export function comparePodsForDeletion(a: Pod, b: Pod): number {
  const scheduled = (pod: Pod): number => (pod.spec.nodeName ? 1 : 0);
  if (scheduled(a) !== scheduled(b)) return scheduled(a) - scheduled(b);
  const phase = (pod: Pod): number => PHASE_RANK[pod.status?.phase ?? 'Pending'] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (pod: Pod): number => (isPodReady(pod) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  if (isPodReady(a) && isPodReady(b)) {
    const readySince = (pod: Pod): number => Date.parse((pod.status?.conditions ?? []).find((c) => c.type === 'Ready')?.lastTransitionTime ?? '') || 0;
    if (readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
  }
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (pod: Pod): number => Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
  return created(b) - created(a);
}
