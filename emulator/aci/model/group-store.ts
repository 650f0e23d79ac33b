/** The container groups of one emulator instance, in memory (secrets never leave this process). */
import type { RegistryAuth } from '../../docker/docker-engine';
import type { EventLog } from './event-log';
import type { ContainerGroupBody } from './group-model';
import { groupKey } from './group-model';
import type { GroupPhase, LastExit } from './instance-view';

export type ProvisioningState = 'Pending' | 'Creating' | 'Succeeded' | 'Failed';

export interface ContainerRuntime {
  dockerId?: string;
  events: EventLog;
  lastExit?: LastExit;
  lastStartTime?: string;
  /** Set while the emulator itself starts the container, so the engine's start event is not counted twice. */
  expectStart: boolean;
  /** Set while the emulator itself stops the container (no BackOff for that exit). */
  stopping: boolean;
}

export interface GroupRecord {
  resourceGroup: string;
  name: string;
  key: string;
  /** The accepted body, secrets included. Responses go through toResponseBody, which drops them. */
  body: ContainerGroupBody;
  location: string;
  address?: string;
  /** `<label>[.<hash>].<region>.azurecontainer.io`, fixed when the group is created (dns-names.ts). */
  fqdn?: string;
  provisioningState: ProvisioningState;
  phase: GroupPhase;
  /** The operation in flight (create, update, restart, start), if any. */
  operationId?: string | undefined;
  /** Bumped by every provisioning run, delete and stop; a run that sees another value gives up. */
  generation: number;
  containers: Map<string, ContainerRuntime>;
  faults: { crash: boolean; neverReady: boolean };
  /** Base of the Docker container names of this group. */
  dockerGroupName: string;
  systemPrincipalId: string;
  /** Pull credentials checked at the last PUT, reused by restart and start. */
  pullAuth: ReadonlyMap<string, RegistryAuth>;
  deleted: boolean;
}

export interface GroupStore {
  get(resourceGroup: string, name: string): GroupRecord | undefined;
  put(record: GroupRecord): void;
  remove(record: GroupRecord): void;
  all(): GroupRecord[];
  /** The record and container that own a Docker container id. */
  byDockerId(id: string): { record: GroupRecord; containerName: string; runtime: ContainerRuntime } | undefined;
}

export function createGroupStore(): GroupStore {
  const groups = new Map<string, GroupRecord>();
  return {
    get: (resourceGroup, name) => groups.get(groupKey(resourceGroup, name)),
    put(record) {
      groups.set(record.key, record);
    },
    remove(record) {
      if (groups.get(record.key) === record) groups.delete(record.key);
    },
    all: () => [...groups.values()].sort((a, b) => a.key.localeCompare(b.key)),
    byDockerId(id) {
      for (const record of groups.values()) {
        for (const [containerName, runtime] of record.containers) {
          if (runtime.dockerId === id) return { record, containerName, runtime };
        }
      }
      return undefined;
    },
  };
}
