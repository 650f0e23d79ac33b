/**
 * A Deployment's status as the deployment controller computes it (sync.go calculateStatus and
 * syncRolloutStatus, progress.go, util/deployment_util.go): counts from its ReplicaSets, the
 * Available condition, the Progressing condition with its reasons and the progress deadline.
 * Pure: the caller passes the clock.
 */
import type { Condition, Deployment, DeploymentStatus, ReplicaSet } from '../kube-types';
import { isoSeconds } from './clock-format';
import { maxUnavailable, rolloutComplete } from './rollout-math';

export const REASONS = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  failedCreate: 'FailedCreate',
} as const;

export function specOf(deployment: Deployment): { replicas: number; strategy: NonNullable<Deployment['spec']['strategy']> } {
  return { replicas: deployment.spec.replicas ?? 1, strategy: deployment.spec.strategy ?? { type: 'RollingUpdate' } };
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return (conditions ?? []).find((condition) => condition.type === type);
}

/**
 * deploymentutil.SetDeploymentCondition: same status and reason -> nothing changes; same status ->
 * the transition time is kept.
 */
export function setCondition(conditions: Condition[], condition: Condition): Condition[] {
  const current = getCondition(conditions, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return conditions;
  const next = current && current.status === condition.status ? { ...condition, lastTransitionTime: current.lastTransitionTime } : condition;
  return [...conditions.filter((c) => c.type !== condition.type), next];
}

export function removeCondition(conditions: Condition[], type: string): Condition[] {
  return conditions.filter((condition) => condition.type !== type);
}

export function newCondition(type: string, status: Condition['status'], reason: string, message: string, now: string): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

function sum(sets: readonly ReplicaSet[], pick: (set: ReplicaSet) => number | undefined): number {
  return sets.reduce((total, set) => total + (pick(set) ?? 0), 0);
}

/** sync.go calculateStatus */
export function calculateStatus(deployment: Deployment, all: readonly ReplicaSet[], newSet: ReplicaSet | undefined, now: string): DeploymentStatus {
  const spec = specOf(deployment);
  const available = sum(all, (set) => set.status?.availableReplicas);
  const total = sum(all, (set) => set.spec.replicas);
  const status: DeploymentStatus = {
    observedGeneration: deployment.metadata.generation ?? 1,
    replicas: sum(all, (set) => set.status?.replicas),
    updatedReplicas: newSet ? (newSet.status?.replicas ?? 0) : 0,
    readyReplicas: sum(all, (set) => set.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    conditions: [...(deployment.status?.conditions ?? [])],
  };
  if (deployment.status?.collisionCount !== undefined) status.collisionCount = deployment.status.collisionCount;
  const condition =
    available >= spec.replicas - maxUnavailable(spec)
      ? newCondition('Available', 'True', REASONS.minimumReplicasAvailable, 'Deployment has minimum availability.', now)
      : newCondition('Available', 'False', REASONS.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', now);
  status.conditions = setCondition(status.conditions ?? [], condition);
  return status;
}

function complete(deployment: Deployment, status: DeploymentStatus): boolean {
  return rolloutComplete(specOf(deployment).replicas, deployment.metadata.generation ?? 1, {
    updatedReplicas: status.updatedReplicas ?? 0,
    replicas: status.replicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
    observedGeneration: status.observedGeneration ?? 0,
  });
}

/** deploymentutil.DeploymentProgressing: more updated, fewer old, more ready or more available replicas. */
export function isProgressing(deployment: Deployment, next: DeploymentStatus): boolean {
  const old = deployment.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** deploymentutil.DeploymentTimedOut */
export function hasTimedOut(deployment: Deployment, next: DeploymentStatus, nowInMs: number): boolean {
  const deadline = deployment.spec.progressDeadlineSeconds;
  if (deadline === undefined || deadline === 2147483647) return false;
  const condition = getCondition(next.conditions, 'Progressing');
  if (!condition) return false;
  if (condition.reason === REASONS.newReplicaSetAvailable) return false;
  if (condition.reason === REASONS.timedOut) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  return from + deadline * 1000 < nowInMs;
}

/**
 * sync.go syncRolloutStatus, without the write: the status the controller would store. Also returns
 * when the controller should look again to notice a deadline passing (requeueStuckDeployment).
 */
export function rolloutStatus(
  deployment: Deployment,
  all: readonly ReplicaSet[],
  newSet: ReplicaSet | undefined,
  nowInMs: number,
): { status: DeploymentStatus; recheckInMs?: number } {
  const now = isoSeconds(nowInMs);
  const next = calculateStatus(deployment, all, newSet, now);
  const hasDeadline = deployment.spec.progressDeadlineSeconds !== undefined && deployment.spec.progressDeadlineSeconds !== 2147483647;
  if (!hasDeadline) next.conditions = removeCondition(next.conditions ?? [], 'Progressing');
  const current = getCondition(deployment.status?.conditions, 'Progressing');
  const alreadyComplete = next.replicas === next.updatedReplicas && current?.reason === REASONS.newReplicaSetAvailable;
  const setName = newSet?.metadata.name ?? '';
  if (hasDeadline && !alreadyComplete && !deployment.spec.paused) {
    if (complete(deployment, next)) {
      next.conditions = setCondition(next.conditions ?? [], newCondition('Progressing', 'True', REASONS.newReplicaSetAvailable, `ReplicaSet "${setName}" has successfully progressed.`, now));
    } else if (isProgressing(deployment, next)) {
      const condition = newCondition('Progressing', 'True', REASONS.replicaSetUpdated, `ReplicaSet "${setName}" is progressing.`, now);
      if (current?.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
      next.conditions = [...removeCondition(next.conditions ?? [], 'Progressing'), condition];
    } else if (hasTimedOut(deployment, next, nowInMs)) {
      next.conditions = setCondition(next.conditions ?? [], newCondition('Progressing', 'False', REASONS.timedOut, `ReplicaSet "${setName}" has timed out progressing.`, now));
    }
  }
  const failure = all.map((set) => getCondition(set.status?.conditions, 'ReplicaFailure')).find((c) => c?.status === 'True');
  next.conditions = failure
    ? setCondition(next.conditions ?? [], { ...failure, lastUpdateTime: failure.lastTransitionTime ?? now })
    : removeCondition(next.conditions ?? [], 'ReplicaFailure');

  const progressing = getCondition(next.conditions, 'Progressing');
  let recheckInMs: number | undefined;
  if (hasDeadline && progressing && progressing.reason !== REASONS.timedOut && progressing.reason !== REASONS.newReplicaSetAvailable && !deployment.spec.paused) {
    const due = Date.parse(progressing.lastUpdateTime ?? now) + (deployment.spec.progressDeadlineSeconds ?? 0) * 1000 - nowInMs;
    recheckInMs = Math.max(due, 0) + 1000;
  }
  return recheckInMs === undefined ? { status: next } : { status: next, recheckInMs };
}
