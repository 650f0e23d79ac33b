/**
 * The handlers of Microsoft.ContainerService/managedClusters on Resource Manager (the table: arm-routes.ts):
 * GET, list by resource group and by subscription, POST listClusterUserCredential and
 * listClusterAdminCredential (`{kubeconfigs: [{name, value: base64}]}`), with ARM's errors:
 * ResourceGroupNotFound, ResourceNotFound, AuthorizationFailed, and the refusal of static credentials when
 * local accounts are disabled.
 */
import { checkArmRequest, resourceNotFound } from '../../arm/http/request-checks';
import type { Subscription } from '../../arm/model/subscription';
import { armError, type EmulatorRequest, type EmulatorResponse, type Principal } from '../../core/http-types';
import { ARM_ACTION_NAMES, type ClusterAction } from '../model/cluster-roles';
import { managedClusterBody, managedClusterId, type ManagedClusterRecord } from '../model/managed-cluster-body';

/** api-versions Resource Manager accepts for managedClusters (2025-10-01 is what @azure/arm-containerservice 24.x sends). */
export const MANAGED_CLUSTER_API_VERSIONS = ['2024-09-01', '2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01', '2025-05-01', '2025-07-01', '2025-08-01', '2025-10-01'];
const RESOURCE_TYPE = 'managedClusters';

export interface ManagedClusterOptions {
  subscription: Subscription;
  clusters: () => readonly ManagedClusterRecord[];
  mayPerform(principalId: string, clusterId: string, action: ClusterAction): boolean;
  /** The base64-free kubeconfig YAML texts. */
  userKubeconfig(cluster: ManagedClusterRecord): string;
  adminKubeconfig(cluster: ManagedClusterRecord): string;
}

function authorizationFailed(principal: Principal | undefined, action: ClusterAction, scope: string): EmulatorResponse {
  return armError(
    403,
    'AuthorizationFailed',
    `The client '${principal?.clientId ?? ''}' with object id '${principal?.objectId ?? ''}' does not have authorization to perform action '${ARM_ACTION_NAMES[action]}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

export type Handler = (request: EmulatorRequest) => Promise<EmulatorResponse>;

export interface ManagedClusterHandlers {
  get: Handler;
  listByResourceGroup: Handler;
  list: Handler;
  listClusterUserCredential: Handler;
  listClusterAdminCredential: Handler;
}

export function createManagedClusterHandlers(options: ManagedClusterOptions): ManagedClusterHandlers {
  const { subscription } = options;

  function precheck(request: EmulatorRequest, needsGroup: boolean): EmulatorResponse | undefined {
    return checkArmRequest(request, {
      apiVersions: MANAGED_CLUSTER_API_VERSIONS,
      resourceType: RESOURCE_TYPE,
      subscriptionId: subscription.subscriptionId,
      ...(needsGroup ? { resourceGroupExists: (name: string) => subscription.findResourceGroup(name) !== undefined } : {}),
    });
  }

  function findCluster(request: EmulatorRequest): ManagedClusterRecord | EmulatorResponse {
    const group = (request.params.resourceGroupName ?? '').toLowerCase();
    const name = (request.params.resourceName ?? '').toLowerCase();
    const cluster = options.clusters().find((candidate) => candidate.resourceGroup.toLowerCase() === group && candidate.name.toLowerCase() === name);
    if (cluster) return cluster;
    return resourceNotFound('Microsoft.ContainerService/managedClusters', request.params.resourceName ?? '', request.params.resourceGroupName ?? '');
  }

  const visible = (request: EmulatorRequest, cluster: ManagedClusterRecord): boolean => options.mayPerform(request.principal?.objectId ?? '', managedClusterId(cluster), 'read');

  function credentials(action: 'listClusterUserCredential' | 'listClusterAdminCredential') {
    return (request: EmulatorRequest): Promise<EmulatorResponse> => {
      const failure = precheck(request, true);
      if (failure) return Promise.resolve(failure);
      const found = findCluster(request);
      if ('status' in found) return Promise.resolve(found);
      const scope = managedClusterId(found);
      if (!options.mayPerform(request.principal?.objectId ?? '', scope, action)) return Promise.resolve(authorizationFailed(request.principal, action, scope));
      if (action === 'listClusterAdminCredential' && found.disableLocalAccounts) {
        return Promise.resolve(armError(400, 'BadRequest', 'Getting static credential is not allowed because this cluster is set to disable local accounts.'));
      }
      const [name, kubeconfig] = action === 'listClusterAdminCredential' ? ['clusterAdmin', options.adminKubeconfig(found)] : ['clusterUser', options.userKubeconfig(found)];
      return Promise.resolve({ status: 200, body: { kubeconfigs: [{ name, value: Buffer.from(kubeconfig, 'utf8').toString('base64') }] } });
    };
  }

  return {
    get(request) {
      const failure = precheck(request, true);
      if (failure) return Promise.resolve(failure);
      const found = findCluster(request);
      if ('status' in found) return Promise.resolve(found);
      if (!visible(request, found)) return Promise.resolve(authorizationFailed(request.principal, 'read', managedClusterId(found)));
      return Promise.resolve({ status: 200, body: managedClusterBody(found) });
    },
    listByResourceGroup(request) {
      const failure = precheck(request, true);
      if (failure) return Promise.resolve(failure);
      const group = (request.params.resourceGroupName ?? '').toLowerCase();
      const value = options.clusters().filter((cluster) => cluster.resourceGroup.toLowerCase() === group && visible(request, cluster)).map(managedClusterBody);
      return Promise.resolve({ status: 200, body: { value } });
    },
    list(request) {
      const failure = precheck(request, false);
      if (failure) return Promise.resolve(failure);
      return Promise.resolve({ status: 200, body: { value: options.clusters().filter((cluster) => visible(request, cluster)).map(managedClusterBody) } });
    },
    listClusterUserCredential: credentials('listClusterUserCredential'),
    listClusterAdminCredential: credentials('listClusterAdminCredential'),
  };
}
