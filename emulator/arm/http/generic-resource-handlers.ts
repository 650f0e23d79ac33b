/**
 * Resource Manager's generic resource list (`GET /subscriptions/{s}[/resourceGroups/{rg}]/resources`,
 * filtered by `$filter`). Every hosted service lists its resources; this file only filters and shapes them.
 */
import { armError, type EmulatorRequest, type EmulatorResponse } from '../../core/http-types';
import type { GenericResource } from '../../core/service-context';
import { matchesFilter, parseResourceFilter, resourceGroupOf } from '../model/resource-filter';

/** Both list operations: the subscription's (no `:resourceGroupName`) and a resource group's. */
export function listGenericResources(request: EmulatorRequest, resources: readonly GenericResource[]): EmulatorResponse {
  const group = request.params.resourceGroupName;
  const filter = parseResourceFilter(request.query.get('$filter') ?? '');
  if ('problem' in filter) return armError(400, 'InvalidFilterInQueryString', filter.problem);
  const value = resources.filter((resource) => (group === undefined || resourceGroupOf(resource.id).toLowerCase() === group.toLowerCase()) && matchesFilter(resource, filter.clauses));
  return { status: 200, body: { value } };
}
