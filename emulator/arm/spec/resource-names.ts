/**
 * Azure's naming rules for the resources the local Azure can create on demand, as the real services
 * enforce them (Microsoft Learn, "Naming rules and restrictions for Azure resources"):
 * - Microsoft.Resources/resourceGroups: 1-90 characters; letters, digits, underscores, hyphens,
 *   periods and parentheses (Unicode letters and digits too); not ending with a period.
 * - Microsoft.ContainerRegistry/registries: 5-50 characters; letters and digits only; unique across
 *   Azure, compared case-insensitively (the login server is the name in lower case).
 * - Microsoft.ContainerService/managedClusters: 1-63 characters; letters, digits, underscores and
 *   hyphens; starting and ending with a letter or digit.
 * Each check returns what is wrong with a name, or undefined when Azure would take it.
 */

export function resourceGroupNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 90) return `a resource group name has 1 to 90 characters; '${name}' has ${name.length}`;
  if (!/^[\p{L}\p{N}_\-.()]+$/u.test(name)) return `a resource group name holds only letters, digits, '_', '-', '.', '(' and ')'; '${name}' holds others`;
  if (name.endsWith('.')) return `a resource group name cannot end with '.'; got '${name}'`;
  return undefined;
}

export function registryNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9]*$/.test(name)) return `a container registry name holds only letters and digits (no '-', '_' or '.'); got '${name}'`;
  if (name.length < 5 || name.length > 50) return `a container registry name has 5 to 50 characters; '${name}' has ${name.length}`;
  return undefined;
}

export function clusterNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 63) return `a Kubernetes cluster name has 1 to 63 characters; '${name}' has ${name.length}`;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/.test(name)) return `a Kubernetes cluster name holds only letters, digits, '_' and '-', and starts and ends with a letter or digit; got '${name}'`;
  return undefined;
}
