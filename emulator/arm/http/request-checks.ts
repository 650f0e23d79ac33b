/**
 * What every Resource Manager request is checked for before its provider sees it, in Resource Manager's
 * order: the api-version, the subscription, then the resource group named in the path. One place for the
 * replies (`SubscriptionNotFound`, `ResourceGroupNotFound`, `ResourceNotFound`) every provider shares.
 */
import { armError, type EmulatorRequest, type EmulatorResponse } from '../../core/http-types';
import { checkApiVersion } from '../spec/api-version-rules';

export function subscriptionNotFound(subscriptionId: string): EmulatorResponse {
  return armError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
}

export function resourceGroupNotFound(resourceGroup: string): EmulatorResponse {
  return armError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
}

/** `type` as `<namespace>/<resourceType>`, e.g. 'Microsoft.ContainerInstance/containerGroups'. */
export function resourceNotFound(type: string, name: string, resourceGroup: string): EmulatorResponse {
  return armError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export interface ArmRequestCheck {
  apiVersions: readonly string[];
  /** The resource type named in api-version errors ('containerGroups'). */
  resourceType: string;
  subscriptionId: string;
  /** The region named in the api-version error (default westeurope). */
  location?: string | undefined;
  /** Whether the path's `:resourceGroupName` exists; omitted: not checked. */
  resourceGroupExists?(name: string): boolean;
}

/** undefined when the request may go on, else Resource Manager's reply. */
export function checkArmRequest(request: EmulatorRequest, check: ArmRequestCheck): EmulatorResponse | undefined {
  const versionProblem = checkApiVersion(request.query, check.apiVersions, check.resourceType, check.location);
  if (versionProblem) return versionProblem;
  const subscriptionId = request.params.subscriptionId ?? '';
  if (subscriptionId.toLowerCase() !== check.subscriptionId.toLowerCase()) return subscriptionNotFound(subscriptionId);
  const group = request.params.resourceGroupName;
  if (group !== undefined && check.resourceGroupExists && !check.resourceGroupExists(group)) return resourceGroupNotFound(group);
  return undefined;
}

/** A handler that answers with Resource Manager's refusal, or runs `next` when `checkArmRequest` lets the request go on. */
export function checkedHandler(check: ArmRequestCheck, next: (request: EmulatorRequest) => EmulatorResponse): (request: EmulatorRequest) => Promise<EmulatorResponse> {
  return (request) => Promise.resolve(checkArmRequest(request, check) ?? next(request));
}
