import { type AgentProxy, azureProxyOptions } from '../../common/agent-proxy';
/**
 * The Resource Manager calls the task makes for AKS, behind a narrow interface (tests pass plain
 * objects): the managed cluster (Entra ID or local accounts, kubelet identity) and its kubeconfig.
 * @azure/arm-containerservice is loaded lazily; its own retries are off: every call goes through one
 * bounded retry with an injectable clock, each request cancelled after 60 s.
 */
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/core-auth';
import { type AzureRmConnection, armScope } from '../../common/azure/arm-connection';
import { armFailure, classifyArmError, describeArmError, statusOf, withRequestTimeout } from '../../common/azure/arm-errors';
import type { Clock } from '../../common/deadline';
import { TaskError } from '../../common/errors';
import { type RetryPolicy, retry } from '../../common/retry';
import type { TaskLog } from '../../common/task-runtime';
import type { ClusterFacts } from './pod-diagnosis';

export interface ManagedClusterInfo extends ClusterFacts {
  id: string;
  fqdn?: string;
  kubernetesVersion?: string;
  /** AKS-managed Entra ID integration (aadProfile). */
  entraId: boolean;
  /** Azure RBAC for Kubernetes authorisation (aadProfile.enableAzureRbac). */
  azureRbac: boolean;
  disableLocalAccounts: boolean;
}

export interface AksClient {
  /** The cluster, or undefined when the resource group has none of that name. */
  getCluster(resourceGroup: string, name: string): Promise<ManagedClusterInfo | undefined>;
  /** The names of the clusters in a resource group (for a helpful "not found"). */
  clusterNames(resourceGroup: string): Promise<string[]>;
  /** The kubeconfig (YAML text) of the user or admin credential. */
  kubeconfig(resourceGroup: string, name: string, admin: boolean): Promise<string>;
}

/** What the client needs of the SDK: a slice small enough to fake in tests. */
export interface AksSdk {
  getCluster(resourceGroup: string, name: string, signal: AbortSignal): Promise<ManagedCluster>;
  listClusters(resourceGroup: string, signal: AbortSignal): AsyncIterable<ManagedCluster>;
  credentials(resourceGroup: string, name: string, admin: boolean, signal: AbortSignal): Promise<{ kubeconfigs?: { name?: string; value?: Uint8Array }[] }>;
}

export interface AksClientOptions {
  log: TaskLog;
  clock: Clock;
  retryPolicy?: Partial<RetryPolicy>;
  deadline?: { remainingInMs(): number };
  requestTimeoutInMs?: number;
  /** The agent's proxy for Resource Manager. */
  proxy?: AgentProxy;
  /** The agent's cancellation: a request in flight is abandoned at once. */
  signal?: AbortSignal;
}

export const AKS_ARM_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, initialDelayInMs: 1000, maxDelayInMs: 20_000, timeoutInMs: 3 * 60_000 };

/** What AKS's Resource Manager error codes mean for the user. */
export const AKS_ERROR_HINTS: Readonly<Record<string, string>> = {
  AuthorizationFailed:
    "The service connection's identity needs 'Azure Kubernetes Service Cluster User Role' on the cluster to read its user kubeconfig (or 'Azure Kubernetes Service Cluster Admin Role' with 'useClusterAdmin'), and Reader to read the cluster.",
  ResourceGroupNotFound: "Check 'resourceGroup': it must exist in the service connection's subscription.",
  SubscriptionNotFound: "Check the service connection's subscription.",
};

export async function createAksClient(connection: AzureRmConnection, credential: TokenCredential, options: AksClientOptions): Promise<AksClient> {
  const { ContainerServiceClient } = await import('@azure/arm-containerservice');
  const endpoint = connection.resourceManagerUrl.replace(/\/+$/, '');
  const proxyOptions = azureProxyOptions(options.proxy, endpoint);
  const client = new ContainerServiceClient(credential, connection.subscriptionId, {
    endpoint,
    $host: endpoint,
    credentialScopes: [armScope(connection)],
    retryOptions: { maxRetries: 0 },
    ...(proxyOptions ? { proxyOptions } : {}),
  });
  return aksClientOver(
    {
      getCluster: (rg, name, abortSignal) => client.managedClusters.get(rg, name, { abortSignal }),
      listClusters: (rg, abortSignal) => client.managedClusters.listByResourceGroup(rg, { abortSignal }),
      credentials: (rg, name, admin, abortSignal) =>
        admin ? client.managedClusters.listClusterAdminCredentials(rg, name, { abortSignal }) : client.managedClusters.listClusterUserCredentials(rg, name, { abortSignal }),
    },
    options,
  );
}

export function aksClientOver(sdk: AksSdk, options: AksClientOptions): AksClient {
  const policy = { ...AKS_ARM_RETRY_POLICY, ...options.retryPolicy };
  const timeoutInMs = options.requestTimeoutInMs ?? 60_000;
  const call = async <T>(action: string, operation: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    retry(() => withRequestTimeout((signal) => operation(options.signal ? AbortSignal.any([signal, options.signal]) : signal), timeoutInMs), {
      policy: options.deadline ? { ...policy, timeoutInMs: Math.min(policy.timeoutInMs, Math.max(1, options.deadline.remainingInMs())) } : policy,
      clock: options.clock,
      classify: classifyArmError,
      onRetry: ({ attempt, delayInMs, error }) =>
        options.log.info(`${action}: Resource Manager answered ${describeArmError(error)}; retrying in ${Math.round(delayInMs / 100) / 10} s (attempt ${attempt + 1} of ${policy.maxAttempts}).`),
    }).catch((error: unknown) => {
      throw armFailure(action, error, AKS_ERROR_HINTS);
    });
  return {
    getCluster: (rg, name) =>
      call(`Reading AKS cluster '${name}'`, async (signal) => {
        try {
          return toClusterInfo(await sdk.getCluster(rg, name, signal), rg, name);
        } catch (error) {
          if (statusOf(error) === 404 && !/ResourceGroupNotFound/i.test(describeArmError(error))) return undefined;
          throw error;
        }
      }),
    clusterNames: (rg) =>
      call(`Listing the AKS clusters of resource group '${rg}'`, async (signal) => {
        const names: string[] = [];
        for await (const cluster of sdk.listClusters(rg, signal)) if (cluster.name) names.push(cluster.name);
        return names;
      }),
    kubeconfig: (rg, name, admin) =>
      call(`Reading the ${admin ? 'admin' : 'user'} credentials of AKS cluster '${name}'`, async (signal) => {
        const result = await sdk.credentials(rg, name, admin, signal);
        const value = result.kubeconfigs?.find((k) => k.value !== undefined)?.value;
        if (value === undefined) throw new TaskError(`AKS cluster '${name}' returned no kubeconfig.`);
        // The SDK decodes the base64 'value' into bytes: the bytes are the kubeconfig's YAML.
        return Buffer.from(value).toString('utf8');
      }),
  };
}

function toClusterInfo(cluster: ManagedCluster, resourceGroup: string, name: string): ManagedClusterInfo {
  const kubelet = cluster.identityProfile?.kubeletidentity;
  return {
    id: cluster.id ?? '',
    name: cluster.name ?? name,
    resourceGroup,
    ...(cluster.fqdn !== undefined ? { fqdn: cluster.fqdn } : {}),
    ...(cluster.kubernetesVersion !== undefined ? { kubernetesVersion: cluster.kubernetesVersion } : {}),
    entraId: cluster.aadProfile?.managed === true || cluster.aadProfile?.serverAppID !== undefined,
    azureRbac: cluster.aadProfile?.enableAzureRbac === true,
    disableLocalAccounts: cluster.disableLocalAccounts === true,
    ...(kubelet
      ? {
          kubeletIdentity: {
            ...(kubelet.clientId !== undefined ? { clientId: kubelet.clientId } : {}),
            ...(kubelet.objectId !== undefined ? { objectId: kubelet.objectId } : {}),
            ...(kubelet.resourceId !== undefined ? { resourceId: kubelet.resourceId } : {}),
          },
        }
      : {}),
  };
}
