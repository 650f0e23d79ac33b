/**
 * Deployment revisions and the ReplicaSet annotations the deployment controller keeps
 * (util/deployment_util.go): the new ReplicaSet is the one whose template equals the Deployment's
 * (ignoring pod-template-hash); its revision is one more than the highest old one, and a ReplicaSet
 * that becomes new again (a rollback) keeps its former revisions in revision-history. Pure.
 */
import type { Deployment, ReplicaSet } from '../kube-types';
import { templatesEqualIgnoringHash } from './pod-template-hash';

export const ANNOTATIONS = {
  revision: 'deployment.kubernetes.io/revision',
  revisionHistory: 'deployment.kubernetes.io/revision-history',
  desiredReplicas: 'deployment.kubernetes.io/desired-replicas',
  maxReplicas: 'deployment.kubernetes.io/max-replicas',
  lastApplied: 'kubectl.kubernetes.io/last-applied-configuration',
  rollbackTo: 'deprecated.deployment.rollback.to',
} as const;

const NOT_COPIED: ReadonlySet<string> = new Set(Object.values(ANNOTATIONS));
const REVISION_HISTORY_LIMIT_IN_CHARS = 500;

export function revisionOf(set: { metadata: { annotations?: Record<string, string> } }): number {
  const value = Number(set.metadata.annotations?.[ANNOTATIONS.revision] ?? '0');
  return Number.isFinite(value) ? value : 0;
}

export function maxRevision(sets: readonly ReplicaSet[]): number {
  return Math.max(0, ...sets.map(revisionOf));
}

export function createdAt(set: { metadata: { creationTimestamp?: string; name: string } }): number {
  return Date.parse(set.metadata.creationTimestamp ?? '') || 0;
}

export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return createdAt(a) - createdAt(b) || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template matches the Deployment's. */
export function findNewReplicaSet(deployment: Deployment, sets: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...sets].sort(byCreation).find((set) => templatesEqualIgnoringHash(set.spec.template, deployment.spec.template));
}

/** copyDeploymentAnnotationsToReplicaSet + the revision bookkeeping of SetNewReplicaSetAnnotations. Returns whether anything changed. */
export function setNewReplicaSetAnnotations(deployment: Deployment, set: ReplicaSet, newRevision: number): boolean {
  let changed = false;
  const annotations = { ...(set.metadata.annotations ?? {}) };
  for (const [key, value] of Object.entries(deployment.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  const oldText = annotations[ANNOTATIONS.revision];
  const oldRevision = Number(oldText ?? '0');
  if (oldRevision < newRevision) {
    annotations[ANNOTATIONS.revision] = String(newRevision);
    changed = true;
    if (oldText !== undefined) {
      const history = (annotations[ANNOTATIONS.revisionHistory] ?? '').split(',').filter(Boolean);
      history.push(oldText);
      while (history.join(',').length > REVISION_HISTORY_LIMIT_IN_CHARS && history.length > 1) history.shift();
      annotations[ANNOTATIONS.revisionHistory] = history.join(',');
    }
  }
  set.metadata.annotations = annotations;
  return changed;
}

/** SetReplicasAnnotations */
export function setReplicasAnnotations(set: ReplicaSet, desired: number, max: number): boolean {
  const annotations = { ...(set.metadata.annotations ?? {}) };
  const changed = annotations[ANNOTATIONS.desiredReplicas] !== String(desired) || annotations[ANNOTATIONS.maxReplicas] !== String(max);
  annotations[ANNOTATIONS.desiredReplicas] = String(desired);
  annotations[ANNOTATIONS.maxReplicas] = String(max);
  set.metadata.annotations = annotations;
  return changed;
}

export function desiredReplicasAnnotation(set: ReplicaSet): number | undefined {
  const text = set.metadata.annotations?.[ANNOTATIONS.desiredReplicas];
  return text === undefined ? undefined : Number(text);
}

export function maxReplicasAnnotation(set: ReplicaSet): number | undefined {
  const text = set.metadata.annotations?.[ANNOTATIONS.maxReplicas];
  return text === undefined ? undefined : Number(text);
}
