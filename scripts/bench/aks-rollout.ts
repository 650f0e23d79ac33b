/**
 * DeployToAks against `kubectl apply --server-side && kubectl rollout status` on the same local AKS
 * cluster (the Entra ID one, the same identity), each rolling a Deployment of one replica over to a new
 * image, in turn: the wall time of each (the task as the agent runs it: node start, Resource Manager,
 * sign-in, apply, rollout, load balancer address), and the time from the rollout's last ready pod to
 * the tool's finish, from the cluster's own pod updates watched in process.
 */
import { randomBytes } from 'node:crypto';
import { startLocalAzure } from '../../emulator/index';
import type { KubeObject } from '../../emulator/kubernetes/store/object-store';
import { PODS } from '../../emulator/kubernetes/store/resource-types';
import { ensureBuilt } from '../agent/build-once';
import { runBundledTask } from '../agent/run-task';
import { inputSourceFromRecord } from '../../tasks/common/input-reader';
import { readInputs } from '../../tasks/DeployToAksV1/src/inputs';
import { planObjects } from '../../tasks/DeployToAksV1/src/plan';
import { testImages } from '../../tests/e2e/deploy/deploy-fixture';
import { ensureDebianKubectl, runKubectl } from '../../tests/support/debian-kubectl';
import { type Comparison, inTurn } from './support/comparison';
import { type BenchResult, median } from './types';

const ROUNDS = 3;

function readyAt(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((condition) => condition.type === 'Ready' && condition.status === 'True');
}

export async function run(): Promise<BenchResult> {
  await ensureBuilt();
  await ensureDebianKubectl();
  const azure = await startLocalAzure();
  const images = testImages(azure);
  try {
    const tag = randomBytes(3).toString('hex');
    const versions = [await images.pushHttpd(`bench v1 ${tag}`, 'bench/aks'), await images.pushHttpd(`bench v2 ${tag}`, 'bench/aks')];
    const cluster = azure.clusters.find((candidate) => candidate.name === 'aks-models');
    if (!cluster) throw new Error('The local Azure has no cluster aks-models.');
    // When each pod of a deployment became ready, from the cluster's own store (no API traffic).
    const lastReady = new Map<string, number>();
    const seenReady = new Set<string>();
    const stopWatching = cluster.store.watch(PODS, 'default', undefined, (event) => {
      const name = event.object.metadata.labels?.['app.kubernetes.io/name'];
      if (name === undefined || seenReady.has(event.object.metadata.uid) || !readyAt(event.object)) return;
      seenReady.add(event.object.metadata.uid);
      lastReady.set(name, Date.now());
    });
    const connection = azure.connections.spnKey;
    const inputs = (name: string, image: string): Record<string, string> => ({
      azureSubscription: connection.id,
      resourceGroup: 'rg-models',
      kubernetesCluster: 'aks-models',
      deploymentName: name,
      image,
      containerPort: '80',
      cpuRequest: '50m',
      memoryRequest: '32Mi',
      readinessProbePath: '/',
      readinessProbePeriod: '1',
      rolloutTimeoutInMinutes: '3',
    });
    const afterReady: Record<'task' | 'kubectl', number[]> = { task: [], kubectl: [] };
    const viaTask = async (round: number): Promise<number> => {
      const started = Date.now();
      const result = await runBundledTask({ task: 'DeployToAksV1', inputs: inputs('bench-task', versions[round % 2] ?? ''), connections: [connection], env: azure.agentEnvironment(), timeoutInMs: 5 * 60_000 });
      const finished = Date.now();
      if (result.result !== 'Succeeded') throw new Error(`DeployToAks failed: ${result.message ?? ''}`);
      afterReady.task.push(finished - (lastReady.get('bench-task') ?? finished));
      return finished - started;
    };
    const viaKubectl = async (round: number): Promise<number> => {
      // The same objects the task applies, from its own plan.
      const plan = planObjects(readInputs(inputSourceFromRecord(inputs('bench-kubectl', versions[round % 2] ?? '')), { setSecret: () => undefined }), { image: versions[round % 2] ?? '' });
      const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [plan.deployment, plan.service] });
      const started = Date.now();
      const apply = await runKubectl(azure.kubeconfigPath, ['--context', 'aks-models', 'apply', '--server-side', '--force-conflicts', '--field-manager', 'bench', '-f', '-'], { input: manifest, timeoutInMs: 120_000 });
      if (apply.code !== 0) throw new Error(`kubectl apply failed: ${apply.stderr}`);
      const status = await runKubectl(azure.kubeconfigPath, ['--context', 'aks-models', 'rollout', 'status', 'deployment/bench-kubectl', '-n', 'default', '--timeout=180s'], { timeoutInMs: 200_000 });
      const finished = Date.now();
      if (status.code !== 0) throw new Error(`kubectl rollout status failed: ${status.stderr}`);
      afterReady.kubectl.push(finished - (lastReady.get('bench-kubectl') ?? finished));
      return finished - started;
    };
    // A first round each, not measured: the image is pulled once by the nodes.
    await viaTask(1);
    await viaKubectl(1);
    afterReady.task.length = 0;
    afterReady.kubectl.length = 0;
    const samples = await inTurn(ROUNDS, viaTask, viaKubectl);
    stopWatching();
    const comparisons: Comparison[] = [
      { measure: 'AKS rolling update, 1 replica: apply and wait for the rollout', unit: 'ms', task: samples.a, raw: samples.b, rawLabel: 'kubectl apply --server-side && kubectl rollout status', aim: { kind: 'over', atMost: 1000 } },
      { measure: "AKS rollout's last ready pod to the tool's finish", unit: 'ms', task: afterReady.task, raw: afterReady.kubectl, rawLabel: 'kubectl rollout status', aim: { kind: 'value', atMost: 1000 } },
    ];
    return {
      title: `DeployToAks vs kubectl on the local AKS (median of ${ROUNDS} rolling updates each, in turn)`,
      rows: [
        { tool: 'DeployToAks@1 (bundled, as the agent runs it)', 'median wall (ms)': Math.round(median(samples.a)), 'last ready pod → finish (ms)': Math.round(median(afterReady.task)) },
        { tool: 'kubectl apply --server-side && kubectl rollout status', 'median wall (ms)': Math.round(median(samples.b)), 'last ready pod → finish (ms)': Math.round(median(afterReady.kubectl)) },
      ],
      notes: [
        'The task\'s time includes starting node, reading the cluster and its kubeconfig from Resource Manager, an Entra ID token, the registry lookup, the apply, the rollout and the load balancer\'s address; kubectl starts with a ready kubeconfig and token. The task polls the Deployment every 500 ms; kubectl watches it.',
      ],
      comparisons,
    };
  } finally {
    await images.remove();
    await azure.stop();
  }
}
