/**
 * The route table of Microsoft.ContainerService/managedClusters on Resource Manager: GET, list by resource group and
 * by subscription, POST listClusterUserCredential and listClusterAdminCredential (`{kubeconfigs: [{name,
 * value: base64}]}`), with ARM's errors: ResourceGroupNotFound, ResourceNotFound, AuthorizationFailed,
 * and the refusal of static credentials when local accounts are disabled.
 */
import { checkArmRequest, resourceNotFound } from '../../arm/request-checks';
import { armRouteTable, providerPath, RESOURCE_GROUP_SCOPE, SUBSCRIPTION_SCOPE } from '../../arm/route-table';
import type { Subscription } from '../../arm/subscription';
import { armError, type EmulatorRequest, type EmulatorResponse, type Principal, type Route } from '../../core/http-types';
import { ARM_ACTION_NAMES, type ClusterAction } from '../model/cluster-roles';
import { managedClusterBody, managedClusterId, type ManagedClusterRecord } from '../model/managed-cluster-body';

/** api-versions Resource Manager accepts for managedClusters (2025-10-01 is what @azure/arm-containerservice 24.x sends). */
export const MANAGED_CLUSTER_API_VERSIONS = ['2024-09-01', '2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01', '2025-05-01', '2025-07-01', '2025-08-01', '2025-10-01'];
const RESOURCE_TYPE = 'managedClusters';
const clustersIn = (scope: string): string => providerPath(scope, 'Microsoft.ContainerService', RESOURCE_TYPE);

export interface ManagedClusterRoutesOptions {
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

export function createManagedClusterRoutes(options: ManagedClusterRoutesOptions): Route[] {
  const { subscription } = options;
  const clusterPath = `${clustersIn(RESOURCE_GROUP_SCOPE)}/:resourceName`;

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

  return armRouteTable('aks', [
    {
      operation: 'managedClusters.get',
      method: 'GET',
      path: clusterPath,
      handle(request) {
        const failure = precheck(request, true);
        if (failure) return Promise.resolve(failure);
        const found = findCluster(request);
        if ('status' in found) return Promise.resolve(found);
        if (!visible(request, found)) return Promise.resolve(authorizationFailed(request.principal, 'read', managedClusterId(found)));
        return Promise.resolve({ status: 200, body: managedClusterBody(found) });
      },
    },
    {
      operation: 'managedClusters.listByResourceGroup',
      method: 'GET',
      path: clustersIn(RESOURCE_GROUP_SCOPE),
      handle(request) {
        const failure = precheck(request, true);
        if (failure) return Promise.resolve(failure);
        const group = (request.params.resourceGroupName ?? '').toLowerCase();
        const value = options.clusters().filter((cluster) => cluster.resourceGroup.toLowerCase() === group && visible(request, cluster)).map(managedClusterBody);
        return Promise.resolve({ status: 200, body: { value } });
      },
    },
    {
      operation: 'managedClusters.list',
      method: 'GET',
      path: clustersIn(SUBSCRIPTION_SCOPE),
      handle(request) {
        const failure = precheck(request, false);
        if (failure) return Promise.resolve(failure);
        return Promise.resolve({ status: 200, body: { value: options.clusters().filter((cluster) => visible(request, cluster)).map(managedClusterBody) } });
      },
    },
    { operation: 'managedClusters.listClusterUserCredential', method: 'POST', path: `${clusterPath}/listClusterUserCredential`, handle: credentials('listClusterUserCredential') },
    { operation: 'managedClusters.listClusterAdminCredential', method: 'POST', path: `${clusterPath}/listClusterAdminCredential`, handle: credentials('listClusterAdminCredential') },
  ]);
}
