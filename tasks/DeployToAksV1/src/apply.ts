/**
 * Applies the plan with server-side apply under the task's field manager: the Secret first (pods
 * reference it), then the Deployment, Service, autoscaler and disruption budget; removes the task's own
 * autoscaler, budget and Secrets that the inputs no longer ask for. With autoscaling, `spec.replicas`
 * is handed over before the task's apply drops it, so the replicas the HPA chose are kept.
 */
import type { TaskLog } from '../../common/task-runtime';
import type { ApplyProgress } from './cancellation-state';
import type { KubeApi, ResourceKind } from './kube-client';
import type { Deployment, KubeObject, ReplicaSet } from './kube-objects';
import { type ApplyPlan, FIELD_MANAGER, LABEL, MANAGED_BY, REPLICAS_HANDOVER_MANAGER, needsReplicasHandover, replicasHandover } from './plan';
import type { AksInputs } from './input-types';

export interface ApplyResult {
  deployment: Deployment;
  applied: string[];
  deleted: string[];
}

/**
 * `onProgress` hears what was accepted so far and what is in flight (for the cancellation line).
 */
export async function applyPlan(
  plan: ApplyPlan,
  existing: Deployment | undefined,
  inputs: AksInputs,
  kube: KubeApi,
  log: TaskLog,
  onProgress: (progress: ApplyProgress) => void = () => undefined,
): Promise<ApplyResult> {
  const applied: string[] = [];
  const deleted: string[] = [];
  const apply = async <T extends KubeObject>(object: KubeObject): Promise<T> => {
    const name = `${object.kind}/${object.metadata.name}`;
    onProgress({ applied: [...applied], sending: name });
    const result = await kube.apply<T>(object, FIELD_MANAGER);
    applied.push(name);
    onProgress({ applied: [...applied] });
    return result;
  };
  if (existing !== undefined && needsReplicasHandover(existing, inputs)) {
    log.info(`Autoscaling is on: handing spec.replicas (${existing.spec?.replicas ?? 1}) over to the autoscaler, so it is not reset.`);
    await kube.apply(replicasHandover(existing), REPLICAS_HANDOVER_MANAGER);
  }
  if (plan.secret) await apply(plan.secret);
  const deployment = await apply<Deployment>(plan.deployment);
  await apply(plan.service);
  const ns = inputs.namespace;
  const name = inputs.deploymentName;
  if (plan.autoscaler) await apply(plan.autoscaler);
  else if (await deleteOwn(kube, 'HorizontalPodAutoscaler', ns, name)) deleted.push(`HorizontalPodAutoscaler/${name}`);
  if (plan.disruptionBudget) await apply(plan.disruptionBudget);
  else if (await deleteOwn(kube, 'PodDisruptionBudget', ns, name)) deleted.push(`PodDisruptionBudget/${name}`);
  log.info(`Applied ${applied.join(', ')} (server-side apply, field manager '${FIELD_MANAGER}')${deleted.length > 0 ? `; deleted ${deleted.join(', ')}` : ''}.`);
  return { deployment, applied, deleted };
}

/** Deletes an object of the task's (labelled managed-by the task); true when it existed. */
async function deleteOwn(kube: KubeApi, kind: ResourceKind, namespace: string, name: string): Promise<boolean> {
  const object = await kube.get(kind, namespace, name);
  if (object === undefined || object.metadata.labels?.[LABEL.managedBy] !== MANAGED_BY) return false;
  await kube.delete(kind, namespace, name);
  return true;
}

/**
 * The Secrets of earlier secure values that no ReplicaSet of the Deployment refers to any more (so
 * a rollback within the revision history still finds its values). Returns the names deleted.
 */
export async function pruneSecrets(kube: KubeApi, namespace: string, deploymentName: string, replicaSets: readonly ReplicaSet[], current: string | undefined): Promise<string[]> {
  const secrets = await kube.list('Secret', namespace, { labelSelector: `${LABEL.deployment}=${deploymentName},${LABEL.managedBy}=${MANAGED_BY}` });
  const inUse = new Set<string>(current !== undefined ? [current] : []);
  for (const rs of replicaSets) {
    for (const container of rs.spec?.template?.spec?.containers ?? []) for (const source of container.envFrom ?? []) if (source.secretRef) inUse.add(source.secretRef.name);
  }
  const stale = secrets.map((s) => s.metadata.name).filter((secret) => !inUse.has(secret));
  for (const secret of stale) await kube.delete('Secret', namespace, secret);
  return stale;
}
