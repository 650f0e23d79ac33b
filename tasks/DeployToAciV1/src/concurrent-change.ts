/**
 * Racing deployments (pure): after the wait, the running group must be what this run sent. Another run
 * (or a person) that deployed to the same group in the meantime leaves its own marker, image or
 * resources; both runs would otherwise report success, one with a digest the group does not run.
 */
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { TAG } from './plan';

/** What differs between the group and what this run sent, or undefined when the group is this run's. */
export function concurrentChange(group: ContainerGroup, sent: ContainerGroup, runMarker: string | undefined): string | undefined {
  const differences: string[] = [];
  const theirMarker = group.tags?.[TAG.run];
  if (runMarker !== undefined && theirMarker !== runMarker) {
    differences.push(theirMarker === undefined ? "its run marker tag is gone" : `it carries another run's marker (${TAG.run}=${theirMarker})`);
  }
  const images = (g: ContainerGroup): string[] => g.containers.map((c) => c.image);
  const now = images(group);
  const wanted = images(sent);
  if (now.join(' ') !== wanted.join(' ')) differences.push(`it runs ${now.join(', ')} instead of ${wanted.join(', ')}`);
  const resources = (g: ContainerGroup): string =>
    g.containers.map((c) => `${c.resources.requests.cpu} cpu / ${c.resources.requests.memoryInGB} GB`).join(', ');
  if (resources(group) !== resources(sent)) differences.push(`it has ${resources(group)} instead of ${resources(sent)}`);
  return differences.length > 0 ? differences.join('; ') : undefined;
}
