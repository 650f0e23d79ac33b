/** The route table of Microsoft.ContainerService on Resource Manager (handlers: managed-cluster-handlers.ts). */
import { armRouteTable, providerPath, RESOURCE_GROUP_SCOPE, SUBSCRIPTION_SCOPE } from '../../arm/http/route-table';
import type { Route } from '../../core/http-types';
import { createManagedClusterHandlers, type ManagedClusterOptions } from './managed-cluster-handlers';

const clustersIn = (scope: string): string => providerPath(scope, 'Microsoft.ContainerService', 'managedClusters');
const CLUSTER = `${clustersIn(RESOURCE_GROUP_SCOPE)}/:resourceName`;

export function createManagedClusterRoutes(options: ManagedClusterOptions): Route[] {
  const handlers = createManagedClusterHandlers(options);
  return armRouteTable('aks', [
    { operation: 'managedClusters.get', method: 'GET', path: CLUSTER, handle: handlers.get },
    { operation: 'managedClusters.listByResourceGroup', method: 'GET', path: clustersIn(RESOURCE_GROUP_SCOPE), handle: handlers.listByResourceGroup },
    { operation: 'managedClusters.list', method: 'GET', path: clustersIn(SUBSCRIPTION_SCOPE), handle: handlers.list },
    { operation: 'managedClusters.listClusterUserCredential', method: 'POST', path: `${CLUSTER}/listClusterUserCredential`, handle: handlers.listClusterUserCredential },
    { operation: 'managedClusters.listClusterAdminCredential', method: 'POST', path: `${CLUSTER}/listClusterAdminCredential`, handle: handlers.listClusterAdminCredential },
  ]);
}
