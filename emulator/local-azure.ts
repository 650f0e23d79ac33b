/** The programmatic API of the local Azure: what `startLocalAzure()` takes and returns. */
import type { SeededRegistry } from './acr/acr-service';
import type { AzureCliSetup } from './azure-cli-setup';
import type { LocalAksCluster } from './aks/aks-service';
import type { ClusterRuntime } from './kubernetes/runtime-contract';
import type { RequestLogEntry } from './core/request-log';
import type { FaultRegistry, RegistryLoginCheck } from './core/service-context';
import type { JobContext } from './devops/azure-devops';
import type { SeededConnections } from './seed';

export interface StartLocalAzureOptions {
  /** Trust the CA inside this process too (for in-process SDK clients in tests). Default true. */
  trustCaInProcess?: boolean;
  /** Parent folder of the instance's temp folder. Default: the OS temp folder. */
  temporaryRoot?: string;
  /** Docker engine socket. Default /var/run/docker.sock. */
  dockerSocketPath?: string;
  /** Random source for probability faults (tests pass a fixed one). */
  random?: () => number;
  /** Realistic timing: seconds a container group operation stays Pending (Azure: 20 s to minutes). Default 0. */
  pendingInSeconds?: number;
  /** What runs the clusters' workloads (controllers, kubelet); default: the Docker runtime (`dockerClusterRuntime()`). */
  kubernetesRuntime?: ClusterRuntime;
  /** kubernetesVersion of the seeded AKS clusters (default 1.36.0, the version of the vendored OpenAPI schema). */
  kubernetesVersion?: string;
}

/** A container registry of the local Azure: its Resource Manager identity, login server and admin user. */
export type LocalRegistry = SeededRegistry;

export type { LocalAksCluster };

export interface ServedRoute {
  front: 'management' | 'registry';
  name: string;
  /** 'GET', ... ('*': any method, the registry answers). */
  method: string;
  /** The path pattern (`:name` segments on the management front; a regular expression's source on a registry front). */
  path: string;
}

export interface LocalAzure {
  instanceId: string;
  /** Resource Manager URL, with trailing slash. */
  armUrl: string;
  /** Entra ID authority host (https://127.0.0.1:port), for @azure/identity's `authorityHost`. */
  authorityHost: string;
  tenantId: string;
  subscriptionId: string;
  resourceGroups: string[];
  /** The registry with the admin user enabled. */
  registry: LocalRegistry;
  /** Every registry, the one with the admin user disabled included. */
  registries: LocalRegistry[];
  /**
   * The tenant's user-assigned managed identities: `id-agents` (AcrPush on each registry; the
   * `managedIdentity` connection can use it) and `id-no-roles` (no role anywhere).
   */
  userAssignedIdentities: { name: string; resourceId: string; clientId: string; principalId: string }[];
  /** The ready-made service connections (`spnPullOnly`: only AcrPull on the registries, pushes are refused). */
  connections: SeededConnections;
  /**
   * The AKS clusters in rg-models: `aks-models` (Entra ID + Azure RBAC, local accounts disabled; the Azure
   * connections' identities are "Azure Kubernetes Service RBAC Writer", spnPullOnly has no role) and
   * `aks-models-local` (local accounts). Each kubelet identity has AcrPull on `registry`.
   */
  clusters: LocalAksCluster[];
  /**
   * A ready kubeconfig (mode 0600, removed at stop): context `aks-models-local-admin` (current; the local
   * admin certificate) and `aks-models` (an Entra ID token of the spnKey connection's identity, valid 1 hour).
   */
  kubeconfigPath: string;
  job: JobContext;
  caCertificatePath: string;
  caCertificatePem: string;
  /** How Debian's azure-cli signs in to this instance: environment and `az` argument lists (azure-cli-setup.ts). */
  azureCli: AzureCliSetup;
  /** NODE_EXTRA_CA_CERTS, SYSTEM_* job values and the managed identity endpoint variables. */
  agentEnvironment(): Record<string, string>;
  faults: FaultRegistry;
  /**
   * The route tables this instance serves, by front ('management': Entra ID, managed identity, Azure DevOps,
   * Resource Manager; 'registry': every registry's data plane): the names `faults` and `requests()` use.
   * The Kubernetes API servers name theirs `kubernetes.<resource>[/<subresource>].<verb>` and `kubernetes.discovery`.
   */
  routes(): ServedRoute[];
  /** Realistic timing, changeable while running: seconds each container group operation stays Pending. */
  setPendingSeconds(seconds: number): void;
  /** The registry login check Container Instances uses (admin user, service principal, refresh token). */
  registryLogins: RegistryLoginCheck;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /**
   * Issues an Entra ID access token for the `spnKey` connection's app, for `audience` (e.g.
   * 'https://management.core.windows.net/'); a negative lifetime gives a token that has already expired
   * (more than Azure's 5 minutes of clock skew ago when below -300). For tests of expiry.
   */
  issueAccessToken(audience: string, lifetimeInSeconds?: number): string;
  /** Issues an Azure DevOps OIDC token for a connection (negative lifetime: already expired). */
  issueOidcToken(connectionId: string, lifetimeInSeconds?: number): string;
  /** Tags and pushes a local image to a registry (default: `registry`); returns the manifest digest. */
  pushImage(localImage: string, repository: string, tag: string, registryName?: string): Promise<string>;
  /** Copies a repository out of a registry (default: `registry`) into a folder, for importRepository in a later instance. */
  exportRepository(repository: string, folder: string, registryName?: string): Promise<void>;
  /** Gives a registry (default: `registry`) a repository exported earlier, without pushing it (files hard-linked). */
  importRepository(folder: string, registryName?: string): Promise<void>;
  /**
   * Creates a resource group, as `az group create` would (Azure's naming rules; default location
   * westeurope); an existing one (names compare case-insensitively) is left as it is.
   */
  createResourceGroup(name: string, location?: string): { created: boolean; name: string; location: string };
  /**
   * Creates a container registry in an existing resource group, as `az acr create` would (Azure's
   * naming rules, admin user off unless asked), with the seeded identities' roles on it (AcrPush for the
   * ready-made Azure connections, AcrPull for spnPullOnly). An existing one is returned as it is.
   */
  createRegistry(name: string, resourceGroup: string, options?: { adminUserEnabled?: boolean }): Promise<{ created: boolean; registry: LocalRegistry }>;
  /**
   * Creates an AKS cluster in an existing resource group, as `az aks create` would (Azure's naming
   * rules; local accounts, unless `entraId` asks for AKS-managed Entra ID with Azure RBAC and local
   * accounts disabled), with the seeded clusters' roles (the ready-made Azure connections may deploy)
   * and AcrPull for its kubelet identity on the registries named in `attachRegistries`
   * (`az aks update --attach-acr`). An existing one is returned as it is.
   */
  createCluster(name: string, resourceGroup: string, options?: { entraId?: boolean; attachRegistries?: readonly string[]; kubernetesVersion?: string }): Promise<{ created: boolean; cluster: LocalAksCluster }>;
  /**
   * What `az aks update --attach-acr` does: the cluster's kubelet identity gets AcrPull on the registry.
   * `attached` is false when it already had it. Throws when the cluster or the registry does not exist.
   */
  attachRegistry(clusterName: string, resourceGroup: string, registryName: string): { attached: boolean };
  stop(): Promise<void>;
}
