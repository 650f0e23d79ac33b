/**
 * A local Azure whose AKS clusters run workloads on the Docker runtime (with the timings a test
 * wants), and Debian's kubectl against the seeded local-accounts cluster `aks-models-local` with its
 * admin kubeconfig, as `az aks get-credentials --admin` would give it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalAzure, type LocalAzure } from '../../../emulator/index';
import { dockerClusterRuntime } from '../../../emulator/kubernetes/runtime/docker-cluster-runtime';
import type { RuntimeTimings } from '../../../emulator/kubernetes/runtime-contract';
import { ensureDebianKubectl, runKubectl, type KubectlResult } from '../../support/debian-kubectl';

export interface ClusterFixture {
  azure: LocalAzure;
  kubectl(args: string[], options?: { input?: string; timeoutInMs?: number }): Promise<KubectlResult>;
  stop(): Promise<void>;
}

export async function startClusterFixture(timings: Partial<RuntimeTimings> = {}): Promise<ClusterFixture> {
  await ensureDebianKubectl();
  const azure = await startLocalAzure({ kubernetesRuntime: dockerClusterRuntime({ timings }) });
  const folder = await mkdtemp(join(tmpdir(), `lazure-${azure.instanceId}-kubectl-`));
  try {
    const cluster = azure.clusters.find((candidate) => candidate.name === 'aks-models-local');
    const kubeconfig = cluster?.adminKubeconfig();
    if (!kubeconfig) throw new Error('The seeded cluster aks-models-local has no admin kubeconfig.');
    const kubeconfigPath = join(folder, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    return {
      azure,
      kubectl: (args, options = {}) => runKubectl(kubeconfigPath, args, { timeoutInMs: 150_000, ...options }),
      async stop() {
        await azure.stop();
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await azure.stop();
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}
