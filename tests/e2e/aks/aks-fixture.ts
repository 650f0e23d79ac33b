/**
 * What the DeployToAks end-to-end tests share: a local Azure (with its AKS clusters) for a suite, the
 * test images of the deploy tests, a runner for the bundled task as the agent runs it, and reads of
 * the cluster through the task-independent admin kubeconfig.
 */
import { type LocalAzure, startLocalAzure } from '../../../emulator/index';
import { dockerClusterRuntime } from '../../../emulator/kubernetes/runtime/docker-cluster-runtime';
import type { RuntimeTimings } from '../../../emulator/kubernetes/runtime-contract';
import { ensureBuilt } from '../../../scripts/agent/build-once';
import { type AgentProxy, type TaskRun, runBundledTask } from '../../../scripts/agent/run-task';
import { readThrough } from '../../support/read-through';
import { type TestImages, testImages } from '../deploy/deploy-fixture';

export const RESOURCE_GROUP = 'rg-models';
export const ENTRA_CLUSTER = 'aks-models';
export const LOCAL_CLUSTER = 'aks-models-local';

export interface AksRunOptions {
  inputs?: Record<string, string>;
  variables?: Record<string, string>;
  connection?: keyof LocalAzure['connections'];
  secretVariables?: Record<string, string>;
  onLine?: (line: string) => void;
  timeoutInMs?: number;
  /** The job's cancellation (as Ctrl+C in the runner). */
  cancellation?: AbortSignal;
  /** More of the agent machine's environment (e.g. AGENT_TEMPDIRECTORY, TMPDIR). */
  env?: Record<string, string>;
  proxy?: AgentProxy;
}

export type AksRunner = (options: AksRunOptions) => Promise<TaskRun>;

export function aksRunner(azure: LocalAzure): AksRunner {
  return async (options) => {
    const connection = azure.connections[options.connection ?? 'spnKey'];
    return await runBundledTask({
      task: 'DeployToAksV1',
      inputs: {
        azureSubscription: connection.id,
        resourceGroup: RESOURCE_GROUP,
        kubernetesCluster: ENTRA_CLUSTER,
        containerPort: '80',
        cpuRequest: '50m',
        memoryRequest: '32Mi',
        rolloutTimeoutInMinutes: '3',
        ...options.inputs,
      },
      connections: [connection],
      ...(options.variables ? { variables: options.variables } : {}),
      ...(options.secretVariables ? { secretVariables: options.secretVariables } : {}),
      env: { ...azure.agentEnvironment(), ...options.env },
      timeoutInMs: options.timeoutInMs ?? 5 * 60_000,
      ...(options.onLine ? { onLine: options.onLine } : {}),
      ...(options.cancellation ? { cancellation: options.cancellation } : {}),
      ...(options.proxy ? { proxy: options.proxy } : {}),
    });
  };
}

export interface AksSuite {
  readonly azure: LocalAzure;
  readonly images: TestImages;
  readonly deployToAks: AksRunner;
}

/** Registers the suite's hooks: the tasks built and a local Azure started before, its images and the local Azure removed after. */
export function useAksEnvironment(timings: Partial<RuntimeTimings> = {}): AksSuite {
  let suite: AksSuite | undefined;
  let azure: LocalAzure | undefined;
  before(async function () {
    this.timeout(180_000);
    await ensureBuilt();
    azure = await startLocalAzure({ kubernetesRuntime: dockerClusterRuntime({ timings }) });
    suite = { azure, images: testImages(azure), deployToAks: aksRunner(azure) };
  });
  after(async function () {
    this.timeout(120_000);
    await suite?.images.remove();
    await azure?.stop();
  });
  beforeEach(() => {
    azure?.faults.clear();
    azure?.clearRequests();
  });
  const current = (): AksSuite => {
    if (!suite) throw new Error('The local Azure is not started: use it inside a test or hook.');
    return suite;
  };
  return readThrough(current, ['azure', 'images', 'deployToAks']);
}
