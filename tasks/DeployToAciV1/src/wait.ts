/**
 * Waits, under one deadline, until every container of the group runs (and its readiness path answers,
 * when a readiness probe is set and the address is public). Resource Manager is polled gently; between
 * polls the group's address is watched, so a container that starts answering is noticed within
 * a fraction of a second and confirmed with one more poll. Once Azure says the group runs and its
 * address answers, the readiness path itself is asked at most every `readinessWatchIntervalInMs`:
 * its first 2xx/3xx confirms the group at once.
 */
import type { ContainerGroup } from '@azure/arm-containerinstance';
import type { Clock, Deadline } from '../../common/deadline';
import type { TaskLog } from '../../common/task-runtime';
import type { AciClient } from './aci-client';
import { type GroupState, type StateBaseline, evaluateGroupState } from './group-state';
import type { ProbeInputs } from './input-types';
import type { Reachability } from './reachability';

export interface WaitDeps {
  aci: AciClient;
  clock: Clock;
  log: TaskLog;
  reachability: Reachability;
}

export interface WaitRequest {
  resourceGroup: string;
  name: string;
  deadline: Deadline;
  baseline: StateBaseline;
  readinessProbe?: ProbeInputs;
  /** The group as just read (a deployment that changed nothing): the first poll uses it instead of asking again. */
  initial?: ContainerGroup;
  /** A wait before the first poll: right after a PUT the group is Pending, so asking at once tells nothing. */
  firstPollDelayInMs?: number;
  /** Delay before the n-th poll (n from 0); default 1 s growing to 5 s. */
  pollIntervalInMs?: (poll: number) => number;
  /** How often the address is watched between polls. */
  watchIntervalInMs?: number;
  /** How often the readiness path is asked between polls once the group runs and answers (bounds the request rate). */
  readinessWatchIntervalInMs?: number;
  /** Running for this long without answering on its address: accepted (the agent may not reach the address). */
  unansweredGraceInMs?: number;
  /** A group without an address counts as running once it has stayed up this long. */
  settleInMs?: number;
  /** Told each new reason for waiting (e.g. for the cancellation line: what state the group was left in). */
  onWaiting?: (reason: string) => void;
}

export interface WaitResult {
  group?: ContainerGroup;
  state: GroupState;
  timedOut: boolean;
  polls: number;
}

export const defaultPollInterval = (poll: number): number => Math.min(5000, 1000 + 250 * poll);

export async function waitForGroup(request: WaitRequest, deps: WaitDeps): Promise<WaitResult> {
  const interval = request.pollIntervalInMs ?? defaultPollInterval;
  const watchEvery = request.watchIntervalInMs ?? 250;
  const readinessWatchEvery = request.readinessWatchIntervalInMs ?? 100;
  let lastReason = '';
  let wasAnswering: boolean | undefined;
  let runningSince: number | undefined;
  if (request.initial === undefined && request.firstPollDelayInMs !== undefined) await request.deadline.sleep(request.firstPollDelayInMs);
  for (let poll = 0; ; poll++) {
    const group = poll === 0 && request.initial !== undefined ? request.initial : await deps.aci.get(request.resourceGroup, request.name);
    const evaluated: GroupState = group ? evaluateGroupState(group, request.baseline) : { kind: 'waiting', reason: 'the group is not visible yet' };
    if (evaluated.kind === 'failed') return { ...(group ? { group } : {}), state: evaluated, timedOut: false, polls: poll + 1 };
    let state: Extract<GroupState, { kind: 'waiting' }>;
    let readyUrl: string | undefined;
    if (evaluated.kind === 'running' && group) {
      runningSince ??= deps.clock.now();
      const confirmation = await confirmRunning(group, request, deps, deps.clock.now() - runningSince);
      if (confirmation.confirmed) {
        if (confirmation.note && confirmation.warn) deps.log.warning(confirmation.note);
        else if (confirmation.note) deps.log.info(confirmation.note);
        return { group, state: evaluated, timedOut: false, polls: poll + 1 };
      }
      state = { kind: 'waiting', reason: confirmation.reason };
      readyUrl = confirmation.readyUrl;
    } else {
      runningSince = undefined;
      state = evaluated.kind === 'waiting' ? evaluated : { kind: 'waiting', reason: 'the group is not visible yet' };
    }
    if (state.reason !== lastReason) {
      deps.log.info(`Waiting: ${state.reason}.`);
      lastReason = state.reason;
      request.onWaiting?.(state.reason);
    }
    if (request.deadline.expired()) return { ...(group ? { group } : {}), state, timedOut: true, polls: poll + 1 };

    // Sleep until the next poll, but wake early when the address starts answering, and confirm at once
    // when the readiness path of a running group answers.
    const address = group ? addressOf(group) : undefined;
    const wakeAt = deps.clock.now() + interval(poll);
    while (deps.clock.now() < wakeAt && !request.deadline.expired()) {
      if (readyUrl !== undefined && group && evaluated.kind === 'running') {
        await request.deadline.sleep(Math.min(readinessWatchEvery, Math.max(0, wakeAt - deps.clock.now())));
        if (await deps.reachability.ready(readyUrl)) return { group, state: evaluated, timedOut: false, polls: poll + 1 };
        continue;
      }
      if (address) {
        const answering = await deps.reachability.answers(address.host, address.port);
        const started = answering && wasAnswering === false;
        wasAnswering = answering;
        if (started) break;
      }
      await request.deadline.sleep(Math.min(watchEvery, Math.max(0, wakeAt - deps.clock.now())));
    }
  }
}

/** `readyUrl`: the readiness path to watch until the next poll (the group runs and its address answers). */
type Confirmation = { confirmed: true; note?: string; warn?: boolean } | { confirmed: false; reason: string; readyUrl?: string };

/**
 * Azure says every container runs; a container that crashes right after starting says so too for a
 * moment. Confirmed when the address answers (and the readiness path, with a readiness probe on an
 * address the agent can reach). Where the agent cannot check readiness itself, ACI's own probe decides:
 * a recent "Readiness probe failed" event means not ready. An address the agent cannot reach is given
 * a grace period; a group without an address must stay up.
 */
async function confirmRunning(group: ContainerGroup, request: WaitRequest, deps: WaitDeps, runningForInMs: number): Promise<Confirmation> {
  const probe = request.readinessProbe;
  const failing = probe ? failingReadiness(group, probe, deps.clock.now()) : undefined;
  // With a readiness probe, wait until ACI has probed at least once before trusting the absence of failures.
  const firstProbeInMs = probe ? (probe.initialDelaySeconds + probe.periodSeconds) * 1000 + 2000 : 0;
  const address = addressOf(group);
  if (address === undefined) {
    const settleInMs = Math.max(request.settleInMs ?? 5000, firstProbeInMs);
    if (failing) return { confirmed: false, reason: `running; ${failing}` };
    return runningForInMs >= settleInMs ? { confirmed: true } : { confirmed: false, reason: `running; checking that it stays up for ${Math.round(settleInMs / 1000)} s` };
  }
  const answers = await deps.reachability.answers(address.host, address.port);
  const readyUrl = readinessUrl(group, probe);
  if (answers && readyUrl !== undefined) {
    return (await deps.reachability.ready(readyUrl)) ? { confirmed: true } : { confirmed: false, reason: `running; the readiness path ${readyUrl} does not answer 2xx/3xx yet`, readyUrl };
  }
  if (failing) return { confirmed: false, reason: `running; ${failing}` };
  if (probe && runningForInMs < firstProbeInMs) return { confirmed: false, reason: "running; waiting for ACI's readiness probe to run" };
  if (answers) return { confirmed: true };
  const graceInMs = Math.max(request.unansweredGraceInMs ?? 30_000, firstProbeInMs);
  if (runningForInMs >= graceInMs) {
    // Without a readiness probe nothing says the model serves: a container that never listens would pass.
    return {
      confirmed: true,
      warn: probe === undefined,
      note:
        `Azure reports every container running for ${Math.round(runningForInMs / 1000)} s, but ${address.host}:${address.port} does not answer from this agent (a firewall, a private network, or a server still loading).` +
        (probe === undefined ? " Set 'readinessProbePath' so that Azure (and this task) check that the model serves before the deployment counts as done." : ''),
    };
  }
  return { confirmed: false, reason: `running; ${address.host}:${address.port} does not answer yet` };
}

/** "the readiness probe of container 'x' fails (...)" when ACI reported a failed readiness probe within the last two periods. */
export function failingReadiness(group: ContainerGroup, probe: ProbeInputs, nowInMs: number): string | undefined {
  const windowInMs = (2 * probe.periodSeconds + 5) * 1000;
  for (const container of group.containers) {
    const recent = (container.instanceView?.events ?? []).find((event) => {
      const at = event.lastTimestamp ?? event.firstTimestamp;
      return /^Unhealthy$/i.test(event.name ?? '') && /readiness probe failed/i.test(event.message ?? '') && at !== undefined && nowInMs - new Date(at).getTime() <= windowInMs;
    });
    if (recent) return `the readiness probe of container '${container.name}' fails (${(recent.message ?? '').replace(/\s+/g, ' ').slice(0, 200)})`;
  }
  return undefined;
}

/** The group's IP and first TCP port, when it has them. */
export function addressOf(group: ContainerGroup): { host: string; port: number } | undefined {
  const ip = group.ipAddress?.ip;
  const port = group.ipAddress?.ports.find((p) => (p.protocol ?? 'TCP').toUpperCase() === 'TCP')?.port;
  return ip && port ? { host: ip, port } : undefined;
}

/**
 * Where the agent can check readiness itself: only a public address is reachable from an agent, and
 * only on a port the group opens (ACI probes inside the group, so a probe port need not be opened).
 */
export function readinessUrl(group: ContainerGroup, probe: ProbeInputs | undefined): string | undefined {
  if (probe === undefined || group.ipAddress?.type !== 'Public' || !group.ipAddress.ip) return undefined;
  if (!group.ipAddress.ports.some((p) => p.port === probe.port && (p.protocol ?? 'TCP').toUpperCase() === 'TCP')) return undefined;
  const host = group.ipAddress.ip.includes(':') ? `[${group.ipAddress.ip}]` : group.ipAddress.ip;
  return `http://${host}:${probe.port}${probe.path}`;
}
