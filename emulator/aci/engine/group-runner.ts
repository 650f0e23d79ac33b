/**
 * Runs a container group on the Docker engine: pull every image with the group's credentials,
 * create and start the containers, record the events; tear them down again.
 */
import type { DockerEngine, RegistryAuth } from '../../docker/docker-engine';
import { containerName, LABELS, planContainer } from './container-spec';
import { createEventLog } from '../model/event-log';
import type { ContainerRuntime, GroupRecord } from '../model/group-store';
import { prepareVolumeFolders } from './volume-folders';

export class ProvisioningError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProvisioningError';
  }
}

export interface GroupRunnerDeps {
  docker: DockerEngine;
  instanceId: string;
  stateDirectory: string;
  hostCpus: number;
  /** Host path of the exit-1 executable used by the containerCrash fault (written on first use). */
  crashExecutable(): string;
  /** False once the service is stopping. */
  isOpen(): boolean;
}

export interface GroupRunner {
  /** Resolves when every container started; rejects with ProvisioningError; returns early when superseded. */
  provision(record: GroupRecord, auth: ReadonlyMap<string, RegistryAuth>): Promise<void>;
  /** Removes the group's containers (its instance view goes with them, as in a stopped group). */
  teardown(record: GroupRecord): Promise<void>;
  /** Removes every container of this instance, and the image tags its pulls created. */
  removeAll(): Promise<void>;
}

export function createGroupRunner(deps: GroupRunnerDeps): GroupRunner {
  const { docker } = deps;
  const pulled = new Set<string>();

  async function teardown(record: GroupRecord): Promise<void> {
    for (const runtime of record.containers.values()) runtime.stopping = true;
    const ids = new Set(await docker.listContainers(LABELS.group, `${deps.instanceId}/${record.key}`));
    for (const runtime of record.containers.values()) if (runtime.dockerId) ids.add(runtime.dockerId);
    await Promise.all([...ids].map((id) => docker.removeContainer(id)));
  }

  return {
    async provision(record, auth) {
      const generation = record.generation;
      const current = (): boolean => deps.isOpen() && !record.deleted && record.generation === generation;
      await teardown(record);
      const properties = record.body.properties;
      const runtimes = new Map<string, ContainerRuntime>(
        properties.containers.map((c) => [c.name, { events: createEventLog(), expectStart: false, stopping: false }]),
      );
      record.containers = runtimes;
      const volumeFolders = prepareVolumeFolders(deps.stateDirectory, record.dockerGroupName, properties.volumes ?? []);

      for (const container of properties.containers) {
        const runtime = runtimes.get(container.name);
        const image = container.properties.image;
        runtime?.events.record('Pulling', `pulling image "${image}"`);
        try {
          pulled.add(image);
          await docker.pullImage(image, auth.get(image));
        } catch (error) {
          runtime?.events.record('Failed', `Failed to pull image "${image}": ${(error as Error).message}`, 'Warning');
          throw new ProvisioningError('InaccessibleImage', `The image '${image}' in container group '${record.name}' is not accessible. Please check the image and registry credential.`);
        }
        runtime?.events.record('Pulled', `Successfully pulled image "${image}"`);
        if (!current()) return;
      }

      let networkOwnerId: string | undefined;
      for (const container of properties.containers) {
        const runtime = runtimes.get(container.name);
        if (!runtime) continue;
        const body = planContainer({
          instanceId: deps.instanceId,
          groupKey: `${deps.instanceId}/${record.key}`,
          container,
          group: properties,
          address: record.address,
          networkOwnerId,
          volumeFolders,
          hostCpus: deps.hostCpus,
          publishPorts: !record.faults.neverReady,
          ...(record.faults.crash ? { crashExecutable: deps.crashExecutable() } : {}),
        });
        let id: string;
        try {
          id = await docker.createContainer(containerName(deps.instanceId, record.dockerGroupName, container.name), body);
        } catch (error) {
          throw new ProvisioningError('ContainerGroupDeploymentFailed', `Failed to create container '${container.name}': ${(error as Error).message}`);
        }
        runtime.dockerId = id;
        if (!current()) {
          await docker.removeContainer(id);
          return;
        }
        runtime.events.record('Created', `Created container ${container.name}`);
        runtime.expectStart = true;
        try {
          await docker.startContainer(id);
        } catch (error) {
          runtime.events.record('Failed', `Error: failed to start container "${container.name}": ${(error as Error).message}`, 'Warning');
          throw new ProvisioningError('ContainerGroupDeploymentFailed', `Failed to start container '${container.name}': ${(error as Error).message}`);
        }
        runtime.events.record('Started', `Started container ${container.name}`);
        networkOwnerId ??= id;
      }
    },
    teardown,
    async removeAll() {
      const ids = await docker.listContainers(LABELS.instance, deps.instanceId);
      await Promise.all(ids.map((id) => docker.removeContainer(id)));
      for (const image of pulled) await docker.removeImage(image).catch(() => undefined);
    },
  };
}
