/**
 * What a cancelled DeployToAks leaves in the cluster, phase by phase, in the words of the one
 * cancellation line (tasks/common/cancellation.ts asks for it when the agent's SIGINT arrives). Pure.
 */
import type { Deployment } from './kube-objects';
import { revisionOf } from './rollout-status';

/** What the apply has sent so far: the objects the API server accepted, and the one in flight. */
export interface ApplyProgress {
  applied: readonly string[];
  sending?: string;
}

export function applyState(progress: ApplyProgress): string {
  const inFlight = progress.sending !== undefined ? `the apply of ${progress.sending} was in flight (the API server may have accepted it)` : '';
  if (progress.applied.length === 0) return inFlight === '' ? 'Nothing was changed in the cluster' : `Nothing else was changed in the cluster: ${inFlight}`;
  return `The API server accepted ${progress.applied.join(', ')}${inFlight === '' ? '' : `, and ${inFlight}`}: what it accepted stays, and Kubernetes goes on rolling it out`;
}

/**
 * During the rollout wait: "Deployment 'iris' is mid-rollout at revision 2 (0 of 1 new replicas updated, 0 available);
 * Kubernetes goes on rolling it out while revision 1's pods keep serving".
 */
export function rolloutState(name: string, deployment: Deployment | undefined, servingBefore: number | undefined): string {
  const revision = revisionOf(deployment);
  const status = deployment?.status ?? {};
  const wanted = deployment?.spec?.replicas ?? 0;
  const counts = `${status.updatedReplicas ?? 0} of ${wanted} new replica(s) updated, ${status.availableReplicas ?? 0} available`;
  const at = revision !== undefined ? ` at revision ${revision}` : '';
  const before = servingBefore !== undefined && servingBefore !== revision ? ` while revision ${servingBefore}'s pods keep serving until the new ones are ready` : '';
  return `Deployment '${name}' is mid-rollout${at} (${counts}); Kubernetes goes on rolling it out${before}`;
}

/** During the wait for the load balancer's address: the rollout is done, the url is not. */
export function addressState(name: string, revision: number | undefined): string {
  return `Deployment '${name}' rolled out (revision ${revision ?? '?'}); service '${name}' has no load balancer address yet (Kubernetes goes on asking for one), and no url was published`;
}

/** While a failed rollout is explained and, when asked, rolled back. */
export function failedRolloutState(name: string, revision: number | undefined, rollbackSent: boolean): string {
  return rollbackSent
    ? `Deployment '${name}' failed to roll out revision ${revision ?? '?'}; the rollback to the former revision was sent, and Kubernetes goes on with it`
    : `Deployment '${name}' failed to roll out revision ${revision ?? '?'} and is left as it is (no rollback was sent)`;
}
