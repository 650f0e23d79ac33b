/**
 * The Azure resources a pipeline names (after `$(variable)` expansion): resource groups, container
 * registries and Kubernetes clusters, which the local runner creates on demand in the local Azure,
 * as the user has them in their subscription. Names that break Azure's naming rules are reported, not
 * created: on Azure no such resource can exist, and the step would fail. Pure.
 */
import { expandMacros } from '../agent/agent-inputs';
import { clusterNameProblem, registryNameProblem, resourceGroupNameProblem } from '../../emulator/arm/spec/resource-names';
import type { Pipeline, PipelineStep } from './model';
import type { Finding } from './preflight';

export interface NamedResource {
  name: string;
  /** Where it is named, `file:line (path)`. */
  where: string;
}

export interface AzureNames {
  resourceGroups: NamedResource[];
  registries: (NamedResource & { resourceGroup: string })[];
  clusters: (NamedResource & { resourceGroup: string })[];
  findings: Finding[];
}

/** Where a new registry goes when the pipeline names no resource group (the registry's group does not matter to the tasks). */
export const DEFAULT_RESOURCE_GROUP = 'rg-models';

const NOT_ON_AZURE = 'Azure DevOps accepts it; the step then fails, as no such resource can exist';

function input(step: PipelineStep, name: string, variables: Record<string, string>): { value: string; where: string } | undefined {
  const entry = Object.entries(step.inputs).find(([key]) => key.toLowerCase() === name.toLowerCase());
  if (!entry) return undefined;
  const value = expandMacros(entry[1], variables).trim();
  // Still a macro (an output of an earlier step, an undefined variable): not known before the job.
  if (value === '' || value.includes('$(')) return undefined;
  return { value, where: step.written[`inputs.${entry[0]}`] ?? step.where };
}

export function planAzureNames(pipeline: Pipeline, variables: Record<string, string>): AzureNames {
  const names: AzureNames = { resourceGroups: [], registries: [], clusters: [], findings: [] };
  const add = <T extends NamedResource>(list: T[], resource: T, problem: string | undefined, kind: string): boolean => {
    if (problem) {
      names.findings.push({ where: resource.where, message: `'${resource.name}' cannot be ${kind}: ${problem}. It is not created in the local Azure.`, onAzureDevOps: NOT_ON_AZURE });
      return false;
    }
    if (!list.some((known) => known.name.toLowerCase() === resource.name.toLowerCase())) list.push(resource);
    return true;
  };
  const groups: NamedResource[] = [];
  for (const step of pipeline.steps) {
    const group = input(step, 'resourceGroup', variables);
    if (group) add(groups, { name: group.value, where: group.where }, resourceGroupNameProblem(group.value), 'a resource group name');
  }
  const homeGroup = groups[0]?.name ?? DEFAULT_RESOURCE_GROUP;
  for (const step of pipeline.steps) {
    const connectionType = input(step, 'connectionType', variables)?.value ?? 'azureRM';
    const registry = step.task === 'BuildAndPushAiImageV1' && connectionType.toLowerCase() === 'azurerm' ? input(step, 'azureContainerRegistry', variables) : undefined;
    if (registry && /[.:]/.test(registry.value)) {
      names.findings.push({
        where: registry.where,
        message: `'${registry.value}' is a login server; the local Azure's registries have login servers on 127.0.0.1, so the step finds a registry only by its name (e.g. '${registry.value.split('.')[0] ?? ''}'). Pass the name with --var.`,
        onAzureDevOps: 'Azure DevOps accepts it; on Azure the login server finds the registry',
      });
    } else if (registry) {
      add(names.registries, { name: registry.value, where: registry.where, resourceGroup: homeGroup }, registryNameProblem(registry.value), 'a container registry name');
    }
    const cluster = input(step, 'kubernetesCluster', variables);
    if (cluster) add(names.clusters, { name: cluster.value, where: cluster.where, resourceGroup: input(step, 'resourceGroup', variables)?.value ?? homeGroup }, clusterNameProblem(cluster.value), 'a Kubernetes cluster name');
  }
  // A registry or cluster needs its group; the default one is seeded.
  for (const resource of [...names.registries, ...names.clusters]) {
    if (resource.resourceGroup !== DEFAULT_RESOURCE_GROUP) add(groups, { name: resource.resourceGroup, where: resource.where }, undefined, '');
  }
  names.resourceGroups = groups;
  return names;
}
