/**
 * Whether a Deployment's rollout is done, judged exactly as `kubectl rollout status` judges it
 * (kubernetes/kubectl pkg/polymorphichelpers/rollout_status.go, DeploymentStatusViewer), pure.
 */
import type { Deployment } from './kube-objects';

export type RolloutVerdict =
  | { kind: 'complete'; message: string }
  | { kind: 'waiting'; message: string }
  | { kind: 'failed'; reason: 'ProgressDeadlineExceeded'; message: string };

/**
 * `staleDeadline`: the lastUpdateTime of a ProgressDeadlineExceeded condition the Deployment had before
 * the task changed it. The controller keeps that condition when the new template's ReplicaSet already
 * exists (a rollback, a redeploy of an earlier template) until the rollout completes, so it is no
 * verdict on this rollout (kubectl rollout status would stop at it).
 */
export function judgeRollout(deployment: Deployment, staleDeadline?: string): RolloutVerdict {
  const name = deployment.metadata.name;
  const generation = deployment.metadata.generation ?? 0;
  const status = deployment.status ?? {};
  // Nothing the status says counts until the controller has seen the latest spec.
  if (generation > (status.observedGeneration ?? 0)) return { kind: 'waiting', message: 'Waiting for deployment spec update to be observed...' };
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  const stale = staleDeadline !== undefined && (progressing?.lastUpdateTime ?? progressing?.lastTransitionTime) === staleDeadline;
  if (progressing?.reason === 'ProgressDeadlineExceeded' && !stale) {
    return { kind: 'failed', reason: 'ProgressDeadlineExceeded', message: `deployment "${name}" exceeded its progress deadline` };
  }
  const updated = status.updatedReplicas ?? 0;
  const wanted = deployment.spec?.replicas;
  if (wanted !== undefined && updated < wanted) {
    return { kind: 'waiting', message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${wanted} new replicas have been updated...` };
  }
  const replicas = status.replicas ?? 0;
  if (replicas > updated) {
    return { kind: 'waiting', message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...` };
  }
  const available = status.availableReplicas ?? 0;
  if (available < updated) {
    return { kind: 'waiting', message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...` };
  }
  return { kind: 'complete', message: `deployment "${name}" successfully rolled out` };
}

/** The revision the Deployment controller gave the current template (`deployment.kubernetes.io/revision`). */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

export function revisionOf(object: { metadata: { annotations?: Record<string, string> } } | undefined): number | undefined {
  const text = object?.metadata.annotations?.[REVISION_ANNOTATION];
  const revision = text === undefined ? Number.NaN : Number(text);
  return Number.isSafeInteger(revision) && revision > 0 ? revision : undefined;
}

/** The time stamp of a ProgressDeadlineExceeded condition, to recognise it later as stale (see judgeRollout). */
export function deadlineExceededAt(deployment: Deployment | undefined): string | undefined {
  const progressing = deployment?.status?.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason !== 'ProgressDeadlineExceeded') return undefined;
  return progressing.lastUpdateTime ?? progressing.lastTransitionTime ?? '';
}
