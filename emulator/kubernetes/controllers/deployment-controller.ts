/**
 * The Deployment controller (kubernetes/pkg/controller/deployment): owns ReplicaSets, rolls them by
 * the strategy (RollingUpdate within maxSurge / maxUnavailable, or Recreate), records
 * ScalingReplicaSet events, keeps revisions and the history limit, and writes the Deployment's
 * status with its Available and Progressing conditions (ProgressDeadlineExceeded included).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Deployment, Pod, ReplicaSet } from '../kube-types';
import type { KubeObject, ObjectStore } from '../store/object-store';
import { DEPLOYMENTS, PODS, REPLICA_SETS } from '../store/resource-types';
import { isStatusError } from '../status-errors';
import { isoSeconds } from './clock-format';
import { getCondition, newCondition, REASONS, rolloutStatus, calculateStatus, setCondition, specOf } from './deployment-status';
import type { EventRecorder } from './event-recorder';
import { isPodActive, controllerOf } from './pod-state';
import { computePodTemplateHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash';
import { ANNOTATIONS, byCreation, desiredReplicasAnnotation, findNewReplicaSet, maxReplicasAnnotation, maxRevision, revisionOf, setNewReplicaSetAnnotations, setReplicasAnnotations } from './revisions';
import { maxSurge, newReplicaSetReplicas, proportionalSizes, scaleDownOldReplicaSets, type ReplicaSetCounts } from './rollout-math';
import { unconditional } from './unconditional';
import { createWorkQueue, objectKey, splitKey, type WorkQueue } from './work-queue';

export interface DeploymentControllerDeps {
  store: ObjectStore;
  events: EventRecorder;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export interface Controller {
  queue: WorkQueue;
  stop(): void;
}


export function startDeploymentController(deps: DeploymentControllerDeps): Controller {
  const { store, events } = deps;
  const now = deps.now ?? Date.now;
  const queue = createWorkQueue((key) => sync(key), (_key, error) => deps.onError?.(error));

  const enqueueOwnerOfSet = (set: KubeObject): void => {
    const owner = controllerOf(set);
    if (owner?.kind === 'Deployment') queue.add(objectKey(set.metadata.namespace, owner.name));
  };
  const unwatch = [
    store.watch(DEPLOYMENTS, undefined, undefined, (event) => queue.add(objectKey(event.object.metadata.namespace, event.object.metadata.name))),
    store.watch(REPLICA_SETS, undefined, undefined, (event) => enqueueOwnerOfSet(event.object)),
    store.watch(PODS, undefined, undefined, (event) => {
      if (event.type !== 'DELETED') return;
      const owner = controllerOf(event.object);
      if (owner?.kind !== 'ReplicaSet') return;
      const set = store.get(REPLICA_SETS, event.object.metadata.namespace, owner.name);
      if (set) enqueueOwnerOfSet(set);
    }),
  ];

  function setsOf(deployment: Deployment): ReplicaSet[] {
    return (store.list(REPLICA_SETS, deployment.metadata.namespace).items as unknown as ReplicaSet[]).filter(
      (set) => controllerOf(set)?.uid === deployment.metadata.uid,
    );
  }

  function podsOf(set: ReplicaSet): Pod[] {
    return (store.list(PODS, set.metadata.namespace).items as unknown as Pod[]).filter((pod) => controllerOf(pod)?.uid === set.metadata.uid);
  }

  function counts(set: ReplicaSet): ReplicaSetCounts {
    return { name: set.metadata.name, replicas: set.spec.replicas ?? 0, available: set.status?.availableReplicas ?? 0, createdAtInMs: Date.parse(set.metadata.creationTimestamp ?? '') || 0 };
  }

  /** scaleReplicaSetAndRecordEvent */
  function scaleSet(set: ReplicaSet, replicas: number, deployment: Deployment): ReplicaSet {
    const current = set.spec.replicas ?? 0;
    const next = structuredClone(set);
    next.spec.replicas = replicas;
    const annotationsChanged = setReplicasAnnotations(next, specOf(deployment).replicas, specOf(deployment).replicas + maxSurge(specOf(deployment)));
    if (current === replicas && !annotationsChanged) return set;
    const stored = store.update(REPLICA_SETS, unconditional(next)) as unknown as ReplicaSet;
    if (current !== replicas) {
      events.record(deployment, 'Normal', 'ScalingReplicaSet', `Scaled ${current < replicas ? 'up' : 'down'} replica set ${set.metadata.name} from ${current} to ${replicas}`);
    }
    return stored;
  }

  function updateDeployment(deployment: Deployment): Deployment {
    return store.update(DEPLOYMENTS, unconditional(deployment)) as unknown as Deployment;
  }

  function setDeploymentRevision(deployment: Deployment, revision: number): Deployment {
    if (deployment.metadata.annotations?.[ANNOTATIONS.revision] === String(revision)) return deployment;
    const next = structuredClone(deployment);
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [ANNOTATIONS.revision]: String(revision) };
    return updateDeployment(next);
  }

  function writeStatus(deployment: Deployment, status: Deployment['status']): Deployment {
    if (isDeepStrictEqual(deployment.status, status)) return deployment;
    return store.update(DEPLOYMENTS, unconditional({ ...deployment, status }), { subresource: 'status' }) as unknown as Deployment;
  }

  /** getAllReplicaSetsAndSyncRevision */
  function newAndOld(deployment: Deployment, create: boolean): { deployment: Deployment; newSet: ReplicaSet | undefined; oldSets: ReplicaSet[] } {
    const sets = setsOf(deployment);
    const existing = findNewReplicaSet(deployment, sets);
    const oldSets = sets.filter((set) => set.metadata.uid !== existing?.metadata.uid);
    const newRevision = maxRevision(oldSets) + 1;
    if (existing) {
      const copy = structuredClone(existing);
      const changed = setNewReplicaSetAnnotations(deployment, copy, newRevision);
      const minReady = deployment.spec.minReadySeconds ?? 0;
      const minReadyChanged = (copy.spec.minReadySeconds ?? 0) !== minReady;
      if (minReadyChanged) copy.spec.minReadySeconds = minReady;
      const newSet = changed || minReadyChanged ? (store.update(REPLICA_SETS, unconditional(copy)) as unknown as ReplicaSet) : existing;
      let updated = setDeploymentRevision(deployment, revisionOf(newSet));
      if (!getCondition(updated.status?.conditions, 'Progressing') && hasDeadline(updated)) {
        const conditions = setCondition(updated.status?.conditions ?? [], newCondition('Progressing', 'True', REASONS.foundNewReplicaSet, `Found new replica set "${newSet.metadata.name}"`, isoSeconds(now())));
        updated = writeStatus(updated, { ...(updated.status ?? {}), conditions });
      }
      return { deployment: updated, newSet, oldSets };
    }
    if (!create) return { deployment, newSet: undefined, oldSets };
    return createNewSet(deployment, oldSets, newRevision);
  }

  function createNewSet(deployment: Deployment, oldSets: ReplicaSet[], newRevision: number): { deployment: Deployment; newSet: ReplicaSet; oldSets: ReplicaSet[] } {
    let current = deployment;
    for (;;) {
      const hash = computePodTemplateHash(current.spec.template, current.status?.collisionCount);
      const template = structuredClone(current.spec.template);
      template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
      const selector = structuredClone(current.spec.selector);
      selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
      const candidate: ReplicaSet = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${current.metadata.name}-${hash}`,
          namespace: current.metadata.namespace ?? 'default',
          uid: '',
          labels: { ...(template.metadata.labels ?? {}) },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: current.metadata.name, uid: current.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: { replicas: 0, minReadySeconds: current.spec.minReadySeconds ?? 0, selector, template },
      };
      const spec = specOf(current);
      const replicas = newReplicaSetReplicas(spec, [...oldSets.map(counts)], { name: candidate.metadata.name, replicas: 0, available: 0, createdAtInMs: now() });
      candidate.spec.replicas = replicas;
      setNewReplicaSetAnnotations(current, candidate, newRevision);
      setReplicasAnnotations(candidate, spec.replicas, spec.replicas + maxSurge(spec));
      const { uid: _uid, ...metadata } = candidate.metadata;
      try {
        const created = store.create(REPLICA_SETS, { ...candidate, metadata }) as unknown as ReplicaSet;
        if (replicas > 0) events.record(current, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
        current = setDeploymentRevision(current, newRevision);
        if (hasDeadline(current)) {
          const conditions = setCondition(current.status?.conditions ?? [], newCondition('Progressing', 'True', REASONS.newReplicaSetCreated, `Created new replica set "${created.metadata.name}"`, isoSeconds(now())));
          current = writeStatus(current, { ...(current.status ?? {}), conditions });
        }
        return { deployment: current, newSet: created, oldSets };
      } catch (error) {
        if (!isStatusError(error, 'AlreadyExists')) throw error;
        const clash = store.get(REPLICA_SETS, current.metadata.namespace, candidate.metadata.name) as unknown as ReplicaSet | undefined;
        if (clash && controllerOf(clash)?.uid === current.metadata.uid && findNewReplicaSet(current, [clash])) return { deployment: current, newSet: clash, oldSets };
        // A hash collision: count it, and the next hash differs (the controller's collisionCount).
        current = writeStatus(current, { ...(current.status ?? {}), collisionCount: (current.status?.collisionCount ?? 0) + 1 });
      }
    }
  }

  function hasDeadline(deployment: Deployment): boolean {
    const deadline = deployment.spec.progressDeadlineSeconds;
    return deadline !== undefined && deadline !== 2147483647;
  }

  function syncRolloutStatus(deployment: Deployment, all: ReplicaSet[], newSet: ReplicaSet | undefined): void {
    const fresh = (store.get(DEPLOYMENTS, deployment.metadata.namespace, deployment.metadata.name) as unknown as Deployment | undefined) ?? deployment;
    const liveSets = all.map((set) => (store.get(REPLICA_SETS, set.metadata.namespace, set.metadata.name) as unknown as ReplicaSet | undefined) ?? set);
    const liveNew = newSet ? liveSets.find((set) => set.metadata.uid === newSet.metadata.uid) : undefined;
    const { status, recheckInMs } = rolloutStatus(fresh, liveSets, liveNew, now());
    writeStatus(fresh, status);
    if (recheckInMs !== undefined) queue.addAfter(objectKey(fresh.metadata.namespace, fresh.metadata.name), recheckInMs);
  }

  function syncStatusOnly(deployment: Deployment, all: ReplicaSet[], newSet: ReplicaSet | undefined): void {
    const fresh = (store.get(DEPLOYMENTS, deployment.metadata.namespace, deployment.metadata.name) as unknown as Deployment | undefined) ?? deployment;
    writeStatus(fresh, calculateStatus(fresh, all, newSet, isoSeconds(now())));
  }

  /** cleanupDeployment: delete the oldest idle ReplicaSets beyond revisionHistoryLimit. */
  function cleanup(deployment: Deployment, oldSets: ReplicaSet[]): void {
    const limit = deployment.spec.revisionHistoryLimit;
    if (limit === undefined) return;
    const alive = oldSets.filter((set) => set.metadata.deletionTimestamp === undefined);
    const diff = alive.length - limit;
    if (diff <= 0) return;
    const byRevision = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const set of byRevision.slice(0, diff)) {
      if ((set.status?.replicas ?? 0) !== 0 || (set.spec.replicas ?? 0) !== 0 || (set.metadata.generation ?? 1) > (set.status?.observedGeneration ?? 0)) continue;
      store.delete(REPLICA_SETS, set.metadata.namespace, set.metadata.name);
    }
  }

  function isActive(set: ReplicaSet): boolean {
    return (set.spec.replicas ?? 0) > 0;
  }

  /** isScalingEvent + scale (the simple, non-proportional cases). */
  function scaleIfNeeded(deployment: Deployment, newSet: ReplicaSet | undefined, oldSets: ReplicaSet[]): boolean {
    const replicas = specOf(deployment).replicas;
    const all = [...(newSet ? [newSet] : []), ...oldSets];
    const scaling = all.filter(isActive).some((set) => desiredReplicasAnnotation(set) !== undefined && desiredReplicasAnnotation(set) !== replicas);
    if (!scaling) return false;
    const active = all.filter(isActive);
    const target = active.length === 1 ? active[0] : active.length === 0 ? (newSet ?? [...oldSets].sort(byCreation).at(-1)) : undefined;
    if (target) {
      scaleSet(target, replicas, deployment);
      return true;
    }
    const spec = specOf(deployment);
    if (newSet && (newSet.spec.replicas ?? 0) === replicas && desiredReplicasAnnotation(newSet) === replicas && (newSet.status?.availableReplicas ?? 0) === replicas) {
      // IsSaturated: the new ReplicaSet holds everything; the old ones go.
      for (const set of oldSets.filter(isActive)) scaleSet(set, 0, deployment);
      return true;
    }
    if ((spec.strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') return false;
    const sizes = proportionalSizes(
      spec,
      active.map((set) => ({ ...counts(set), maxReplicasAnnotation: maxReplicasAnnotation(set) })),
      deployment.status?.replicas ?? 0,
    );
    for (const set of active) scaleSet(set, sizes.get(set.metadata.name) ?? set.spec.replicas ?? 0, deployment);
    return true;
  }

  function rolloutRolling(deployment: Deployment): void {
    const { deployment: current, newSet, oldSets } = newAndOld(deployment, true);
    if (!newSet) return;
    const spec = specOf(current);
    const all = [newSet, ...oldSets];
    const newReplicas = newSet.spec.replicas ?? 0;
    // reconcileNewReplicaSet
    if (newReplicas !== spec.replicas) {
      const target = newReplicas > spec.replicas ? spec.replicas : newReplicaSetReplicas(spec, all.map(counts), counts(newSet));
      if (target !== newReplicas) {
        const scaled = scaleSet(newSet, target, current);
        return syncRolloutStatus(current, [scaled, ...oldSets], scaled);
      }
    }
    // reconcileOldReplicaSets
    const activeOld = oldSets.filter(isActive);
    const changes = scaleDownOldReplicaSets(spec, activeOld.map(counts), counts(newSet));
    if (changes.size > 0) {
      const updated = oldSets.map((set) => (changes.has(set.metadata.name) ? scaleSet(set, changes.get(set.metadata.name) ?? 0, current) : set));
      return syncRolloutStatus(current, [newSet, ...updated], newSet);
    }
    const status = rolloutStatus(current, all, newSet, now()).status;
    if ((status.updatedReplicas ?? 0) === spec.replicas && (status.replicas ?? 0) === spec.replicas && (status.availableReplicas ?? 0) === spec.replicas) cleanup(current, oldSets);
    syncRolloutStatus(current, all, newSet);
  }

  function rolloutRecreate(deployment: Deployment): void {
    let { deployment: current, newSet, oldSets } = newAndOld(deployment, false);
    const activeOld = oldSets.filter(isActive);
    if (activeOld.length > 0) {
      const updated = oldSets.map((set) => (isActive(set) ? scaleSet(set, 0, current) : set));
      return syncRolloutStatus(current, [...(newSet ? [newSet] : []), ...updated], newSet);
    }
    const oldPodsRunning = oldSets.some((set) => (set.status?.replicas ?? 0) > 0 || podsOf(set).some(isPodActive));
    if (oldPodsRunning) return syncRolloutStatus(current, [...(newSet ? [newSet] : []), ...oldSets], newSet);
    if (!newSet) ({ deployment: current, newSet, oldSets } = newAndOld(current, true));
    if (!newSet) return;
    const scaled = scaleSet(newSet, specOf(current).replicas, current);
    const all = [scaled, ...oldSets];
    const status = rolloutStatus(current, all, scaled, now()).status;
    if ((status.availableReplicas ?? 0) === specOf(current).replicas && (status.updatedReplicas ?? 0) === specOf(current).replicas) cleanup(current, oldSets);
    syncRolloutStatus(current, all, scaled);
  }

  /** checkPausedConditions */
  function pausedConditions(deployment: Deployment): Deployment {
    if (!hasDeadline(deployment)) return deployment;
    const condition = getCondition(deployment.status?.conditions, 'Progressing');
    if (condition?.reason === REASONS.timedOut) return deployment;
    const paused = condition?.reason === REASONS.paused;
    const at = isoSeconds(now());
    let conditions = deployment.status?.conditions ?? [];
    if (deployment.spec.paused && !paused) conditions = setCondition(conditions, newCondition('Progressing', 'Unknown', REASONS.paused, 'Deployment is paused', at));
    else if (!deployment.spec.paused && paused) conditions = setCondition(conditions, newCondition('Progressing', 'Unknown', REASONS.resumed, 'Deployment is resumed', at));
    else return deployment;
    return writeStatus(deployment, { ...(deployment.status ?? {}), conditions });
  }

  function sync(key: string): void {
    const { namespace, name } = splitKey(key);
    let deployment = store.get(DEPLOYMENTS, namespace, name) as unknown as Deployment | undefined;
    if (!deployment || deployment.metadata.deletionTimestamp) return;
    deployment = pausedConditions(deployment);
    const sets = setsOf(deployment);
    const newSet = findNewReplicaSet(deployment, sets);
    const oldSets = sets.filter((set) => set.metadata.uid !== newSet?.metadata.uid);
    if (deployment.spec.paused) {
      scaleIfNeeded(deployment, newSet, oldSets);
      const { deployment: current, newSet: found, oldSets: olds } = newAndOld(deployment, false);
      cleanup(current, olds);
      return syncStatusOnly(current, setsOf(current), found);
    }
    if (scaleIfNeeded(deployment, newSet, oldSets)) {
      const { deployment: current, newSet: found } = newAndOld(deployment, false);
      return syncStatusOnly(current, setsOf(current), found);
    }
    if ((deployment.spec.strategy?.type ?? 'RollingUpdate') === 'Recreate') rolloutRecreate(deployment);
    else rolloutRolling(deployment);
  }

  return {
    queue,
    stop() {
      for (const stop of unwatch) stop();
      queue.stop();
    },
  };
}
