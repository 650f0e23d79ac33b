/**
 * A pod's status as the kubelet reports it (kubelet_pods.go generateAPIPodStatus, getPhase,
 * status/generate.go): container states from the runtime records, the phase, and the conditions
 * PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled, whose transition
 * times only move when their status changes. Pure.
 */
import type { Condition, ContainerStateView, ContainerStatus, Pod, PodStatus } from '../kube-types';
import { qosClass } from './container-plan';

export interface Termination {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID: string;
}

export interface ContainerView {
  name: string;
  image: string;
  imageID: string;
  restartCount: number;
  /** The current container: running, exited (not restarted yet), or none. */
  running?: { startedAt: string; containerID: string } | undefined;
  exited?: Termination | undefined;
  /** Why it is not running, when the kubelet decided so (CrashLoopBackOff, ErrImagePull, ...). */
  waiting?: { reason: string; message?: string } | undefined;
  lastTermination?: Termination;
  ready: boolean;
  started: boolean;
}

export interface PodView {
  scheduled: boolean;
  sandboxReady: boolean;
  podIP?: string;
  hostIP?: string;
  startTime?: string;
  containers: ContainerView[];
}

function terminated(termination: Termination): ContainerStateView {
  return { terminated: { ...termination } };
}

export function containerStatus(view: ContainerView): ContainerStatus {
  let state: ContainerStateView;
  let lastState: ContainerStateView = view.lastTermination ? terminated(view.lastTermination) : {};
  let containerID: string | undefined;
  if (view.waiting) {
    state = { waiting: { ...view.waiting } };
    if (view.exited) lastState = terminated(view.exited);
    containerID = view.exited?.containerID ?? view.lastTermination?.containerID;
  } else if (view.running) {
    state = { running: { startedAt: view.running.startedAt } };
    containerID = view.running.containerID;
  } else if (view.exited) {
    state = terminated(view.exited);
    containerID = view.exited.containerID;
  } else {
    state = { waiting: { reason: 'ContainerCreating' } };
  }
  return {
    name: view.name,
    state,
    lastState,
    ready: view.ready,
    restartCount: view.restartCount,
    image: view.image,
    imageID: view.imageID,
    ...(containerID ? { containerID } : {}),
    started: view.started && state.running !== undefined,
  };
}

/** getPhase for the pod's regular containers. */
export function podPhase(pod: Pod, statuses: readonly ContainerStatus[]): NonNullable<PodStatus['phase']> {
  const policy = pod.spec.restartPolicy ?? 'Always';
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const status of statuses) {
    if (status.state.running) running++;
    else if (status.state.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.state.waiting) {
      if (status.lastState.terminated) stopped++;
      else waiting++;
    }
  }
  if (statuses.length < pod.spec.containers.length || waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    return policy === 'Never' ? 'Failed' : 'Running';
  }
  return 'Pending';
}

function condition(previous: readonly Condition[], type: string, ok: boolean, now: string, reason?: string, message?: string): Condition {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  const lastTransitionTime = before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : now;
  return { type, status, lastProbeTime: null, lastTransitionTime, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

export function podStatus(pod: Pod, view: PodView, now: string): PodStatus {
  const previous = pod.status?.conditions ?? [];
  if (!view.scheduled) return { phase: 'Pending', conditions: previous, qosClass: qosClass(pod) };
  const statuses = view.containers.map(containerStatus);
  const phase = podPhase(pod, statuses);
  const notReady = statuses.filter((status) => !status.ready).map((status) => status.name);
  const finished = phase === 'Succeeded' || phase === 'Failed';
  const containersReady = notReady.length === 0 && statuses.length > 0;
  const unreadyMessage = `containers with unready status: [${notReady.join(' ')}]`;
  const conditions = [
    condition(previous, 'PodReadyToStartContainers', view.sandboxReady && !finished, now),
    condition(previous, 'Initialized', true, now),
    condition(previous, 'Ready', containersReady && !finished, now, containersReady ? (finished ? 'PodCompleted' : undefined) : 'ContainersNotReady', containersReady ? undefined : unreadyMessage),
    condition(previous, 'ContainersReady', containersReady && !finished, now, containersReady ? (finished ? 'PodCompleted' : undefined) : 'ContainersNotReady', containersReady ? undefined : unreadyMessage),
    condition(previous, 'PodScheduled', true, now),
  ];
  return {
    phase,
    conditions,
    ...(view.hostIP ? { hostIP: view.hostIP, hostIPs: [{ ip: view.hostIP }] } : {}),
    ...(view.podIP ? { podIP: view.podIP, podIPs: [{ ip: view.podIP }] } : {}),
    ...(view.startTime ? { startTime: view.startTime } : {}),
    containerStatuses: statuses,
    qosClass: qosClass(pod),
  };
}
