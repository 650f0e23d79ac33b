/**
 * Azure Kubernetes Service in the local Azure: starts a local Kubernetes cluster (API server + runtime)
 * for each seeded managed cluster and serves Microsoft.ContainerService/managedClusters on Resource
 * Manager. Cluster access follows the tenant's role assignments (Resource Manager actions and Azure RBAC
 * for Kubernetes). `stop()` stops every cluster: its API server, runtime, certificates and files.
 */
import { join } from 'node:path';
import type { RoleAssignments } from '../acr/model/registry-roles';
import type { Subscription } from '../arm/model/subscription';
import type { Route } from '../core/http-types';
import type { FaultRegistry, RegistryLoginCheck } from '../core/service-context';
import type { AccessTokenService } from '../identity/model/access-tokens';
import { startKubernetesCluster, type KubernetesCluster } from '../kubernetes/cluster';
import type { ClusterRuntime } from '../kubernetes/runtime-contract';
import type { ObjectStore } from '../kubernetes/store/object-store';
import { kubernetesRolesOf, mayPerform } from './model/cluster-roles';
import { clientCertificateKubeconfig, execPluginKubeconfig, tokenKubeconfig, type KubeconfigCluster } from './model/kubeconfig';
import { managedClusterId, type ManagedClusterRecord } from './model/managed-cluster-body';
import { createManagedClusterRoutes } from './http/arm-routes';

export interface LocalAksCluster {
  name: string;
  resourceGroup: string;
  resourceId: string;
  fqdn: string;
  /** The API server, https://127.0.0.1:<port>. */
  server: string;
  caCertificatePem: string;
  /** AKS-managed Entra ID with Azure RBAC (tokens for the AKS server app); else local accounts only. */
  entraId: boolean;
  localAccounts: boolean;
  kubeletIdentity: { resourceId: string; clientId: string; objectId: string };
  /** The admin kubeconfig (client certificate), undefined when local accounts are disabled. */
  adminKubeconfig(): string | undefined;
  /** A kubeconfig that authenticates with a bearer token (an Entra ID token for the AKS server app). */
  tokenKubeconfig(token: string, userName?: string): string;
  /** The cluster's object store (what the controllers see). */
  store: ObjectStore;
}

export interface AksServiceOptions {
  instanceId: string;
  subscription: Subscription;
  tenantId: string;
  tokens: AccessTokenService;
  roles: RoleAssignments;
  clusters: readonly ManagedClusterRecord[];
  faults: FaultRegistry;
  stateDirectory: string;
  dockerSocketPath: string;
  registryLoginServers: readonly string[];
  registryLogins: RegistryLoginCheck;
  runtime?: ClusterRuntime;
}

export interface AksService {
  routes: Route[];
  /** The clusters, seeded ones first; a cluster added later joins this same array. */
  clusters: LocalAksCluster[];
  /** Starts one more cluster (as `az aks create` would) and serves it on Resource Manager. */
  addCluster(record: ManagedClusterRecord): Promise<LocalAksCluster>;
  stop(): Promise<void>;
}

export async function startAksService(options: AksServiceOptions): Promise<AksService> {
  const started: { record: ManagedClusterRecord; cluster: KubernetesCluster }[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.splice(0).map(({ cluster }) => cluster.stop()));
  };
  const startOne = async (record: ManagedClusterRecord, index: number): Promise<void> => {
    const clusterId = managedClusterId(record);
    const cluster = await startKubernetesCluster({
      info: {
        name: record.name,
        resourceGroup: record.resourceGroup,
        subscriptionId: record.subscriptionId,
        location: record.location,
        kubernetesVersion: record.kubernetesVersion,
        agentPools: record.agentPools,
        kubeletIdentity: record.kubeletIdentity,
        dockerNamePrefix: `${options.instanceId}-k${index}`,
        dockerSocketPath: options.dockerSocketPath,
        registryLoginServers: options.registryLoginServers,
        registryLogins: options.registryLogins,
        faults: options.faults,
        stateDirectory: join(options.stateDirectory, record.name),
      },
      fqdn: record.fqdn,
      localAccounts: !record.disableLocalAccounts,
      ...(record.entraId ? { entraId: { tokens: options.tokens, tenantId: options.tenantId, azureRolesOf: (objectId: string) => kubernetesRolesOf(options.roles.list(), objectId, clusterId) } } : {}),
      ...(options.runtime ? { runtime: options.runtime } : {}),
      faults: options.faults,
    });
    started.push({ record, cluster });
  };
  try {
    await Promise.all(options.clusters.map((record, index) => startOne(record, index)));
  } catch (error) {
    await stopAll();
    throw error;
  }
  const records = [...options.clusters];
  const ordered = options.clusters.map((record) => {
    const entry = started.find((candidate) => candidate.record === record);
    if (!entry) throw new Error(`Cluster ${record.name} did not start.`);
    return entry;
  });
  const kubeconfigCluster = (record: ManagedClusterRecord, cluster: KubernetesCluster): KubeconfigCluster => ({
    name: record.name,
    resourceGroup: record.resourceGroup,
    server: cluster.server,
    caCertificatePem: cluster.caCertificatePem,
    tenantId: options.tenantId,
  });
  const byRecord = (record: ManagedClusterRecord): KubernetesCluster => {
    const entry = ordered.find((candidate) => candidate.record === record);
    if (!entry) throw new Error(`Unknown cluster ${record.name}.`);
    return entry.cluster;
  };
  const routes = createManagedClusterRoutes({
    subscription: options.subscription,
    clusters: () => records,
    mayPerform: (principalId, clusterId, action) => mayPerform(options.roles.list(), principalId, clusterId, action),
    userKubeconfig: (record) => {
      const cluster = byRecord(record);
      return record.entraId ? execPluginKubeconfig(kubeconfigCluster(record, cluster)) : clientCertificateKubeconfig(kubeconfigCluster(record, cluster), 'user', cluster.adminCredential);
    },
    adminKubeconfig: (record) => clientCertificateKubeconfig(kubeconfigCluster(record, byRecord(record)), 'admin', byRecord(record).adminCredential),
  });
  const describe = ({ record, cluster }: { record: ManagedClusterRecord; cluster: KubernetesCluster }): LocalAksCluster => ({
    name: record.name,
    resourceGroup: record.resourceGroup,
    resourceId: managedClusterId(record),
    fqdn: record.fqdn,
    server: cluster.server,
    caCertificatePem: cluster.caCertificatePem,
    entraId: record.entraId,
    localAccounts: !record.disableLocalAccounts,
    kubeletIdentity: record.kubeletIdentity,
    adminKubeconfig: () => (record.disableLocalAccounts ? undefined : clientCertificateKubeconfig(kubeconfigCluster(record, cluster), 'admin', cluster.adminCredential)),
    tokenKubeconfig: (token, userName) => tokenKubeconfig(kubeconfigCluster(record, cluster), userName ?? `clusterUser_${record.resourceGroup}_${record.name}`, token),
    store: cluster.store,
  });
  const clusters = ordered.map(describe);
  let stopped: Promise<void> | undefined;
  return {
    routes,
    clusters,
    async addCluster(record) {
      await startOne(record, records.length);
      const entry = started.find((candidate) => candidate.record === record);
      if (!entry) throw new Error(`Cluster ${record.name} did not start.`);
      ordered.push(entry);
      records.push(record);
      const added = describe(entry);
      clusters.push(added);
      return added;
    },
    stop() {
      stopped ??= stopAll();
      return stopped;
    },
  };
}
