/**
 * Every resource the local Kubernetes API server serves, as its discovery documents name it
 * (group, version, plural resource, kind, scope). The store, the API server and the controllers all
 * address objects by these values.
 */
export interface ResourceType {
  /** '' for the core group (`/api/v1`). */
  group: string;
  version: string;
  /** Plural, lower case: 'deployments'. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** A resource type plus what the API server needs to serve it (not part of the store's contract). */
export interface ServedResourceType extends ResourceType {
  singular: string;
  shortNames: readonly string[];
  verbs: readonly string[];
  categories?: readonly string[];
  /** Has a `/status` subresource: updates of the main resource keep the stored status. */
  statusSubresource: boolean;
  /** Has a `/scale` subresource (autoscaling/v1 Scale on spec.replicas). */
  scaleSubresource: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const NAMESPACE_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] as const;

function served(
  type: ResourceType,
  extra: { singular: string; shortNames?: string[]; categories?: string[]; status?: boolean; scale?: boolean; verbs?: readonly string[] },
): ServedResourceType {
  return {
    ...type,
    singular: extra.singular,
    shortNames: extra.shortNames ?? [],
    verbs: extra.verbs ?? ALL_VERBS,
    ...(extra.categories ? { categories: extra.categories } : {}),
    statusSubresource: extra.status ?? false,
    scaleSubresource: extra.scale ?? false,
  };
}

export const NAMESPACES = served({ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false }, { singular: 'namespace', shortNames: ['ns'], status: true, verbs: NAMESPACE_VERBS });
export const PODS = served({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true }, { singular: 'pod', shortNames: ['po'], categories: ['all'], status: true });
export const SERVICES = served({ group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true }, { singular: 'service', shortNames: ['svc'], categories: ['all'], status: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] });
export const ENDPOINTS = served({ group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true }, { singular: 'endpoints', shortNames: ['ep'] });
export const SECRETS = served({ group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true }, { singular: 'secret' });
export const CONFIG_MAPS = served({ group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true }, { singular: 'configmap', shortNames: ['cm'] });
export const EVENTS = served({ group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true }, { singular: 'event', shortNames: ['ev'] });
export const EVENTS_V1 = served({ group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', namespaced: true }, { singular: 'event', shortNames: ['ev'] });
export const ENDPOINT_SLICES = served({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true }, { singular: 'endpointslice' });
export const DEPLOYMENTS = served({ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true }, { singular: 'deployment', shortNames: ['deploy'], categories: ['all'], status: true, scale: true });
export const REPLICA_SETS = served({ group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true }, { singular: 'replicaset', shortNames: ['rs'], categories: ['all'], status: true, scale: true });
export const HORIZONTAL_POD_AUTOSCALERS = served({ group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true }, { singular: 'horizontalpodautoscaler', shortNames: ['hpa'], categories: ['all'], status: true });
export const POD_DISRUPTION_BUDGETS = served({ group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true }, { singular: 'poddisruptionbudget', shortNames: ['pdb'], status: true });

/** In the order discovery lists them. */
export const SERVED_RESOURCE_TYPES: readonly ServedResourceType[] = [
  NAMESPACES,
  PODS,
  SERVICES,
  ENDPOINTS,
  SECRETS,
  CONFIG_MAPS,
  EVENTS,
  EVENTS_V1,
  ENDPOINT_SLICES,
  DEPLOYMENTS,
  REPLICA_SETS,
  HORIZONTAL_POD_AUTOSCALERS,
  POD_DISRUPTION_BUDGETS,
];

/** `deployments.apps`, `pods`: how Kubernetes names a resource in messages. */
export function qualifiedResource(type: Pick<ResourceType, 'group' | 'resource'>): string {
  return type.group === '' ? type.resource : `${type.resource}.${type.group}`;
}

/** `apps/v1`, `v1`. */
export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

export function sameResource(a: ResourceType, b: ResourceType): boolean {
  return a.group === b.group && a.resource === b.resource;
}

export function findServedType(group: string, version: string, resource: string): ServedResourceType | undefined {
  return SERVED_RESOURCE_TYPES.find((type) => type.group === group && type.version === version && type.resource === resource);
}

export function servedTypeOf(type: ResourceType): ServedResourceType | undefined {
  return findServedType(type.group, type.version, type.resource);
}
