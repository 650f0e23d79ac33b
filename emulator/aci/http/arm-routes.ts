/** The route table of Microsoft.ContainerInstance on Resource Manager: operation, method, path, handler. */
import type { EmulatorRequest, EmulatorResponse, Route } from '../../core/http-types';
import { armRouteTable, providerPath, RESOURCE_GROUP_SCOPE, SUBSCRIPTION_SCOPE } from '../../arm/http/route-table';
import type { AciState } from '../aci-state';
import { deleteGroup, getGroup, listInResourceGroup, listInSubscription, patchGroup } from './container-groups';
import { createOrUpdate } from './create-or-update';
import { containerLogs, restartGroup, startGroup, stopGroup } from './group-actions';
import { capabilities, operationStatus, usages } from './location-handlers';

const NAMESPACE = 'Microsoft.ContainerInstance';
const GROUPS_IN_GROUP = providerPath(RESOURCE_GROUP_SCOPE, NAMESPACE, 'containerGroups');
const GROUP = `${GROUPS_IN_GROUP}/:containerGroupName`;
const LOCATION = providerPath(SUBSCRIPTION_SCOPE, NAMESPACE, 'locations/:location');

type Handler = (state: AciState, request: EmulatorRequest) => Promise<EmulatorResponse>;

export function createAciRoutes(state: AciState): Route[] {
  const on = (handler: Handler) => (request: EmulatorRequest): Promise<EmulatorResponse> => handler(state, request);
  return armRouteTable('aci', [
    { operation: 'containerGroups.createOrUpdate', method: 'PUT', path: GROUP, handle: on(createOrUpdate) },
    { operation: 'containerGroups.get', method: 'GET', path: GROUP, handle: on(getGroup) },
    { operation: 'containerGroups.update', method: 'PATCH', path: GROUP, handle: on(patchGroup) },
    { operation: 'containerGroups.delete', method: 'DELETE', path: GROUP, handle: on(deleteGroup) },
    { operation: 'containerGroups.listByResourceGroup', method: 'GET', path: GROUPS_IN_GROUP, handle: on(listInResourceGroup) },
    { operation: 'containerGroups.list', method: 'GET', path: providerPath(SUBSCRIPTION_SCOPE, NAMESPACE, 'containerGroups'), handle: on(listInSubscription) },
    { operation: 'containerGroups.restart', method: 'POST', path: `${GROUP}/restart`, handle: on(restartGroup) },
    { operation: 'containerGroups.stop', method: 'POST', path: `${GROUP}/stop`, handle: on(stopGroup) },
    { operation: 'containerGroups.start', method: 'POST', path: `${GROUP}/start`, handle: on(startGroup) },
    { operation: 'containers.listLogs', method: 'GET', path: `${GROUP}/containers/:containerName/logs`, handle: on(containerLogs) },
    { operation: 'location.listCapabilities', method: 'GET', path: `${LOCATION}/capabilities`, handle: on(capabilities) },
    { operation: 'location.listUsage', method: 'GET', path: `${LOCATION}/usages`, handle: on(usages) },
    { operation: 'operations.get', method: 'GET', path: providerPath(RESOURCE_GROUP_SCOPE, NAMESPACE, 'locations/:location/operations/:operationId'), handle: on(operationStatus) },
    { operation: 'operations.getInSubscription', method: 'GET', path: `${LOCATION}/operations/:operationId`, handle: on(operationStatus) },
  ]);
}
