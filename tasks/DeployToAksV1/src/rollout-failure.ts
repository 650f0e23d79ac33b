/**
 * A rollout that did not complete: explain it (pods, logs, events), roll back to the previous revision
 * when 'rollbackOnFailure' asks for it and wait for that, then fail once, saying which revision serves.
 */
import { type Clock, Deadline, describeTimeout } from '../../common/deadline';
import type { ImageReference } from '../../common/docker/image-reference';
import { TaskError } from '../../common/errors';
import { neutraliseLine } from '../../common/neutralise';
import type { TaskLog } from '../../common/task-runtime';
import { diagnoseRollout, ownedReplicaSets } from './diagnostics';
import type { KubeApi } from './kube-client';
import type { Deployment } from './kube-objects';
import type { ClusterFacts, PodProblem } from './pod-diagnosis';
import { FIELD_MANAGER } from './plan';
import { imageOf, previousRevision, rollbackPatch } from './rollback';
import { revisionOf } from './rollout-status';
import { type RolloutWaitResult, waitForRollout } from './wait';

/** A rollback gets at least this long to finish, even when the failed rollout used up the deadline. */
export const ROLLBACK_MIN_WAIT_IN_MS = 2 * 60_000;

export interface FailureDeps {
  kube: KubeApi;
  log: TaskLog;
  clock: Clock;
  pollIntervalInMs?: number;
}

export interface FailedRollout {
  namespace: string;
  name: string;
  image: ImageReference;
  cluster: ClusterFacts;
  result: RolloutWaitResult;
  rollbackOnFailure: boolean;
  rolloutTimeoutInMs: number;
  deadline: Deadline;
  /** Told once the rollback patch is accepted (for the cancellation line). */
  onRollbackSent?: () => void;
}

export async function failRollout(failed: FailedRollout, deps: FailureDeps): Promise<never> {
  const { kube, log } = deps;
  const { name, namespace, result } = failed;
  const deployment = result.deployment ?? (await kube.get<Deployment>('Deployment', namespace, name));
  if (deployment === undefined) throw new TaskError(`Deployment '${name}' disappeared from namespace '${namespace}' while the task was waiting for it.`);
  const revision = revisionOf(deployment);
  const why = result.timedOut
    ? `its rollout did not finish within ${describeTimeout(failed.rolloutTimeoutInMs)} ('rolloutTimeoutInMinutes'): ${result.verdict.message}`
    : `${result.verdict.message} (ProgressDeadlineExceeded)`;
  const diagnosis = await diagnoseRollout(deployment, failed.image, failed.cluster, deps);
  const problems = describeProblems(diagnosis.problems);
  const excerpt = diagnosis.excerpt.length > 0 ? ` Last log lines of the crashing container: ${diagnosis.excerpt.join(' | ')}` : '';
  const which = revision !== undefined ? `Revision ${revision} of deployment '${name}'` : `Deployment '${name}'`;
  const failedRevision = `${which} (image ${imageOf(deployment.spec?.template) ?? failed.image.reference}) failed: ${why.replace(/\.+$/, '')}.${problems}${excerpt}`;

  if (!failed.rollbackOnFailure) {
    throw new TaskError(`${failedRevision} It was left as it is ('rollbackOnFailure' is false): its old pods keep serving while the new ones fail.`);
  }
  const target = previousRevision(deployment, await ownedReplicaSets(kube, deployment));
  if (target === undefined) {
    throw new TaskError(`${failedRevision} There is no earlier revision to roll back to (this was the deployment's first), so it was left as it is.`);
  }
  log.info(`Rolling back deployment '${name}' to revision ${target.revision} (image ${imageOf(target.template) ?? '?'}), as 'kubectl rollout undo' would.`);
  const rolledBack = await kube.patch<Deployment>('Deployment', namespace, name, rollbackPatch(target), FIELD_MANAGER);
  const rollbackDeadline = new Deadline(deps.clock, Math.min(Math.max(failed.deadline.remainingInMs(), ROLLBACK_MIN_WAIT_IN_MS), Math.max(failed.rolloutTimeoutInMs, ROLLBACK_MIN_WAIT_IN_MS)));
  failed.onRollbackSent?.();
  log.debug(`Rollback sent: generation ${rolledBack.metadata.generation ?? '?'}.`);
  const back = await waitForRollout(namespace, name, rollbackDeadline, deps, {
    ignoreProgressDeadline: true,
    ...(deps.pollIntervalInMs !== undefined ? { pollIntervalInMs: deps.pollIntervalInMs } : {}),
  });
  const serving = revisionOf(back.deployment);
  if (back.verdict.kind === 'complete') {
    throw new TaskError(`${failedRevision} Rolled back: revision ${serving ?? '?'} (the former revision ${target.revision}, image ${imageOf(target.template) ?? '?'}) serves now.`);
  }
  throw new TaskError(
    `${failedRevision} The rollback to the former revision ${target.revision} did not finish either (${back.verdict.message}); revision ${serving ?? '?'} is rolling out. ` +
      `Check the cluster: kubectl rollout status deployment/${name} -n ${namespace}.`,
  );
}

function describeProblems(problems: readonly PodProblem[]): string {
  const seen = new Set<string>();
  const distinct = problems.filter((p) => !seen.has(p.reason) && seen.add(p.reason));
  return distinct
    .slice(0, 3)
    .map((p) => neutraliseLine(` Pod ${p.pod}: ${p.reason}${p.detail ? ` (${p.detail})` : ''}. ${p.explanation}`))
    .join('');
}

