/** The Microsoft.ContainerInstance routes, as the local Azure's front hosts them (ARM auth). */
import type { EmulatorRequest, EmulatorResponse, Route } from '../../core/http-types';
import type { AciState } from '../aci-state';
import { deleteGroup, getGroup, listInResourceGroup, listInSubscription, patchGroup } from './container-groups';
import { createOrUpdate } from './create-or-update';
import { containerLogs, restartGroup, startGroup, stopGroup } from './group-actions';
import { capabilities, operationStatus, usages } from './location-handlers';

const PROVIDER = 'providers/Microsoft.ContainerInstance';
const SUBSCRIPTION = '/subscriptions/:subscriptionId';
const RESOURCE_GROUP = `${SUBSCRIPTION}/resourceGroups/:resourceGroupName`;
const GROUP = `${RESOURCE_GROUP}/${PROVIDER}/containerGroups/:containerGroupName`;

type Handler = (state: AciState, request: EmulatorRequest) => Promise<EmulatorResponse>;

export function createAciRoutes(state: AciState): Route[] {
  const route = (name: string, method: Route['method'], path: string, handler: Handler): Route => ({
    name: `aci.${name}`,
    method,
    path,
    auth: 'arm',
    handle: (request) => handler(state, request),
  });
  return [
    route('containerGroups.createOrUpdate', 'PUT', GROUP, createOrUpdate),
    route('containerGroups.get', 'GET', GROUP, getGroup),
    route('containerGroups.update', 'PATCH', GROUP, patchGroup),
    route('containerGroups.delete', 'DELETE', GROUP, deleteGroup),
    route('containerGroups.listByResourceGroup', 'GET', `${RESOURCE_GROUP}/${PROVIDER}/containerGroups`, listInResourceGroup),
    route('containerGroups.list', 'GET', `${SUBSCRIPTION}/${PROVIDER}/containerGroups`, listInSubscription),
    route('containerGroups.restart', 'POST', `${GROUP}/restart`, restartGroup),
    route('containerGroups.stop', 'POST', `${GROUP}/stop`, stopGroup),
    route('containerGroups.start', 'POST', `${GROUP}/start`, startGroup),
    route('containers.listLogs', 'GET', `${GROUP}/containers/:containerName/logs`, containerLogs),
    route('location.listCapabilities', 'GET', `${SUBSCRIPTION}/${PROVIDER}/locations/:location/capabilities`, capabilities),
    route('location.listUsage', 'GET', `${SUBSCRIPTION}/${PROVIDER}/locations/:location/usages`, usages),
    route('operations.get', 'GET', `${RESOURCE_GROUP}/${PROVIDER}/locations/:location/operations/:operationId`, operationStatus),
    route('operations.getInSubscription', 'GET', `${SUBSCRIPTION}/${PROVIDER}/locations/:location/operations/:operationId`, operationStatus),
  ];
}
