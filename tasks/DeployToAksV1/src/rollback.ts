/**
 * Rolling back as `kubectl rollout undo` does (kubernetes/kubectl pkg/polymorphichelpers/rollback.go):
 * the Deployment's pod template is replaced by the template of the ReplicaSet of the previous revision
 * (without its pod-template-hash label); the controller then scales that ReplicaSet back up and gives
 * it a new revision number.
 */
import type { Deployment, PodTemplate, ReplicaSet } from './kube-objects';
import { revisionOf } from './rollout-status';

export interface RollbackTarget {
  revision: number;
  replicaSet: ReplicaSet;
  template: PodTemplate;
}

/** The newest ReplicaSet below the current revision whose template differs from the current one (pure). */
export function previousRevision(deployment: Deployment, replicaSets: readonly ReplicaSet[]): RollbackTarget | undefined {
  const current = revisionOf(deployment);
  const currentTemplate = JSON.stringify(withoutHash(deployment.spec?.template));
  const candidates = replicaSets
    .map((replicaSet) => ({ replicaSet, revision: revisionOf(replicaSet) }))
    .filter((c): c is { replicaSet: ReplicaSet; revision: number } => c.revision !== undefined && (current === undefined || c.revision < current))
    .filter((c) => JSON.stringify(withoutHash(c.replicaSet.spec?.template)) !== currentTemplate)
    .sort((a, b) => b.revision - a.revision);
  const best = candidates[0];
  const template = withoutHash(best?.replicaSet.spec?.template);
  return best && template ? { revision: best.revision, replicaSet: best.replicaSet, template } : undefined;
}

/** The JSON patch that puts the old template back. */
export function rollbackPatch(target: RollbackTarget): unknown[] {
  return [{ op: 'replace', path: '/spec/template', value: target.template }];
}

function withoutHash(template: PodTemplate | undefined): PodTemplate | undefined {
  if (template === undefined) return undefined;
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  return { ...template, metadata: { ...template.metadata, labels } };
}

/** The image a template runs (its first container's). */
export function imageOf(template: PodTemplate | undefined): string | undefined {
  return template?.spec?.containers?.[0]?.image;
}
