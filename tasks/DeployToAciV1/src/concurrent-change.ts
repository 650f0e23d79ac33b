/**
 * Racing deployments (pure): after the wait, the running group must be what this run sent. Another run
 * (or a person) that deployed to the same group in the meantime leaves its own marker, image or
 * resources; both runs would otherwise report success, one with a digest the group does not run.
 */
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { TaskError } from '../../common/errors';
import { armCodeOf, describeArmError } from './arm-errors';
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

/**
 * A create that Azure refuses as an invalid update: the group did not exist when this run read it, so
 * another deployment created it in the meantime (with other resources). Undefined for any other error.
 */
export function createdMeanwhile(error: unknown, name: string): TaskError | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  if (armCodeOf(cause) !== 'InvalidContainerGroupUpdate') return undefined;
  return new TaskError(
    `Container group '${name}' was changed by another deployment while this run was deploying it: it did not exist when this run read it, ` +
      `and Azure now refuses this run's create as an update of a group with other resources (${describeArmError(cause)}). ` +
      'Two pipelines deployed to the same group at the same time: serialise the deployments, then run again.',
    { cause: error },
  );
}
