/**
 * Waits, under the deployment's one deadline, for the rollout (judged as `kubectl rollout status`
 * judges it) and then for the Service's load-balancer address.
 */
import type { Clock, Deadline } from '../../common/deadline';
import type { TaskLog } from '../../common/task-runtime';
import type { KubeApi } from './kube-client';
import type { Deployment, Service } from './kube-objects';
import { type RolloutVerdict, judgeRollout } from './rollout-status';

export interface WaitDeps {
  kube: KubeApi;
  log: TaskLog;
  clock: Clock;
}

/** How often the Deployment is read while it rolls out. */
export const ROLLOUT_POLL_INTERVAL_IN_MS = 250;
export const ADDRESS_POLL_INTERVAL_IN_MS = 1000;

export interface RolloutWaitResult {
  verdict: RolloutVerdict;
  deployment: Deployment | undefined;
  timedOut: boolean;
}

export interface RolloutWaitOptions {
  /** A ProgressDeadlineExceeded condition from before the change (its time stamp): not a verdict on this rollout. */
  staleDeadline?: string;
  /**
   * A rollback to an existing ReplicaSet: the controller keeps timing the failed rollout's progress and
   * may declare its deadline exceeded after the rollback, so only completion (or the wait's own
   * deadline) decides.
   */
  ignoreProgressDeadline?: boolean;
  pollIntervalInMs?: number;
  /** Hears each read of the Deployment (for the cancellation line). */
  onRead?: (deployment: Deployment | undefined) => void;
}

export async function waitForRollout(namespace: string, name: string, deadline: Deadline, deps: WaitDeps, options: RolloutWaitOptions = {}): Promise<RolloutWaitResult> {
  const pollIntervalInMs = options.pollIntervalInMs ?? ROLLOUT_POLL_INTERVAL_IN_MS;
  let last = '';
  for (;;) {
    const deployment = await deps.kube.get<Deployment>('Deployment', namespace, name);
    options.onRead?.(deployment);
    const verdict: RolloutVerdict = deployment ? judgeRollout(options.ignoreProgressDeadline ? withoutProgressCondition(deployment) : deployment, options.staleDeadline) : { kind: 'waiting', message: `Waiting for deployment "${name}" to exist...` };
    if (verdict.message !== last) {
      deps.log.info(verdict.message);
      last = verdict.message;
    }
    if (verdict.kind !== 'waiting') return { verdict, deployment, timedOut: false };
    if (deadline.expired()) return { verdict, deployment, timedOut: true };
    await deadline.sleep(pollIntervalInMs);
  }
}

/** The load balancer's IP address or host name, once the cloud has given one; undefined at the deadline. */
export async function waitForAddress(namespace: string, name: string, deadline: Deadline, deps: WaitDeps, pollIntervalInMs = ADDRESS_POLL_INTERVAL_IN_MS): Promise<{ service: Service | undefined; address: string | undefined }> {
  let announced = false;
  for (;;) {
    const service = await deps.kube.get<Service>('Service', namespace, name);
    const ingress = service?.status?.loadBalancer?.ingress?.find((entry) => entry.ip ?? entry.hostname);
    const address = ingress?.ip ?? ingress?.hostname;
    if (address !== undefined || deadline.expired()) return { service, address };
    if (!announced) {
      deps.log.info(`Waiting for service "${name}" to get its load balancer address...`);
      announced = true;
    }
    await deadline.sleep(pollIntervalInMs);
  }
}

function withoutProgressCondition(deployment: Deployment): Deployment {
  const conditions = (deployment.status?.conditions ?? []).filter((condition) => condition.type !== 'Progressing');
  return { ...deployment, status: { ...deployment.status, conditions } };
}
