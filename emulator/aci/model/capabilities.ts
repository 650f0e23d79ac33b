/**
 * Location capabilities of Microsoft.ContainerInstance, shaped like the CapabilitiesList example
 * (2026-05-01/examples/CapabilitiesList.json): 4 cores and 14 GB for a Linux group (pure).
 */
import type { ContainerGroupBody } from './group-model';

export interface CapabilityLimits {
  maxCpu: number;
  maxMemoryInGB: number;
  maxGpuCount: number;
}

export interface Capability {
  resourceType: 'containerGroups';
  osType: 'Linux' | 'Windows';
  location: string;
  ipAddressType: 'Public';
  gpu: string;
  capabilities: CapabilityLimits;
}

export function capabilitiesOf(location: string): Capability[] {
  const base = { resourceType: 'containerGroups' as const, location, ipAddressType: 'Public' as const };
  return [
    { ...base, osType: 'Linux', gpu: 'None', capabilities: { maxCpu: 4, maxMemoryInGB: 16, maxGpuCount: 0 } },
    { ...base, osType: 'Linux', gpu: 'K80', capabilities: { maxCpu: 4, maxMemoryInGB: 14, maxGpuCount: 4 } },
    { ...base, osType: 'Windows', gpu: 'None', capabilities: { maxCpu: 4, maxMemoryInGB: 14, maxGpuCount: 0 } },
  ];
}

export interface CapacityShortfall {
  cpu: number;
  memoryInGB: number;
}

/** The group's totals when they exceed what the location offers for its OS and GPU sku, else undefined. */
export function exceedsCapabilities(body: ContainerGroupBody, location: string): CapacityShortfall | undefined {
  const containers = body.properties.containers;
  const cpu = containers.reduce((sum, c) => sum + c.properties.resources.requests.cpu, 0);
  const memoryInGB = containers.reduce((sum, c) => sum + c.properties.resources.requests.memoryInGB, 0);
  const gpus = containers.map((c) => c.properties.resources.requests.gpu).filter((g) => g !== undefined);
  const gpuCount = gpus.reduce((sum, g) => sum + g.count, 0);
  const sku = gpus[0]?.sku ?? 'None';
  const offer = capabilitiesOf(location).find((c) => c.osType === body.properties.osType && c.gpu.toLowerCase() === sku.toLowerCase());
  if (!offer) return { cpu, memoryInGB };
  const limits = offer.capabilities;
  if (cpu > limits.maxCpu || memoryInGB > limits.maxMemoryInGB || gpuCount > limits.maxGpuCount) return { cpu, memoryInGB };
  return undefined;
}
