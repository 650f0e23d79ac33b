/**
 * The arithmetic of a Deployment rollout, as kubernetes/pkg/controller/deployment (rolling.go,
 * recreate.go, util/deployment_util.go) does it, on plain numbers: pure, so every rule has a unit test.
 */
import type { DeploymentStrategy } from '../kube-types';
import { scaledValue } from './int-or-percent';

/** What the rollout needs to know about one ReplicaSet. */
export interface ReplicaSetCounts {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
  /** creationTimestamp in ms, then name: the order ReplicaSetsByCreationTimestamp gives */
  createdAtInMs: number;
}

export interface RolloutSpec {
  replicas: number;
  strategy: DeploymentStrategy;
}

const DEFAULT_PERCENT = '25%';

/** deploymentutil.ResolveFenceposts: surge rounds up, unavailable down; both 0 makes unavailable 1. */
export function resolveFenceposts(spec: RolloutSpec): { maxSurge: number; maxUnavailable: number } {
  const rolling = spec.strategy.rollingUpdate ?? {};
  const maxSurge = scaledValue(rolling.maxSurge ?? DEFAULT_PERCENT, spec.replicas, true);
  let maxUnavailable = scaledValue(rolling.maxUnavailable ?? DEFAULT_PERCENT, spec.replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

function isRolling(spec: RolloutSpec): boolean {
  return (spec.strategy.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** deploymentutil.MaxUnavailable */
export function maxUnavailable(spec: RolloutSpec): number {
  if (!isRolling(spec) || spec.replicas === 0) return 0;
  return Math.min(resolveFenceposts(spec).maxUnavailable, spec.replicas);
}

/** deploymentutil.MaxSurge */
export function maxSurge(spec: RolloutSpec): number {
  if (!isRolling(spec)) return 0;
  return resolveFenceposts(spec).maxSurge;
}

export function totalReplicas(sets: readonly ReplicaSetCounts[]): number {
  return sets.reduce((sum, set) => sum + set.replicas, 0);
}

export function totalAvailable(sets: readonly ReplicaSetCounts[]): number {
  return sets.reduce((sum, set) => sum + set.available, 0);
}

/** deploymentutil.NewRSNewReplicas: the new ReplicaSet's next size. */
export function newReplicaSetReplicas(spec: RolloutSpec, all: readonly ReplicaSetCounts[], newSet: ReplicaSetCounts): number {
  if (!isRolling(spec)) return spec.replicas;
  const current = totalReplicas(all);
  const maxTotal = spec.replicas + maxSurge(spec);
  if (current >= maxTotal) return newSet.replicas;
  const scaleUp = Math.min(maxTotal - current, spec.replicas - newSet.replicas);
  return newSet.replicas + scaleUp;
}

function byCreation(a: ReplicaSetCounts, b: ReplicaSetCounts): number {
  return a.createdAtInMs - b.createdAtInMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * rolling.go reconcileOldReplicaSets: first scale down old sets' unhealthy replicas
 * (cleanupUnhealthyReplicas), then old sets while enough stay available
 * (scaleDownOldReplicaSetsForRollingUpdate). Returns the new sizes of the old sets that change.
 */
export function scaleDownOldReplicaSets(spec: RolloutSpec, oldSets: readonly ReplicaSetCounts[], newSet: ReplicaSetCounts): Map<string, number> {
  const changes = new Map<string, number>();
  const oldCount = totalReplicas(oldSets);
  if (oldCount === 0) return changes;
  const minAvailable = spec.replicas - maxUnavailable(spec);
  const newUnavailable = newSet.replicas - newSet.available;
  const maxScaledDown = totalReplicas([...oldSets, newSet]) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return changes;

  const sorted = [...oldSets].sort(byCreation).map((set) => ({ ...set }));
  let cleaned = 0;
  for (const set of sorted) {
    if (cleaned >= maxScaledDown) break;
    if (set.replicas === 0 || set.replicas === set.available) continue;
    const down = Math.min(maxScaledDown - cleaned, set.replicas - set.available);
    set.replicas -= down;
    cleaned += down;
    changes.set(set.name, set.replicas);
  }

  const available = totalAvailable([...sorted, newSet]);
  if (available <= minAvailable) return changes;
  const toScaleDown = available - minAvailable;
  let scaled = 0;
  for (const set of sorted) {
    if (scaled >= toScaleDown) break;
    if (set.replicas === 0) continue;
    const down = Math.min(set.replicas, toScaleDown - scaled);
    set.replicas -= down;
    scaled += down;
    changes.set(set.name, set.replicas);
  }
  return changes;
}

/** deploymentutil.DeploymentComplete */
export function rolloutComplete(
  replicas: number,
  generation: number,
  status: { updatedReplicas: number; replicas: number; availableReplicas: number; observedGeneration: number },
): boolean {
  return status.updatedReplicas === replicas && status.replicas === replicas && status.availableReplicas === replicas && status.observedGeneration >= generation;
}

/** A ReplicaSet as proportional scaling sees it. */
export interface ScalableSet extends ReplicaSetCounts {
  /** deployment.kubernetes.io/max-replicas when present */
  maxReplicasAnnotation: number | undefined;
}

/**
 * sync.go scale() for a RollingUpdate Deployment resized mid-rollout (by a user or the HPA): spread
 * the change over the active ReplicaSets in proportion to their size (GetProportion /
 * getReplicaSetFraction), leftovers to the largest. Returns every active set's new size.
 */
export function proportionalSizes(spec: RolloutSpec, active: readonly ScalableSet[], statusReplicas: number): Map<string, number> {
  const sizes = new Map<string, number>();
  const current = totalReplicas(active);
  const allowed = spec.replicas > 0 ? spec.replicas + maxSurge(spec) : 0;
  const toAdd = allowed - current;
  const sorted = [...active].sort((a, b) => b.replicas - a.replicas || (toAdd > 0 ? b.createdAtInMs - a.createdAtInMs : a.createdAtInMs - b.createdAtInMs));
  let added = 0;
  for (const set of sorted) {
    let proportion = 0;
    if (toAdd !== 0 && set.replicas !== 0 && toAdd !== added) {
      const fraction =
        spec.replicas === 0 ? -set.replicas : Math.round((set.replicas * (spec.replicas + maxSurge(spec))) / (set.maxReplicasAnnotation ?? statusReplicas)) - set.replicas;
      const remaining = toAdd - added;
      proportion = toAdd > 0 ? Math.min(fraction, remaining) : Math.max(fraction, remaining);
    }
    sizes.set(set.name, set.replicas + proportion);
    added += proportion;
  }
  const largest = sorted[0];
  if (largest && toAdd !== 0) sizes.set(largest.name, Math.max(0, (sizes.get(largest.name) ?? 0) + toAdd - added));
  return sizes;
}
