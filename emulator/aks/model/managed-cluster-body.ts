/**
 * A managed cluster as Resource Manager returns it (Microsoft.ContainerService 2025-10-01, the shape of
 * shared/specs/azure/aks/2025-10-01/examples/ManagedClustersGet.json): fqdn, versions, agent pools,
 * aadProfile, disableLocalAccounts, identityProfile.kubeletidentity, apiServerAccessProfile, network
 * profile. Pure.
 */
import type { AgentPool, KubeletIdentity } from '../../kubernetes/runtime-contract';

export interface ManagedClusterRecord {
  name: string;
  resourceGroup: string;
  location: string;
  subscriptionId: string;
  tenantId: string;
  kubernetesVersion: string;
  dnsPrefix: string;
  fqdn: string;
  /** AKS-managed Entra ID with Azure RBAC for Kubernetes authorization. */
  entraId: boolean;
  disableLocalAccounts: boolean;
  kubeletIdentity: KubeletIdentity;
  /** The cluster's system-assigned identity. */
  principalId: string;
  agentPools: readonly AgentPool[];
  nodeResourceGroup: string;
}

export function managedClusterId(record: Pick<ManagedClusterRecord, 'subscriptionId' | 'resourceGroup' | 'name'>): string {
  return `/subscriptions/${record.subscriptionId}/resourcegroups/${record.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${record.name}`;
}

export function managedClusterBody(record: ManagedClusterRecord): Record<string, unknown> {
  const version = record.kubernetesVersion;
  return {
    id: managedClusterId(record),
    location: record.location,
    name: record.name,
    type: 'Microsoft.ContainerService/ManagedClusters',
    kind: 'Base',
    sku: { name: 'Base', tier: 'Free' },
    identity: { type: 'SystemAssigned', principalId: record.principalId, tenantId: record.tenantId },
    properties: {
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      kubernetesVersion: version,
      currentKubernetesVersion: version,
      dnsPrefix: record.dnsPrefix,
      fqdn: record.fqdn,
      azurePortalFQDN: record.fqdn.replace('.hcp.', '.portal.hcp.'),
      agentPoolProfiles: record.agentPools.map((pool) => ({
        name: pool.name,
        count: pool.count,
        vmSize: pool.vmSize,
        osDiskSizeGB: 128,
        osDiskType: 'Managed',
        kubeletDiskType: 'OS',
        maxPods: 110,
        type: 'VirtualMachineScaleSets',
        enableAutoScaling: false,
        provisioningState: 'Succeeded',
        powerState: { code: 'Running' },
        orchestratorVersion: version,
        currentOrchestratorVersion: version,
        enableNodePublicIP: false,
        mode: 'System',
        osType: 'Linux',
        osSKU: 'Ubuntu',
        nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202511.07.0',
        upgradeSettings: { maxSurge: '10%' },
        enableFIPS: false,
      })),
      servicePrincipalProfile: { clientId: 'msi' },
      nodeResourceGroup: record.nodeResourceGroup,
      enableRBAC: true,
      supportPlan: 'KubernetesOfficial',
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkPolicy: 'none',
        loadBalancerSku: 'standard',
        podCidr: '10.244.0.0/16',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIP: '10.0.0.10',
        outboundType: 'loadBalancer',
        podCidrs: ['10.244.0.0/16'],
        serviceCidrs: ['10.0.0.0/16'],
        ipFamilies: ['IPv4'],
      },
      ...(record.entraId ? { aadProfile: { managed: true, enableAzureRBAC: true, tenantID: record.tenantId } } : {}),
      maxAgentPools: 100,
      apiServerAccessProfile: { enablePrivateCluster: false },
      identityProfile: { kubeletidentity: { resourceId: record.kubeletIdentity.resourceId, clientId: record.kubeletIdentity.clientId, objectId: record.kubeletIdentity.objectId } },
      disableLocalAccounts: record.disableLocalAccounts,
      securityProfile: {},
      oidcIssuerProfile: { enabled: false },
    },
  };
}
