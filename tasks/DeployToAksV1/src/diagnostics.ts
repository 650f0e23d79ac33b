/**
 * When a rollout fails: the new ReplicaSet's pods and why they are not available, the previous log
 * lines of crashing containers, and the events of the Deployment, its ReplicaSet and pods, printed in a
 * log group. Everything that came from the cluster is neutralised (it could hold `##vso[` commands).
 */
import type { ImageReference } from '../../common/docker/image-reference';
import { messageOf } from '../../common/errors';
import { neutraliseLine } from '../../common/neutralise';
import type { TaskLog } from '../../common/task-runtime';
import type { KubeApi } from './kube-client';
import type { Deployment, KubeEvent, Pod, ReplicaSet } from './kube-objects';
import { type ClusterFacts, type PodProblem, diagnosePods, eventTime } from './pod-diagnosis';
import { revisionOf } from './rollout-status';

export const PREVIOUS_LOG_LINES = 20;
/** Log lines of a crashing container quoted in the failure message. */
export const EXCERPT_LINES = 5;

export interface Diagnosis {
  problems: PodProblem[];
  /** The last few log lines of crashing containers, neutralised, for the failure message. */
  excerpt: string[];
}

export interface DiagnosticsDeps {
  kube: KubeApi;
  log: TaskLog;
}

export async function diagnoseRollout(deployment: Deployment, image: ImageReference, cluster: ClusterFacts, deps: DiagnosticsDeps): Promise<Diagnosis> {
  const { kube, log } = deps;
  const namespace = deployment.metadata.namespace ?? 'default';
  const name = deployment.metadata.name;
  return await log.group(`Why deployment ${name} did not roll out`, async () => {
    const replicaSets = await ownedReplicaSets(kube, deployment);
    const current = replicaSets.find((rs) => revisionOf(rs) === revisionOf(deployment));
    const hash = current?.metadata.labels?.['pod-template-hash'];
    const selector = Object.entries(deployment.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
    const pods = await kube.list<Pod>('Pod', namespace, { labelSelector: [...selector, ...(hash ? [`pod-template-hash=${hash}`] : [])].join(',') });
    const events = await kube.list<KubeEvent>('Event', namespace);
    const names = new Set([name, ...(current ? [current.metadata.name] : []), ...pods.map((p) => p.metadata.name)]);
    const relevant = events.filter((e) => e.involvedObject?.name !== undefined && names.has(e.involvedObject.name)).sort((a, b) => eventTime(a) - eventTime(b));

    const problems = diagnosePods(pods, relevant, image, cluster);
    log.info(`${pods.length} pod(s) of revision ${revisionOf(deployment) ?? '?'}${current ? ` (ReplicaSet ${current.metadata.name})` : ''}:`);
    for (const pod of pods) log.foreign(`  ${describePod(pod)}`);
    const excerpt: string[] = [];
    for (const problem of problems) {
      log.foreign(`${problem.pod}${problem.container ? `/${problem.container}` : ''}: ${problem.reason}: ${problem.detail}`);
      log.info(`  ${problem.explanation}`);
      if (problem.wantsPreviousLog && problem.container !== undefined && excerpt.length === 0) {
        const lines = await previousLog(kube, namespace, problem.pod, problem.container, log);
        for (const line of lines) log.foreign(`    ${line}`);
        excerpt.push(...lines.slice(-EXCERPT_LINES).map((line) => neutraliseLine(line).slice(0, 300)));
      }
    }
    log.info(`Events (${relevant.length}):`);
    for (const event of relevant.slice(-30)) log.foreign(`  ${formatEvent(event)}`);
    return { problems, excerpt };
  });
}

export async function ownedReplicaSets(kube: KubeApi, deployment: Deployment): Promise<ReplicaSet[]> {
  const selector = Object.entries(deployment.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const all = await kube.list<ReplicaSet>('ReplicaSet', deployment.metadata.namespace ?? 'default', selector ? { labelSelector: selector } : {});
  const uid = deployment.metadata.uid;
  return all.filter((rs) => (rs.metadata.ownerReferences ?? []).some((owner) => owner.kind === 'Deployment' && (uid === undefined || owner.uid === uid)));
}

async function previousLog(kube: KubeApi, namespace: string, pod: string, container: string, log: TaskLog): Promise<string[]> {
  try {
    const text = await kube.podLog(namespace, pod, { container, previous: true, tailLines: PREVIOUS_LOG_LINES });
    const lines = text.split(/\r?\n/).filter((line, index, all) => line !== '' || index < all.length - 1);
    log.info(lines.length === 0 ? `  The previous run of ${container} in ${pod} logged nothing.` : `  Last ${lines.length} log line(s) of the previous run of ${container} in ${pod}:`);
    return lines;
  } catch (error) {
    log.info(`  (The previous log of ${container} in ${pod} could not be read: ${messageOf(error)})`);
    return [];
  }
}

function describePod(pod: Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const containers = statuses.map((s) => {
    const state = s.state?.waiting ? `waiting (${s.state.waiting.reason ?? ''})` : s.state?.terminated ? `terminated (${s.state.terminated.reason ?? ''})` : s.state?.running ? 'running' : 'unknown';
    return `${s.name} ${state}${s.ready ? ', ready' : ''}, ${s.restartCount ?? 0} restart(s)`;
  });
  return `${pod.metadata.name}: ${pod.status?.phase ?? 'Unknown'}${containers.length > 0 ? `; ${containers.join('; ')}` : ''}`;
}

export function formatEvent(event: KubeEvent): string {
  const at = eventTime(event);
  const when = at > 0 ? new Date(at).toISOString() : '';
  const count = (event.count ?? 1) > 1 ? ` (x${event.count ?? 1})` : '';
  return `${when} ${event.type ?? ''} ${event.reason ?? ''} ${event.involvedObject?.kind ?? ''}/${event.involvedObject?.name ?? ''}${count}: ${(event.message ?? '').replace(/\s+/g, ' ')}`.trim();
}
