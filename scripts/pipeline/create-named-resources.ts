/**
 * Creates in the local Azure what the pipeline names (planAzureNames): resource groups, then container
 * registries, then Kubernetes clusters when the local Azure has them; says what it created.
 */
import type { LocalAzure } from '../../emulator/index';
import type { AzureNames } from './azure-names';

/** The local Azure's AKS, when it has one: creating a cluster on demand. */
interface ClusterCreator {
  createCluster(name: string, resourceGroup: string): Promise<{ created: boolean }>;
}

function clusterCreator(azure: LocalAzure): ClusterCreator | undefined {
  const candidate = (azure as Partial<ClusterCreator>).createCluster;
  return typeof candidate === 'function' ? { createCluster: (name, group) => candidate.call(azure, name, group) } : undefined;
}

/** Returns a one-line summary for the time table. */
export async function createNamedResources(azure: LocalAzure, names: AzureNames, log: (line: string) => void): Promise<string> {
  let created = 0;
  let missing = 0;
  for (const group of names.resourceGroups) {
    const result = azure.createResourceGroup(group.name);
    if (result.created) {
      created += 1;
      log(`created resource group '${result.name}' in the local Azure (${result.location})`);
    }
  }
  for (const wanted of names.registries) {
    // With the admin user on, like the seeded registry: a deploy with registryAuth 'auto' can fall back to it (see docs/local-pipeline-runner.md).
    const { created: isNew, registry } = await azure.createRegistry(wanted.name, wanted.resourceGroup, { adminUserEnabled: true });
    if (isNew) {
      created += 1;
      log(`created registry '${registry.name}' in the local Azure (resource group ${registry.resourceGroup}, admin user enabled, login server ${registry.loginServer})`);
    }
  }
  const aks = clusterCreator(azure);
  for (const cluster of names.clusters) {
    if (!aks) {
      log(`cluster '${cluster.name}' not created: this local Azure has no Kubernetes clusters`);
      missing += 1;
      continue;
    }
    if ((await aks.createCluster(cluster.name, cluster.resourceGroup)).created) {
      created += 1;
      log(`created Kubernetes cluster '${cluster.name}' in the local Azure (resource group ${cluster.resourceGroup})`);
    }
  }
  const total = names.resourceGroups.length + names.registries.length + names.clusters.length;
  return `${created} created, ${total - created - missing} already there${missing > 0 ? `, ${missing} not available locally` : ''}`;
}
