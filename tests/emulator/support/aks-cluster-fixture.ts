/**
 * A local Kubernetes cluster (API server + the Docker runtime) for the kubectl and client-node tests,
 * with the local admin's client certificate in a kubeconfig of its own, and `kubectl` (Debian's
 * kubernetes-client) run with it: argument arrays, no shell.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalAzure } from '../../../emulator/index';
import { startKubernetesCluster, type KubernetesCluster } from '../../../emulator/kubernetes/cluster';
import { dockerClusterRuntime } from '../../../emulator/kubernetes/runtime/docker-cluster-runtime';
import type { RuntimeTimings } from '../../../emulator/kubernetes/runtime-contract';

export interface ClusterFixture {
  cluster: KubernetesCluster;
  prefix: string;
  kubeconfigPath: string;
  errors: unknown[];
  kubectl(args: string[], options?: { input?: string; timeoutInMs?: number }): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function startClusterFixture(azure: LocalAzure, kubeletIdentityName: string, timings: Partial<RuntimeTimings> = {}): Promise<ClusterFixture> {
  const identity = azure.userAssignedIdentities.find((candidate) => candidate.name === kubeletIdentityName);
  if (!identity) throw new Error(`No seeded identity '${kubeletIdentityName}'.`);
  const prefix = `${azure.instanceId}-${randomBytes(2).toString('hex')}`;
  const folder = await mkdtemp(join(tmpdir(), `lazure-${prefix}-kube-`));
  const errors: unknown[] = [];
  const cluster = await startKubernetesCluster({
    info: {
      name: 'aks-runtime-test',
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
      stateDirectory: join(folder, 'cluster'),
      timings,
    },
    fqdn: 'aks-runtime-test-dns-12345678.hcp.westeurope.azmk8s.io',
    localAccounts: true,
    runtime: dockerClusterRuntime({ onError: (error) => errors.push(error) }),
    faults: azure.faults,
  });
  const kubeconfigPath = join(folder, 'kubeconfig');
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  await writeFile(
    kubeconfigPath,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: local',
      '  cluster:',
      `    server: ${cluster.server}`,
      `    certificate-authority-data: ${b64(cluster.caCertificatePem)}`,
      'users:',
      '- name: admin',
      '  user:',
      `    client-certificate-data: ${b64(cluster.adminCredential.certificatePem)}`,
      `    client-key-data: ${b64(cluster.adminCredential.privateKeyPem)}`,
      'contexts:',
      '- name: local',
      '  context: {cluster: local, user: admin, namespace: default}',
      'current-context: local',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return {
    cluster,
    prefix,
    kubeconfigPath,
    errors,
    kubectl(args, options = {}) {
      return new Promise((resolve) => {
        const child = execFile(
          'kubectl',
          args,
          { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: folder, KUBECONFIG: kubeconfigPath }, timeout: options.timeoutInMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
        );
        if (options.input !== undefined) child.stdin?.end(options.input);
      });
    },
    async stop() {
      await cluster.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
