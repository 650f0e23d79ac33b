/**
 * Authorization: `system:masters` may do anything (the local admin account); an Entra ID identity gets what
 * its Azure role assignments on the cluster allow, as AKS's Azure RBAC for Kubernetes maps the built-in
 * roles ("Azure Kubernetes Service RBAC Cluster Admin / Admin / Writer / Reader"); anyone else nothing.
 * Discovery, OpenAPI and /version are open to every authenticated user (system:discovery).
 */
import type { UserInfo } from '../api/api-types';
import type { RequestInfo } from '../api/request-info';

export type AksRbacRole =
  | 'Azure Kubernetes Service RBAC Cluster Admin'
  | 'Azure Kubernetes Service RBAC Admin'
  | 'Azure Kubernetes Service RBAC Writer'
  | 'Azure Kubernetes Service RBAC Reader';

export type Decision = { allowed: true } | { allowed: false; reason: string };

export const AZURE_RBAC_DENIAL = 'User does not have access to the resource in Azure. Update role assignment to allow access.';

const READ_VERBS = new Set(['get', 'list', 'watch']);

/** Resources (group/resource) the Writer and Reader roles cover, from their data actions. */
const NAMESPACED_WORKLOAD = new Set([
  '/pods',
  '/services',
  '/endpoints',
  '/configmaps',
  '/secrets',
  '/events',
  'apps/deployments',
  'apps/replicasets',
  'autoscaling/horizontalpodautoscalers',
  'policy/poddisruptionbudgets',
  'events.k8s.io/events',
  'discovery.k8s.io/endpointslices',
]);
const READ_ONLY_FOR_WRITER = new Set(['/events', 'events.k8s.io/events', 'discovery.k8s.io/endpointslices']);

function roleAllows(role: AksRbacRole, info: RequestInfo): boolean {
  if (info.kind === 'nonResource') return true;
  const key = `${info.group}/${info.resource}`;
  const read = READ_VERBS.has(info.verb);
  switch (role) {
    case 'Azure Kubernetes Service RBAC Cluster Admin':
      return true;
    case 'Azure Kubernetes Service RBAC Admin':
      return key !== '/namespaces' || read;
    case 'Azure Kubernetes Service RBAC Writer':
      if (key === '/namespaces') return read;
      if (!NAMESPACED_WORKLOAD.has(key)) return false;
      return read || !READ_ONLY_FOR_WRITER.has(key);
    case 'Azure Kubernetes Service RBAC Reader':
      if (key === '/namespaces') return read;
      return read && NAMESPACED_WORKLOAD.has(key) && key !== '/secrets';
  }
}

export function createAuthorizer(options: { azureRolesOf?: (objectId: string) => readonly AksRbacRole[] }): (user: UserInfo, info: RequestInfo) => Decision {
  return (user, info) => {
    if (user.groups.includes('system:masters')) return { allowed: true };
    if (info.kind === 'nonResource') return { allowed: true };
    if (user.uid !== undefined && options.azureRolesOf) {
      const roles = options.azureRolesOf(user.uid);
      if (roles.some((role) => roleAllows(role, info))) return { allowed: true };
      return { allowed: false, reason: AZURE_RBAC_DENIAL };
    }
    return { allowed: false, reason: '' };
  };
}
