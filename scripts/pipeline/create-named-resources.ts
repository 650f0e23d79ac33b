/**
 * Creates in the local Azure what the pipeline names (planAzureNames): resource groups, then container
 * registries, then AKS clusters; says what it created.
 */
import type { LocalAzure } from '../../emulator/index';
import type { AzureNames } from './azure-names';

/** Returns a one-line summary for the time table. */
export async function createNamedResources(azure: LocalAzure, names: AzureNames, log: (line: string) => void): Promise<string> {
  let created = 0;
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
  // Its kubelet may pull from the pipeline's registries and the local Azure's own (az aks update --attach-acr).
  const attachRegistries = [...names.registries.map((registry) => registry.name), azure.registry.name];
  for (const wanted of names.clusters) {
    const { created: isNew, cluster } = await azure.createCluster(wanted.name, wanted.resourceGroup, { attachRegistries });
    if (isNew) {
      created += 1;
      log(`created AKS cluster '${cluster.name}' in the local Azure (resource group ${cluster.resourceGroup}, local accounts, API server ${cluster.server}, AcrPull on ${attachRegistries.join(', ')})`);
    } else {
      // An existing cluster (e.g. a seeded one) is attached to the pipeline's registries, as `az aks update --attach-acr` would.
      const attached = names.registries.filter((registry) => azure.attachRegistry(cluster.name, cluster.resourceGroup, registry.name).attached).map((registry) => registry.name);
      if (attached.length > 0) log(`attached registry ${attached.map((name) => `'${name}'`).join(', ')} to AKS cluster '${cluster.name}' in the local Azure (az aks update --attach-acr: AcrPull for its kubelet identity)`);
    }
  }
  const total = names.resourceGroups.length + names.registries.length + names.clusters.length;
  return `${created} created, ${total - created} already there`;
}
