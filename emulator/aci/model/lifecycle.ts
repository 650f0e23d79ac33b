/**
 * Runs a provisioning operation (create, update, restart, start) in the background and walks its
 * status Pending -> Creating -> Succeeded or Failed; computes the live instance view.
 */
import type { AciState } from '../aci-state';
import type { RegistryAuth } from '../../docker/docker-engine';
import type { GroupRecord } from './group-store';
import { groupResourceId, restartPolicyOf } from './group-model';
import { containerInstanceView, groupState, type ContainerInstanceView, type LiveView } from './instance-view';
import { ProvisioningError } from '../engine/group-runner';
import type { Operation } from './operations';

export interface OperationOptions {
  auth: ReadonlyMap<string, RegistryAuth>;
  /** operationFailed fault: the operation ends Failed after the containers were pulled and created. */
  failOperation: boolean;
}

export function startProvisioning(state: AciState, record: GroupRecord, options: OperationOptions): Operation {
  const operation = state.operations.start(record.resourceGroup, record.location, record.key, groupResourceId(state.ctx.subscriptionId, record.resourceGroup, record.name));
  record.generation += 1;
  const generation = record.generation;
  record.operationId = operation.id;
  record.provisioningState = 'Pending';
  record.phase = 'provisioning';
  const superseded = (): boolean => record.generation !== generation || record.deleted;
  const work = (async () => {
    await new Promise((resolve) => setImmediate(resolve));
    // Realistic timing: Azure leaves the operation Pending (polls answer Pending, no events) before it creates.
    await waitWhilePending(state.ctx.timing?.pendingInMs ?? 0, superseded);
    if (superseded()) {
      state.operations.setStatus(operation.id, 'Canceled');
      return;
    }
    state.operations.setStatus(operation.id, 'Creating');
    record.provisioningState = 'Creating';
    state.prober.unwatch(record);
    try {
      await state.runner.provision(record, options.auth);
      if (superseded()) return;
      if (options.failOperation) {
        throw new ProvisioningError('ContainerGroupDeploymentFailed', `The container group '${record.name}' failed to deploy (injected fault 'operationFailed').`);
      }
      state.operations.setStatus(operation.id, 'Succeeded');
      record.provisioningState = 'Succeeded';
      record.phase = 'running';
      state.prober.watch(record);
    } catch (error) {
      if (superseded()) return;
      const code = error instanceof ProvisioningError ? error.code : 'InternalServerError';
      state.operations.setStatus(operation.id, 'Failed', { code, message: (error as Error).message });
      record.provisioningState = 'Failed';
      record.phase = 'failed';
    } finally {
      if (record.operationId === operation.id) record.operationId = undefined;
      if (superseded()) state.operations.setStatus(operation.id, 'Canceled');
    }
  })();
  state.inFlight.add(work);
  void work.finally(() => state.inFlight.delete(work));
  return operation;
}

export async function liveView(state: AciState, record: GroupRecord): Promise<LiveView> {
  const containers = new Map<string, ContainerInstanceView>();
  if (record.phase !== 'stopped') {
    for (const container of record.body.properties.containers) {
      const runtime = record.containers.get(container.name);
      if (!runtime) continue;
      const inspect = runtime.dockerId ? await state.docker.inspectContainer(runtime.dockerId) : undefined;
      containers.set(container.name, containerInstanceView(inspect, runtime.lastExit, runtime.events.list()));
    }
  }
  return { containers, state: groupState(record.phase, restartPolicyOf(record.body.properties), [...containers.values()]) };
}

/** Sleeps `pendingInMs`, waking early when the operation is superseded (a delete, a newer PUT, stop). */
async function waitWhilePending(pendingInMs: number, superseded: () => boolean): Promise<void> {
  const until = Date.now() + pendingInMs;
  while (Date.now() < until && !superseded()) await new Promise((resolve) => setTimeout(resolve, Math.min(100, until - Date.now())));
}
