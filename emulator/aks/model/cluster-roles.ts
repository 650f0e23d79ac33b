/**
 * What Azure RBAC lets a principal do with a managed cluster: the Resource Manager actions of the built-in
 * roles (read, listClusterUserCredential, listClusterAdminCredential), and which "Azure Kubernetes Service
 * RBAC *" roles it holds on the cluster for the Kubernetes API (Azure RBAC for Kubernetes authorization).
 * Assignments apply at the cluster or any scope above it. Pure.
 */
import { scopeCovers, type BuiltInRole, type RoleAssignment } from '../../acr/model/registry-roles';
import type { AksRbacRole } from '../../kubernetes/auth/authorization';

export type ClusterAction = 'read' | 'listClusterUserCredential' | 'listClusterAdminCredential';

export const ARM_ACTION_NAMES: Readonly<Record<ClusterAction, string>> = {
  read: 'Microsoft.ContainerService/managedClusters/read',
  listClusterUserCredential: 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
  listClusterAdminCredential: 'Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action',
};

const ROLE_CLUSTER_ACTIONS: Partial<Record<BuiltInRole, readonly ClusterAction[]>> = {
  Owner: ['read', 'listClusterUserCredential', 'listClusterAdminCredential'],
  Contributor: ['read', 'listClusterUserCredential', 'listClusterAdminCredential'],
  Reader: ['read'],
  'Azure Kubernetes Service Cluster User Role': ['read', 'listClusterUserCredential'],
  'Azure Kubernetes Service Cluster Admin Role': ['read', 'listClusterAdminCredential'],
};

const KUBERNETES_ROLES: readonly AksRbacRole[] = [
  'Azure Kubernetes Service RBAC Cluster Admin',
  'Azure Kubernetes Service RBAC Admin',
  'Azure Kubernetes Service RBAC Writer',
  'Azure Kubernetes Service RBAC Reader',
];

function assignmentsOf(assignments: readonly RoleAssignment[], principalId: string, clusterId: string): RoleAssignment[] {
  return assignments.filter((assignment) => assignment.principalId.toLowerCase() === principalId.toLowerCase() && scopeCovers(assignment.scope, clusterId));
}

export function mayPerform(assignments: readonly RoleAssignment[], principalId: string, clusterId: string, action: ClusterAction): boolean {
  return assignmentsOf(assignments, principalId, clusterId).some((assignment) => ROLE_CLUSTER_ACTIONS[assignment.role]?.includes(action) ?? false);
}

export function kubernetesRolesOf(assignments: readonly RoleAssignment[], principalId: string, clusterId: string): AksRbacRole[] {
  return assignmentsOf(assignments, principalId, clusterId)
    .map((assignment) => assignment.role)
    .filter((role): role is AksRbacRole => (KUBERNETES_ROLES as readonly string[]).includes(role));
}
