/**
 * The local cluster's runtime started on its own (no API server): a store, the Docker runtime with
 * a local Azure's registries and a kubelet identity, and objects written as the API server would
 * store them (with Kubernetes' defaults). Lets the runtime be tested before and apart from the API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LocalAzure } from '../../../emulator/index';
import { dockerClusterRuntime } from '../../../emulator/kubernetes/runtime/docker-cluster-runtime';
import type { RunningClusterRuntime, RuntimeTimings } from '../../../emulator/kubernetes/runtime-contract';
import { createObjectStore, type NewKubeObject, type ObjectStore } from '../../../emulator/kubernetes/store/object-store';

export interface RuntimeFixture {
  store: ObjectStore;
  runtime: RunningClusterRuntime;
  prefix: string;
  errors: unknown[];
  stop(): Promise<void>;
}

export async function startRuntime(azure: LocalAzure, identityName: string, timings: Partial<RuntimeTimings> = {}): Promise<RuntimeFixture> {
  const identity = azure.userAssignedIdentities.find((candidate) => candidate.name === identityName);
  if (!identity) throw new Error(`No seeded identity '${identityName}'.`);
  const store = createObjectStore();
  store.create({ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const prefix = `${azure.instanceId}-${randomBytes(2).toString('hex')}`;
  const stateDirectory = await mkdtemp(join(tmpdir(), `lazure-${prefix}-aks-`));
  const errors: unknown[] = [];
  const runtime = await dockerClusterRuntime({ onError: (error) => errors.push(error) }).start({
    store,
    cluster: {
      name: 'aks-test',
      resourceGroup: 'rg-models',
      subscriptionId: azure.subscriptionId,
      location: 'westeurope',
      kubernetesVersion: '1.32.4',
      agentPools: [{ name: 'nodepool1', count: 2, vmSize: 'Standard_D2s_v3', nodeNames: ['aks-nodepool1-12345678-vmss000000', 'aks-nodepool1-12345678-vmss000001'] }],
      kubeletIdentity: { resourceId: identity.resourceId, clientId: identity.clientId, objectId: identity.principalId },
      dockerNamePrefix: prefix,
      dockerSocketPath: '/var/run/docker.sock',
      registryLoginServers: azure.registries.map((registry) => registry.loginServer),
      registryLogins: azure.registryLogins,
      faults: azure.faults,
      stateDirectory,
      timings,
    },
  });
  return {
    store,
    runtime,
    prefix,
    errors,
    async stop() {
      await runtime.stop();
      await rm(stateDirectory, { recursive: true, force: true });
    },
  };
}

const POD_SPEC_DEFAULTS = { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', securityContext: {} };
const CONTAINER_DEFAULTS = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent', resources: {} };

/** A Deployment as the API server stores it after defaulting. */
export function deployment(name: string, containers: Record<string, unknown>[], spec: Record<string, unknown> = {}): NewKubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...spec,
      template: {
        metadata: { labels: { app: name } },
        spec: { ...POD_SPEC_DEFAULTS, containers: containers.map((container) => ({ ...CONTAINER_DEFAULTS, ...container })) },
      },
    },
  };
}

export function loadBalancer(name: string, port: number, targetPort: number): NewKubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port, targetPort, protocol: 'TCP' }], clusterIP: '10.0.12.34', sessionAffinity: 'None', externalTrafficPolicy: 'Cluster' },
  };
}

export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutInMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutInMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
