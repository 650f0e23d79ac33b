/** Microsoft.Resources' resource groups: get, check existence (HEAD), create or update. */
import { armError, type EmulatorRequest, type EmulatorResponse } from '../../core/http-types';
import { resourceGroupId, type ResourceGroup, type Subscription } from '../model/subscription';
import { normaliseLocation } from '../spec/locations';
import { resourceGroupNotFound } from './request-checks';

export function resourceGroupBody(subscriptionId: string, group: ResourceGroup): Record<string, unknown> {
  return {
    id: resourceGroupId(subscriptionId, group.name),
    name: group.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: group.location,
    ...(Object.keys(group.tags).length > 0 ? { tags: group.tags } : {}),
    properties: { provisioningState: 'Succeeded' },
  };
}

export interface ResourceGroupHandlers {
  list: (request: EmulatorRequest) => EmulatorResponse;
  /** GET, and HEAD (checkExistence: 204 without a body). */
  get: (request: EmulatorRequest) => EmulatorResponse;
  createOrUpdate: (request: EmulatorRequest) => EmulatorResponse;
}

export function createResourceGroupHandlers(subscription: Subscription): ResourceGroupHandlers {
  const sub = subscription.subscriptionId;
  return {
    list: () => ({ status: 200, body: { value: subscription.resourceGroups().map((group) => resourceGroupBody(sub, group)) } }),
    get(request) {
      const name = request.params.resourceGroupName ?? '';
      const group = subscription.findResourceGroup(name);
      if (!group) return resourceGroupNotFound(name);
      return { status: request.method === 'HEAD' ? 204 : 200, body: request.method === 'HEAD' ? undefined : resourceGroupBody(sub, group) };
    },
    createOrUpdate(request) {
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
      return { status: result.created ? 201 : 200, body: resourceGroupBody(sub, result.group) };
    },
  };
}
