/**
 * The `$filter` of Resource Manager's generic resource list, in the forms clients send: `resourceType eq
 * '...'`, `name eq '...'`, `resourceGroup eq '...'`, joined by `and` (e.g. `az acr login --name` finds a
 * registry this way). Pure: parses a filter and tells whether a resource matches it.
 */
import type { GenericResource } from '../../core/service-context';

const CLAUSE = /^\s*(resourceType|name|resourceGroup)\s+eq\s+'((?:[^']|'')*)'\s*$/i;

type Field = 'resourcetype' | 'name' | 'resourcegroup';

export interface FilterClause {
  field: Field;
  value: string;
}

/** The filter as (field, value) pairs that must all hold, or the reason it is not understood. */
export function parseResourceFilter(filter: string): { clauses: FilterClause[] } | { problem: string } {
  if (filter.trim() === '') return { clauses: [] };
  const clauses: FilterClause[] = [];
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

export function matchesFilter(resource: GenericResource, clauses: readonly FilterClause[]): boolean {
  return clauses.every(({ field, value }) => {
    const actual = field === 'resourcetype' ? resource.type : field === 'name' ? resource.name : resourceGroupOf(resource.id);
    return actual.toLowerCase() === value.toLowerCase();
  });
}
