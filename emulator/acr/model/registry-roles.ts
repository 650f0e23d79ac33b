/**
 * Azure RBAC as a container registry applies it (ACR's "LegacyRegistryPermissions" mode): role
 * assignments at a scope (subscription, resource group or registry, inherited downwards) and what each
 * built-in role lets an identity do on the registry's data plane. Pure, apart from the small store.
 */
import type { ScopeAccess } from './registry-tokens';

/** ACR data-plane actions, as they appear in the `access` claim of ACR access tokens. */
export type RegistryAction = 'pull' | 'push' | 'delete' | 'metadata_read' | 'metadata_write';

/** The built-in roles the local Azure knows (names as Azure spells them). */
export type BuiltInRole =
  | 'Owner'
  | 'Contributor'
  | 'Reader'
  | 'AcrPush'
  | 'AcrPull'
  | 'AcrDelete'
  | 'Azure Kubernetes Service Cluster User Role'
  | 'Azure Kubernetes Service Cluster Admin Role'
  | 'Azure Kubernetes Service RBAC Cluster Admin'
  | 'Azure Kubernetes Service RBAC Admin'
  | 'Azure Kubernetes Service RBAC Writer'
  | 'Azure Kubernetes Service RBAC Reader';

export interface RoleAssignment {
  /** The principal's object id (`oid` of its Entra ID tokens). */
  principalId: string;
  role: BuiltInRole;
  /** A resource id: `/subscriptions/<id>`, `.../resourceGroups/<rg>`, or a registry's id. */
  scope: string;
}

/**
 * What each role allows on a registry, from "Azure Container Registry roles and permissions": Owner and
 * Contributor: everything; Reader: pull (it holds `*\/read`); AcrPush: pull and push; AcrPull: pull;
 * AcrDelete: delete. Reading metadata goes with pull, writing it with push.
 */
const ROLE_ACTIONS: Readonly<Record<BuiltInRole, readonly RegistryAction[]>> = {
  Owner: ['pull', 'push', 'delete', 'metadata_read', 'metadata_write'],
  Contributor: ['pull', 'push', 'delete', 'metadata_read', 'metadata_write'],
  Reader: ['pull', 'metadata_read'],
  AcrPush: ['pull', 'push', 'metadata_read', 'metadata_write'],
  AcrPull: ['pull', 'metadata_read'],
  AcrDelete: ['delete'],
  // The AKS roles grant nothing on registries (see aks/cluster-roles.ts for what they grant on clusters).
  'Azure Kubernetes Service Cluster User Role': [],
  'Azure Kubernetes Service Cluster Admin Role': [],
  'Azure Kubernetes Service RBAC Cluster Admin': [],
  'Azure Kubernetes Service RBAC Admin': [],
  'Azure Kubernetes Service RBAC Writer': [],
  'Azure Kubernetes Service RBAC Reader': [],
};

/** Everything: the admin user and the emulator's own push helper. */
export const ALL_ACTIONS: readonly RegistryAction[] = ROLE_ACTIONS.Owner;

/** True when an assignment at `scope` applies to `resourceId` (same resource, or a parent of it). */
export function scopeCovers(scope: string, resourceId: string): boolean {
  const parent = scope.replace(/\/+$/, '').toLowerCase();
  const resource = resourceId.toLowerCase();
  return resource === parent || resource.startsWith(`${parent}/`);
}

/** The union of the actions `principalId`'s roles allow on the registry `registryId`. */
export function allowedActions(assignments: readonly RoleAssignment[], principalId: string, registryId: string): RegistryAction[] {
  const allowed = new Set<RegistryAction>();
  for (const assignment of assignments) {
    if (assignment.principalId.toLowerCase() !== principalId.toLowerCase() || !scopeCovers(assignment.scope, registryId)) continue;
    for (const action of ROLE_ACTIONS[assignment.role]) allowed.add(action);
  }
  return ALL_ACTIONS.filter((action) => allowed.has(action));
}

/**
 * The access an ACR access token carries for the requested scopes: each scope keeps only the actions
 * allowed (ACR does not refuse the token request; it narrows it). `repository:<name>:*` stands for every
 * allowed action; `registry:catalog:*` (listing repositories) goes with reading metadata.
 */
export function grantAccess(requested: readonly ScopeAccess[], allowed: readonly RegistryAction[]): ScopeAccess[] {
  const permits = (action: string): boolean => (allowed as readonly string[]).includes(action);
  return requested.map((scope) => {
    if (scope.type === 'registry') {
      return { ...scope, actions: scope.name === 'catalog' && permits('metadata_read') ? scope.actions.filter((action) => action === '*') : [] };
    }
    if (scope.type !== 'repository') return { ...scope, actions: [] };
    const actions = scope.actions.flatMap((action) => (action === '*' ? [...allowed] : permits(action) ? [action] : []));
    return { ...scope, actions: [...new Set(actions)] };
  });
}

/** The tenant's role assignments (what `az role assignment create/delete` changes). */
export interface RoleAssignments {
  list(): readonly RoleAssignment[];
  add(assignment: RoleAssignment): void;
  /** Removes every assignment of `principalId` (optionally only one role); returns how many went. */
  remove(principalId: string, role?: BuiltInRole): number;
}

export function createRoleAssignments(initial: readonly RoleAssignment[] = []): RoleAssignments {
  let assignments: RoleAssignment[] = [...initial];
  return {
    list: () => assignments,
    add(assignment) {
      assignments = [...assignments, assignment];
    },
    remove(principalId, role) {
      const before = assignments.length;
      assignments = assignments.filter((a) => a.principalId.toLowerCase() !== principalId.toLowerCase() || (role !== undefined && a.role !== role));
      return before - assignments.length;
    },
  };
}
