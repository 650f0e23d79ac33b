/**
 * Follows the engine's container events for this instance: restarts become Started events, exits
 * are remembered (exit code, times) for previousState, and an exit the restart policy will follow
 * with a restart becomes a BackOff event, as in Azure's crash loops.
 */
import type { DockerEngine, DockerEvent } from '../../docker/docker-engine';
import { LABELS } from './container-spec';
import { isoSeconds } from '../model/event-log';
import type { GroupStore } from '../model/group-store';
import { restartPolicyOf } from '../model/group-model';

export function followEngineEvents(docker: DockerEngine, instanceId: string, store: GroupStore): () => void {
  return docker.watchEvents(LABELS.instance, instanceId, (event) => onEvent(store, event));
}

export function onEvent(store: GroupStore, event: DockerEvent): void {
  const owner = store.byDockerId(event.Actor.ID);
  if (!owner) return;
  const { record, containerName, runtime } = owner;
  const at = isoSeconds(new Date(Math.floor(event.timeNano / 1e6)));
  if (event.Action === 'start') {
    runtime.lastStartTime = at;
    if (runtime.expectStart) runtime.expectStart = false;
    else runtime.events.record('Started', `Started container ${containerName}`);
  } else if (event.Action === 'die') {
    const exitCode = Number(event.Actor.Attributes.exitCode ?? '0');
    runtime.lastExit = { exitCode, finishTime: at, ...(runtime.lastStartTime ? { startTime: runtime.lastStartTime } : {}) };
    const policy = restartPolicyOf(record.body.properties);
    const restarts = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
    if (!runtime.stopping && restarts) {
      // Azure's crash loops show the kill of the dead container before each back-off.
      runtime.events.record('Killing', `Killing container with id ${event.Actor.ID.slice(0, 12)}.`);
      runtime.events.record('BackOff', 'Back-off restarting failed container', 'Warning');
    }
  }
}
