/**
 * The route table of Microsoft.Resources on Resource Manager (subscriptions, resource groups, generic
 * resources; handlers: subscription-, resource-group- and generic-resource-handlers.ts) and the cloud's
 * metadata endpoint (cloud-metadata.ts).
 */
import type { EmulatorRequest, EmulatorResponse, Route } from '../../core/http-types';
import type { GenericResource } from '../../core/service-context';
import type { Subscription } from '../model/subscription';
import { checkApiVersion } from '../spec/api-version-rules';
import { RESOURCES_API_VERSIONS, SUBSCRIPTIONS_API_VERSIONS } from '../spec/api-versions';
import { createCloudMetadataRoutes } from './cloud-metadata';
import { listGenericResources } from './generic-resource-handlers';
import { createResourceGroupHandlers } from './resource-group-handlers';
import { checkedHandler } from './request-checks';
import { armRouteTable, RESOURCE_GROUP_SCOPE, SUBSCRIPTION_SCOPE } from './route-table';
import { createSubscriptionHandlers } from './subscription-handlers';

export interface ResourceManagerRouteOptions {
  subscription: Subscription;
  /** e.g. https://127.0.0.1:41234 (Resource Manager and Entra ID share it). */
  origin: string;
  /** Every hosted service's resources, for the generic resource list. */
  resources(): GenericResource[];
}

export function createResourceManagerRoutes(options: ResourceManagerRouteOptions): Route[] {
  const { subscription } = options;
  const subscriptionId = subscription.subscriptionId;
  const subscriptions = createSubscriptionHandlers(subscription);
  const groups = createResourceGroupHandlers(subscription);
  const onSubscription = (resourceType: string, next: (request: EmulatorRequest) => EmulatorResponse) =>
    checkedHandler({ apiVersions: SUBSCRIPTIONS_API_VERSIONS, resourceType, subscriptionId }, next);
  const onGroups = (next: (request: EmulatorRequest) => EmulatorResponse) =>
    checkedHandler({ apiVersions: RESOURCES_API_VERSIONS, resourceType: 'resourceGroups', subscriptionId }, next);
  const listResources = checkedHandler(
    { apiVersions: RESOURCES_API_VERSIONS, resourceType: 'resources', subscriptionId, resourceGroupExists: (name) => subscription.findResourceGroup(name) !== undefined },
    (request) => listGenericResources(request, options.resources()),
  );
  const groupsPath = `${SUBSCRIPTION_SCOPE}/resourcegroups`;
  return [
    ...armRouteTable('arm', [
      {
        operation: 'subscriptions.list',
        method: 'GET',
        path: '/subscriptions',
        // No subscription in the path: only the api-version is checked.
        handle: (request) => Promise.resolve(checkApiVersion(request.query, SUBSCRIPTIONS_API_VERSIONS, 'subscriptions') ?? subscriptions.list(request)),
      },
      { operation: 'subscriptions.get', method: 'GET', path: SUBSCRIPTION_SCOPE, handle: onSubscription('subscriptions', subscriptions.get) },
      { operation: 'subscriptions.listLocations', method: 'GET', path: `${SUBSCRIPTION_SCOPE}/locations`, handle: onSubscription('locations', subscriptions.listLocations) },
      { operation: 'resourceGroups.list', method: 'GET', path: groupsPath, handle: onGroups(groups.list) },
      { operation: 'resourceGroups.get', method: 'GET', path: RESOURCE_GROUP_SCOPE, handle: onGroups(groups.get) },
      { operation: 'resourceGroups.checkExistence', method: 'HEAD', path: RESOURCE_GROUP_SCOPE, handle: onGroups(groups.get) },
      { operation: 'resourceGroups.createOrUpdate', method: 'PUT', path: RESOURCE_GROUP_SCOPE, handle: onGroups(groups.createOrUpdate) },
      { operation: 'resources.list', method: 'GET', path: `${SUBSCRIPTION_SCOPE}/resources`, handle: listResources },
      { operation: 'resources.listByResourceGroup', method: 'GET', path: `${RESOURCE_GROUP_SCOPE}/resources`, handle: listResources },
    ]),
    ...createCloudMetadataRoutes({ origin: options.origin, tenantId: subscription.tenantId }),
  ];
}
