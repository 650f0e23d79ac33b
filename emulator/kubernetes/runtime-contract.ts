/**
 * The seam between the API side of the local Kubernetes (the API server, store, cluster assembly) and
 * its runtime (controllers, the kubelet on the Docker engine, load balancers, HPA). The cluster
 * assembly (`cluster.ts`) starts a ClusterRuntime with the shared store and the cluster's facts; the
 * runtime hands back where pod logs come from and how to stop everything it started.
 */
import type { FaultRegistry, RegistryLoginCheck } from '../core/service-context';
import type { ObjectStore } from './store/object-store';

export interface PodLogOptions {
  container?: string;
  tailLines?: number;
  previous?: boolean;
  timestamps?: boolean;
}

export interface PodLogSource {
  /**
   * The log of one container of a pod, as the kubelet returns it. Throws a KubernetesStatusError
   * (status-errors.ts) for what the API server reports, e.g. 400 BadRequest
   * `container "x" in pod "y" is waiting to start: ContainerCreating` or `previous terminated container "x" in pod "y" not found`.
   */
  read(namespace: string, pod: string, options: PodLogOptions): Promise<string>;
}

export interface KubeletIdentity {
  /** `/subscriptions/.../resourcegroups/MC_.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/<cluster>-agentpool` */
  resourceId: string;
  clientId: string;
  objectId: string;
}

export interface AgentPool {
  name: string;
  count: number;
  vmSize: string;
  /** Node names, e.g. aks-nodepool1-12345678-vmss000000. */
  nodeNames: readonly string[];
}

export interface ClusterInfo {
  /** The managed cluster's name and where it lives. */
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location: string;
  kubernetesVersion: string;
  agentPools: readonly AgentPool[];
  /** The identity the kubelet pulls images with: it needs AcrPull on the registry. */
  kubeletIdentity: KubeletIdentity;
  /** Unique per cluster and local-Azure instance: prefix every Docker object name with `lazure-<dockerNamePrefix>-`. */
  dockerNamePrefix: string;
  dockerSocketPath: string;
  /** The local registries' login servers (host:port); any other registry cannot be pulled from. */
  registryLoginServers: readonly string[];
  /** `pullAsIdentity(loginServer, repository, kubeletIdentity.resourceId)` gives the kubelet's pull credentials. */
  registryLogins: RegistryLoginCheck;
  /** Scenario faults for this cluster (shared with the rest of the local Azure). */
  faults: FaultRegistry;
  /** A folder of this cluster's own; removed on stop. */
  stateDirectory: string;
  /** Clocks and timings tests may shorten (HPA stabilisation windows, sync periods, back-off). */
  timings?: Partial<RuntimeTimings>;
}

export interface RuntimeTimings {
  /** HPA: --horizontal-pod-autoscaler-sync-period (default 15 s). */
  hpaSyncPeriodInMs: number;
  /** HPA: default scale-down stabilisation window (300 s) when the HPA's behavior does not set one. */
  hpaDownscaleStabilizationInMs: number;
  /** Kubelet: the CrashLoopBackOff base delay (10 s, doubling up to 300 s). */
  crashLoopBaseBackOffInMs: number;
}

export interface RunningClusterRuntime {
  podLogs: PodLogSource;
  stop(): Promise<void>;
}

export interface ClusterRuntime {
  start(context: { store: ObjectStore; cluster: ClusterInfo }): Promise<RunningClusterRuntime>;
}
