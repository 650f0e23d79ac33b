/**
 * The instance view (container states, restart count, events; group state) computed from what the
 * Docker engine reports (pure).
 */
import type { DockerContainerInspect } from '../../docker/docker-engine';
import type { AciEvent } from './event-log';
import { isoSeconds } from './event-log';
import type { RestartPolicy } from './group-model';

export interface ContainerState {
  state: 'Waiting' | 'Running' | 'Terminated';
  startTime?: string | undefined;
  finishTime?: string;
  exitCode?: number;
  detailStatus: string;
}

export interface ContainerInstanceView {
  restartCount: number;
  currentState: ContainerState;
  previousState?: ContainerState;
  events: AciEvent[];
}

/** The last exit the engine reported for the container (from its 'die' events). */
/** What the engine shows of a group right now: each container's view and the group's state. */
export interface LiveView {
  containers: Map<string, ContainerInstanceView>;
  state: string;
}

export interface LastExit {
  exitCode: number;
  startTime?: string;
  finishTime: string;
}

export const CRASH_LOOP_STATUS = 'CrashLoopBackOff: Back-off restarting failed';

export function containerInstanceView(inspect: DockerContainerInspect | undefined, lastExit: LastExit | undefined, events: AciEvent[]): ContainerInstanceView {
  if (!inspect) return { restartCount: 0, currentState: { state: 'Waiting', detailStatus: '' }, events };
  const state = inspect.State;
  const previousState = lastExit ? terminated(lastExit.exitCode, lastExit.startTime, lastExit.finishTime) : undefined;
  const view = (currentState: ContainerState): ContainerInstanceView => ({
    restartCount: inspect.RestartCount,
    currentState,
    ...(previousState && inspect.RestartCount > 0 ? { previousState } : {}),
    events,
  });
  if (state.Restarting || state.Status === 'restarting') {
    return view({ state: 'Waiting', detailStatus: CRASH_LOOP_STATUS, ...(lastExit ? { startTime: lastExit.finishTime } : {}) });
  }
  if (state.Running) return view({ state: 'Running', startTime: engineTime(state.StartedAt), detailStatus: '' });
  if (state.Status === 'exited' || state.Status === 'dead') {
    return view(terminated(state.ExitCode, engineTime(state.StartedAt), engineTime(state.FinishedAt) ?? isoSeconds(new Date())));
  }
  return view({ state: 'Waiting', detailStatus: '' });
}

function terminated(exitCode: number, startTime: string | undefined, finishTime: string): ContainerState {
  return {
    state: 'Terminated',
    ...(startTime ? { startTime } : {}),
    exitCode,
    finishTime,
    detailStatus: exitCode === 0 ? 'Completed' : 'Error',
  };
}

/** Docker's '0001-01-01T00:00:00Z' means "never"; fractions are dropped as Azure does. */
export function engineTime(value: string | undefined): string | undefined {
  if (!value || value.startsWith('0001-')) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : isoSeconds(date);
}

export type GroupPhase = 'provisioning' | 'failed' | 'running' | 'stopped';

/** The group's instanceView.state: Pending, Running, Stopped, Succeeded or Failed. */
export function groupState(phase: GroupPhase, restartPolicy: RestartPolicy, containers: ContainerInstanceView[]): string {
  if (phase === 'stopped') return 'Stopped';
  if (phase === 'provisioning') return 'Pending';
  if (phase === 'failed') return 'Failed';
  if (containers.some((c) => c.currentState.state !== 'Terminated')) return 'Running';
  if (restartPolicy === 'Always') return 'Running';
  return containers.every((c) => c.currentState.exitCode === 0) ? 'Succeeded' : 'Failed';
}
