/** Microsoft.Resources: the subscription, its locations, and resource groups (get, list, check existence, create). */
import { armError, type EmulatorRequest, type EmulatorResponse, type Route } from '../core/http-types';
import { checkApiVersion } from './api-version';
import { normaliseLocation } from './locations';
import { checkArmRequest, resourceGroupNotFound } from './request-checks';
import { armRouteTable, RESOURCE_GROUP_SCOPE, SUBSCRIPTION_SCOPE } from './route-table';
import { resourceGroupId, type ResourceGroup, type Subscription } from './subscription';

export const RESOURCES_API_VERSIONS = [
  '2018-05-01', '2019-05-01', '2019-10-01', '2020-06-01', '2020-10-01', '2021-01-01', '2021-04-01', '2022-09-01',
  '2023-07-01', '2024-03-01', '2024-07-01', '2024-11-01', '2025-01-01', '2025-03-01', '2025-04-01',
];
const SUBSCRIPTIONS_API_VERSIONS = ['2016-06-01', '2019-06-01', '2019-11-01', '2020-01-01', '2021-01-01', '2022-12-01'];

function toArm(subscriptionId: string, group: ResourceGroup): Record<string, unknown> {
  return {
    id: resourceGroupId(subscriptionId, group.name),
    name: group.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: group.location,
    ...(Object.keys(group.tags).length > 0 ? { tags: group.tags } : {}),
    properties: { provisioningState: 'Succeeded' },
  };
}

export function createResourceGroupRoutes(subscription: Subscription): Route[] {
  const sub = subscription.subscriptionId;

  /** Runs `next` when the api-version is fine and the subscription exists. */
  const guarded = (apiVersions: readonly string[], resourceType: string, next: (request: EmulatorRequest) => EmulatorResponse) =>
    (request: EmulatorRequest): Promise<EmulatorResponse> =>
      Promise.resolve(checkArmRequest(request, { apiVersions, resourceType, subscriptionId: sub }) ?? next(request));

  const subscriptionBody = (): Record<string, unknown> => ({
    id: `/subscriptions/${sub}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: sub,
    tenantId: subscription.tenantId,
    displayName: subscription.displayName,
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  });

  const getGroup = (request: EmulatorRequest): EmulatorResponse => {
    const name = request.params.resourceGroupName ?? '';
    const group = subscription.findResourceGroup(name);
    if (!group) return resourceGroupNotFound(name);
    return { status: request.method === 'HEAD' ? 204 : 200, body: request.method === 'HEAD' ? undefined : toArm(sub, group) };
  };

  const putGroup = (request: EmulatorRequest): EmulatorResponse => {
    const name = request.params.resourceGroupName ?? '';
    let parsed: { location?: unknown; tags?: unknown };
    try {
      parsed = JSON.parse(request.body.toString('utf8')) as typeof parsed;
    } catch {
      return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    }
    if (typeof parsed.location !== 'string' || parsed.location === '') {
      return armError(400, 'LocationRequired', 'The location property is required for this definition.');
    }
    const location = normaliseLocation(parsed.location);
    if (!subscription.locations.some((candidate) => candidate.name === location)) {
      return armError(400, 'LocationNotAvailableForResourceGroup', `The provided location '${parsed.location}' is not available for resource group.`);
    }
    const tags = typeof parsed.tags === 'object' && parsed.tags !== null ? (parsed.tags as Record<string, string>) : {};
    const result = subscription.putResourceGroup({ name, location, tags });
    return { status: result.created ? 201 : 200, body: toArm(sub, result.group) };
  };

  const groups = `${SUBSCRIPTION_SCOPE}/resourcegroups`;
  return armRouteTable('arm', [
    {
      operation: 'subscriptions.list',
      method: 'GET',
      path: '/subscriptions',
      handle: (request) => Promise.resolve(checkApiVersion(request.query, SUBSCRIPTIONS_API_VERSIONS, 'subscriptions') ?? { status: 200, body: { value: [subscriptionBody()], count: { type: 'Total', value: 1 } } }),
    },
    { operation: 'subscriptions.get', method: 'GET', path: SUBSCRIPTION_SCOPE, handle: guarded(SUBSCRIPTIONS_API_VERSIONS, 'subscriptions', () => ({ status: 200, body: subscriptionBody() })) },
    {
      operation: 'subscriptions.listLocations',
      method: 'GET',
      path: `${SUBSCRIPTION_SCOPE}/locations`,
      handle: guarded(SUBSCRIPTIONS_API_VERSIONS, 'locations', () => ({
        status: 200,
        body: {
          value: subscription.locations.map((location) => ({
            id: `/subscriptions/${sub}/locations/${location.name}`,
            name: location.name,
            type: 'Region',
            displayName: location.displayName,
            regionalDisplayName: `(Europe) ${location.displayName}`,
            metadata: { regionType: 'Physical', regionCategory: 'Recommended' },
          })),
        },
      })),
    },
    {
      operation: 'resourceGroups.list',
      method: 'GET',
      path: groups,
      handle: guarded(RESOURCES_API_VERSIONS, 'resourceGroups', () => ({ status: 200, body: { value: subscription.resourceGroups().map((group) => toArm(sub, group)) } })),
    },
    { operation: 'resourceGroups.get', method: 'GET', path: RESOURCE_GROUP_SCOPE, handle: guarded(RESOURCES_API_VERSIONS, 'resourceGroups', getGroup) },
    { operation: 'resourceGroups.checkExistence', method: 'HEAD', path: RESOURCE_GROUP_SCOPE, handle: guarded(RESOURCES_API_VERSIONS, 'resourceGroups', getGroup) },
    { operation: 'resourceGroups.createOrUpdate', method: 'PUT', path: RESOURCE_GROUP_SCOPE, handle: guarded(RESOURCES_API_VERSIONS, 'resourceGroups', putGroup) },
  ]);
}
