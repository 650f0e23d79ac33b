/** The checks every Container Instances request goes through: api-version, subscription, resource group (Resource Manager's, arm/request-checks.ts), then the container group. */
import type { EmulatorRequest, EmulatorResponse } from '../../core/http-types';
import { checkArmRequest, resourceGroupNotFound, resourceNotFound } from '../../arm/http/request-checks';
import type { AciState } from '../aci-state';
import { CONTAINER_GROUP_API_VERSIONS } from '../spec/api-versions';
import type { GroupRecord } from '../model/group-store';

export type Guarded<T> = { ok: true; value: T } | { ok: false; response: EmulatorResponse };

const CONTAINER_GROUPS = 'containerGroups';

export function param(request: EmulatorRequest, name: string): string {
  return request.params[name] ?? '';
}

/** api-version and subscription. */
export function guardSubscription(state: AciState, request: EmulatorRequest, location?: string): EmulatorResponse | undefined {
  return checkArmRequest(request, {
    apiVersions: CONTAINER_GROUP_API_VERSIONS,
    resourceType: CONTAINER_GROUPS,
    subscriptionId: state.ctx.subscriptionId,
    location: location ?? state.ctx.locations[0],
  });
}

/** api-version, subscription and resource group; the group's location. */
export function guardResourceGroup(state: AciState, request: EmulatorRequest): Guarded<string> {
  const problem = guardSubscription(state, request);
  if (problem) return { ok: false, response: problem };
  const resourceGroup = param(request, 'resourceGroupName');
  const location = state.ctx.resourceGroupLocation(resourceGroup);
  if (location === undefined) return { ok: false, response: resourceGroupNotFound(resourceGroup) };
  return { ok: true, value: location };
}

/** As guardResourceGroup, plus the container group must exist. */
export function guardGroup(state: AciState, request: EmulatorRequest): Guarded<GroupRecord> {
  const resourceGroup = guardResourceGroup(state, request);
  if (!resourceGroup.ok) return resourceGroup;
  const record = state.store.get(param(request, 'resourceGroupName'), param(request, 'containerGroupName'));
  if (!record) return { ok: false, response: resourceNotFound('Microsoft.ContainerInstance/containerGroups', param(request, 'containerGroupName'), param(request, 'resourceGroupName')) };
  return { ok: true, value: record };
}

export function frontUrl(request: EmulatorRequest): string {
  const host = request.headers.host ?? 'localhost';
  return `https://${host}`;
}
