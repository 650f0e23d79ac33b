/**
 * Where a container group stands, from its provisioning state and instance view (pure).
 * `failed` is final: the wait stops and the task explains. `waiting` means poll again.
 */
import type { Container, ContainerGroup, Event } from '@azure/arm-containerinstance';

export type GroupState =
  | { kind: 'running' }
  | { kind: 'waiting'; reason: string }
  | { kind: 'failed'; reason: string; hint: string };

export interface StateBaseline {
  /** Restart counts seen before this deployment (an unchanged group keeps its history); default 0. */
  restartCounts?: Readonly<Record<string, number>>;
}

const PULL_FAILURE = /ErrImagePull|ImagePullBackOff|InaccessibleImage|Failed to pull image|pull access denied|unauthorized|manifest unknown|not found/i;

export function evaluateGroupState(group: ContainerGroup, baseline: StateBaseline = {}): GroupState {
  for (const container of group.containers) {
    const failure = containerFailure(container, baseline.restartCounts?.[container.name] ?? 0);
    if (failure) return failure;
  }
  const provisioning = group.provisioningState ?? 'Unknown';
  if (/^failed$/i.test(provisioning)) {
    const events = (group.instanceView?.events ?? []).map((e) => `${e.name ?? 'event'}: ${e.message ?? ''}`.trim());
    return {
      kind: 'failed',
      reason: `Provisioning of container group '${group.name ?? ''}' failed${events.length > 0 ? ` (${events.join('; ')})` : ''}.`,
      hint: 'Check the events above: volume mounts, subnet delegation, quota and the image must all be valid in the location.',
    };
  }
  if (/^(stopped)$/i.test(group.instanceView?.state ?? '')) {
    return {
      kind: 'failed',
      reason: `Container group '${group.name ?? ''}' is stopped.`,
      hint: "Start it (az container start) or redeploy with 'updateMode: alwaysRecreate'.",
    };
  }
  if (!/^succeeded$/i.test(provisioning)) return { kind: 'waiting', reason: `provisioning is ${provisioning}` };
  const notRunning = group.containers.filter((c) => c.instanceView?.currentState?.state !== 'Running');
  if (notRunning.length > 0) {
    const described = notRunning.map((c) => `'${c.name}' is ${c.instanceView?.currentState?.state ?? 'not started'}${detail(c)}`);
    return { kind: 'waiting', reason: described.join(', ') };
  }
  return { kind: 'running' };
}

function containerFailure(container: Container, baselineRestarts: number): GroupState | undefined {
  const view = container.instanceView;
  if (view === undefined) return undefined;
  const current = view.currentState;
  const name = container.name;
  const exit = (state: typeof current): string => (state?.exitCode !== undefined ? `exit code ${state.exitCode}` : 'no exit code');
  if (/CrashLoopBackOff/i.test(current?.detailStatus ?? '')) {
    return {
      kind: 'failed',
      reason: `Container '${name}' keeps crashing (CrashLoopBackOff: ${view.restartCount ?? 0} restarts, last ${exit(view.previousState ?? current)}).`,
      hint: "Its log lines above show why it exits: a missing model file, a wrong 'command', a missing environment variable or too little memory are the usual causes.",
    };
  }
  if (current?.state === 'Terminated') {
    return {
      kind: 'failed',
      reason: `Container '${name}' terminated (${exit(current)}${current.detailStatus ? `, ${current.detailStatus}` : ''}).`,
      hint: `A model server must keep running: check its log lines above${current.exitCode === 137 ? "; exit code 137 usually means it ran out of memory: raise 'memoryInGB'" : ''}.`,
    };
  }
  if ((view.restartCount ?? 0) > baselineRestarts && view.previousState?.state === 'Terminated') {
    return {
      kind: 'failed',
      reason: `Container '${name}' restarted ${(view.restartCount ?? 0) - baselineRestarts} time(s) after this deployment (last ${exit(view.previousState)}${view.previousState.detailStatus ? `, ${view.previousState.detailStatus}` : ''}).`,
      hint: 'Its log lines above show why it exits; a failing liveness probe also restarts it (give the model time to load with the probe\'s initial delay).',
    };
  }
  const pullEvent = (view.events ?? []).find((e) => isPullFailure(e));
  if (current?.state !== 'Running' && (pullEvent || PULL_FAILURE.test(current?.detailStatus ?? ''))) {
    return {
      kind: 'failed',
      reason: `The image of container '${name}' (${container.image}) cannot be pulled: ${pullEvent?.message ?? current?.detailStatus ?? ''}`.trim(),
      hint: "Check that the image reference exists in the registry and that 'registryAuth' gives ACI lasting pull rights (AcrPull for the identity or service principal, or the admin user).",
    };
  }
  return undefined;
}

function isPullFailure(event: Event): boolean {
  return /^(Failed|BackOff|ErrImagePull|ImagePullBackOff|InaccessibleImage)$/i.test(event.name ?? '') && /pull|image/i.test(event.message ?? '');
}

function detail(container: Container): string {
  const status = container.instanceView?.currentState?.detailStatus;
  return status ? ` (${status})` : '';
}

/** Restart counts now, as the baseline for a group this deployment does not change. */
export function restartCountsOf(group: ContainerGroup): Record<string, number> {
  return Object.fromEntries(group.containers.map((c) => [c.name, c.instanceView?.restartCount ?? 0]));
}
