/**
 * Resource Manager's generic resource list (`GET /subscriptions/{s}[/resourceGroups/{rg}]/resources`),
 * with the `$filter` forms clients send: `resourceType eq '...'`, `name eq '...'`, `resourceGroup eq
 * '...'`, joined by `and` (e.g. `az acr login --name` finds a registry this way). Every hosted service
 * lists its resources; this file only filters and shapes them.
 */
import { armError, type EmulatorRequest, type EmulatorResponse, type Route } from '../core/http-types';
import type { GenericResource } from '../core/service-context';
import { checkArmRequest } from './request-checks';
import { armRouteTable, RESOURCE_GROUP_SCOPE, SUBSCRIPTION_SCOPE } from './route-table';
import { RESOURCES_API_VERSIONS } from './resource-groups';
import type { Subscription } from './subscription';

const CLAUSE = /^\s*(resourceType|name|resourceGroup)\s+eq\s+'((?:[^']|'')*)'\s*$/i;

type Field = 'resourcetype' | 'name' | 'resourcegroup';

/** The filter as (field, value) pairs that must all hold, or the reason it is not understood. */
export function parseResourceFilter(filter: string): { clauses: { field: Field; value: string }[] } | { problem: string } {
  if (filter.trim() === '') return { clauses: [] };
  const clauses: { field: Field; value: string }[] = [];
  for (const part of filter.split(/\s+and\s+/i)) {
    const match = CLAUSE.exec(part);
    if (!match?.[1] || match[2] === undefined) return { problem: `Invalid $filter '${filter}' specified in the query string.` };
    clauses.push({ field: match[1].toLowerCase() as Field, value: match[2].replace(/''/g, "'") });
  }
  return { clauses };
}

export function resourceGroupOf(id: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '';
}

function matches(resource: GenericResource, clauses: { field: Field; value: string }[]): boolean {
  return clauses.every(({ field, value }) => {
    const actual = field === 'resourcetype' ? resource.type : field === 'name' ? resource.name : resourceGroupOf(resource.id);
    return actual.toLowerCase() === value.toLowerCase();
  });
}

export function createGenericResourceRoutes(subscription: Subscription, resources: () => GenericResource[]): Route[] {
  const list = (request: EmulatorRequest): Promise<EmulatorResponse> => {
    const problem = checkArmRequest(request, {
      apiVersions: RESOURCES_API_VERSIONS,
      resourceType: 'resources',
      subscriptionId: subscription.subscriptionId,
      resourceGroupExists: (name) => subscription.findResourceGroup(name) !== undefined,
    });
    if (problem) return Promise.resolve(problem);
    const group = request.params.resourceGroupName;
    const filter = parseResourceFilter(request.query.get('$filter') ?? '');
    if ('problem' in filter) return Promise.resolve(armError(400, 'InvalidFilterInQueryString', filter.problem));
    const value = resources().filter((resource) => (group === undefined || resourceGroupOf(resource.id).toLowerCase() === group.toLowerCase()) && matches(resource, filter.clauses));
    return Promise.resolve({ status: 200, body: { value } });
  };
  return armRouteTable('arm', [
    { operation: 'resources.list', method: 'GET', path: `${SUBSCRIPTION_SCOPE}/resources`, handle: list },
    { operation: 'resources.listByResourceGroup', method: 'GET', path: `${RESOURCE_GROUP_SCOPE}/resources`, handle: list },
  ]);
}
