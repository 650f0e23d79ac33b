/**
 * The managed clusters a local Azure seeds in rg-models (fresh ids each run), and their role
 * assignments: `aks-models` with AKS-managed Entra ID, Azure RBAC and local accounts disabled;
 * `aks-models-local` with local accounts (client certificates). The identities of the ready-made Azure
 * connections may read both and list their user and admin credentials (the Entra ID cluster refuses admin ones), and are
 * "Azure Kubernetes Service RBAC Writer" on the Entra ID cluster; the pull-only principal has no AKS role
 * at all (its Kubernetes calls are 403). Each cluster's kubelet identity has AcrPull on the first registry.
 * Pure: data in, data out.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RoleAssignment } from '../../acr/model/registry-roles';
import type { ManagedIdentityPrincipal } from '../../identity/model/directory';
import { userAssignedIdentityResourceId } from '../../identity/model/user-assigned-identities';
import { managedClusterId, type ManagedClusterRecord } from './managed-cluster-body';

export const DEFAULT_KUBERNETES_VERSION = '1.36.0';

export interface ClusterSeedFacts {
  subscriptionId: string;
  tenantId: string;
  resourceGroup: string;
  location: string;
  instanceId: string;
  kubernetesVersion?: string;
}

export interface SeededCluster {
  record: ManagedClusterRecord;
  kubeletIdentity: ManagedIdentityPrincipal;
}

/** One managed cluster: with AKS-managed Entra ID and local accounts disabled, or with local accounts only. */
export function clusterRecord(facts: ClusterSeedFacts, name: string, entraId: boolean): SeededCluster {
  const nodeResourceGroup = `MC_${facts.resourceGroup}_${name}_${facts.location}`;
  const kubeletIdentity: ManagedIdentityPrincipal = { displayName: `${name}-agentpool`, clientId: randomUUID(), objectId: randomUUID(), systemAssigned: false, resourceGroup: nodeResourceGroup };
  const dnsPrefix = `${name}-${facts.resourceGroup}-${facts.subscriptionId.slice(0, 6)}`.slice(0, 54);
  const hash = createHash('sha256').update(`${facts.instanceId}/${name}`).digest('hex').slice(0, 8);
  const poolHash = createHash('sha256').update(`${facts.instanceId}/${name}/pool`).digest('hex').replace(/[a-f]/g, '').padEnd(8, '1').slice(0, 8);
  return {
    kubeletIdentity,
    record: {
      name,
      resourceGroup: facts.resourceGroup,
      location: facts.location,
      subscriptionId: facts.subscriptionId,
      tenantId: facts.tenantId,
      kubernetesVersion: facts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
      dnsPrefix,
      fqdn: `${dnsPrefix}-${hash}.hcp.${facts.location}.azmk8s.io`,
      entraId,
      disableLocalAccounts: entraId,
      kubeletIdentity: { resourceId: userAssignedIdentityResourceId(facts.subscriptionId, kubeletIdentity), clientId: kubeletIdentity.clientId, objectId: kubeletIdentity.objectId },
      principalId: randomUUID(),
      agentPools: [{ name: 'nodepool1', count: 1, vmSize: 'Standard_D2s_v3', nodeNames: [`aks-nodepool1-${poolHash}-vmss000000`] }],
      nodeResourceGroup,
    },
  };
}

export function seedClusters(facts: ClusterSeedFacts): SeededCluster[] {
  return [clusterRecord(facts, 'aks-models', true), clusterRecord(facts, 'aks-models-local', false)];
}

export interface ClusterRoleFacts {
  clusters: readonly ManagedClusterRecord[];
  /** Object ids of the identities behind the ready-made Azure connections. */
  deployers: readonly string[];
  /** Registry the kubelet identities may pull from. */
  pullRegistryId: string | undefined;
}

export function seedClusterRoleAssignments(facts: ClusterRoleFacts): RoleAssignment[] {
  return facts.clusters.flatMap((cluster) => {
    const scope = managedClusterId(cluster);
    const forDeployers = facts.deployers.flatMap((principalId): RoleAssignment[] => [
      { principalId, role: 'Azure Kubernetes Service Cluster User Role', scope },
      { principalId, role: 'Azure Kubernetes Service Cluster Admin Role', scope },
      ...(cluster.entraId ? [{ principalId, role: 'Azure Kubernetes Service RBAC Writer' as const, scope }] : []),
    ]);
    const kubelet: RoleAssignment[] = facts.pullRegistryId ? [{ principalId: cluster.kubeletIdentity.objectId, role: 'AcrPull', scope: facts.pullRegistryId }] : [];
    return [...forDeployers, ...kubelet];
  });
}
