/**
 * Microsoft.ContainerInstance for the local Azure, backed by the Docker engine: container groups
 * run as real containers. `createAciService(ctx)` returns the routes and a stop that removes every
 * container this instance created.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { HostedService, ServiceContext } from '../core/service-context';
import type { AciState } from './aci-state';
import { writeExitOneExecutable } from '../docker/static-executable';
import { createDockerEngine } from '../docker/docker-engine';
import { followEngineEvents } from './engine/engine-events';
import { createGroupRunner } from './engine/group-runner';
import { groupResourceId } from './model/group-model';
import { createGroupStore } from './model/group-store';
import { createLocalDns } from './engine/local-dns';
import { createLoopbackAllocator } from '../docker/loopback-addresses';
import { createOperationStore } from './model/operations';
import { createProber } from './engine/probes';
import { createAciRoutes } from './http/arm-routes';

export interface AciServiceOptions {
  /** Groups per page of list replies (default 100). */
  pageSize?: number;
}

export async function createAciService(ctx: ServiceContext, options: AciServiceOptions = {}): Promise<HostedService> {
  const docker = createDockerEngine(ctx.dockerSocketPath);
  const info = await docker.info();
  let open = true;
  let crashExecutable: string | undefined;
  const store = createGroupStore();
  const runner = createGroupRunner({
    docker,
    instanceId: ctx.instanceId,
    stateDirectory: ctx.stateDirectory,
    hostCpus: info.NCPU,
    crashExecutable() {
      if (!crashExecutable) {
        const folder = join(ctx.stateDirectory, 'aci');
        mkdirSync(folder, { recursive: true });
        crashExecutable = join(folder, 'exit-1');
        writeExitOneExecutable(crashExecutable);
      }
      return crashExecutable;
    },
    isOpen: () => open,
  });
  const state: AciState = {
    ctx,
    docker,
    store,
    operations: createOperationStore(),
    runner,
    prober: createProber(docker),
    loopback: createLoopbackAllocator(),
    dns: createLocalDns(ctx.instanceId),
    pageSize: options.pageSize ?? 100,
    inFlight: new Set(),
  };
  // Lines left by instances that died without stopping go now, not at this instance's first group.
  state.dns.clear();
  const stopFollowing = followEngineEvents(docker, ctx.instanceId, store);
  return {
    routes: createAciRoutes(state),
    resources: () =>
      store.all().map((record) => ({
        id: groupResourceId(ctx.subscriptionId, record.resourceGroup, record.name),
        name: record.name,
        type: 'Microsoft.ContainerInstance/containerGroups',
        location: record.location,
        ...(record.body.tags ? { tags: record.body.tags } : {}),
      })),
    async stop() {
      open = false;
      stopFollowing();
      state.prober.stopAll();
      for (const record of store.all()) record.generation += 1;
      await runner.removeAll();
      await Promise.allSettled([...state.inFlight]);
      await runner.removeAll();
      state.dns.clear();
    },
  };
}
