/**
 * What an update (PUT on an existing group) may not change in place. Azure's rule, in its own
 * message: "If you are going to update the os type, restart policy, network profile, CPU, memory or
 * GPU resources for a container group, you must delete it first and then create a new one." (pure)
 */
import { restartPolicyOf, type ContainerGroupBody } from './group-model';

export interface ForbiddenChange {
  /** ARM-style path of the property, e.g. 'properties.containers[0].properties.resources.requests.cpu'. */
  target: string;
  message: string;
}

export function forbiddenChanges(existing: ContainerGroupBody, update: ContainerGroupBody): ForbiddenChange[] {
  const changes: ForbiddenChange[] = [];
  const before = existing.properties;
  const after = update.properties;
  const note = (target: string, what: string, from: unknown, to: unknown): void => {
    changes.push({ target, message: `${what} cannot change in place (${show(from)} -> ${show(to)}).` });
  };
  if (before.osType !== after.osType) note('properties.osType', 'osType', before.osType, after.osType);
  if (restartPolicyOf(before) !== restartPolicyOf(after)) {
    note('properties.restartPolicy', 'restartPolicy', restartPolicyOf(before), restartPolicyOf(after));
  }
  const subnetsBefore = (before.subnetIds ?? []).map((s) => s.id.toLowerCase()).sort();
  const subnetsAfter = (after.subnetIds ?? []).map((s) => s.id.toLowerCase()).sort();
  if (JSON.stringify(subnetsBefore) !== JSON.stringify(subnetsAfter)) note('properties.subnetIds', 'The network profile (subnetIds)', subnetsBefore, subnetsAfter);
  if ((before.ipAddress?.type ?? 'none') !== (after.ipAddress?.type ?? 'none')) {
    note('properties.ipAddress.type', 'The network profile (ipAddress.type)', before.ipAddress?.type, after.ipAddress?.type);
  }
  after.containers.forEach((container, index) => {
    const old = before.containers.find((c) => c.name === container.name);
    if (!old) return;
    const base = `properties.containers[${index}].properties.resources`;
    const oldRequests = old.properties.resources.requests;
    const newRequests = container.properties.resources.requests;
    if (oldRequests.cpu !== newRequests.cpu) note(`${base}.requests.cpu`, `cpu of container '${container.name}'`, oldRequests.cpu, newRequests.cpu);
    if (oldRequests.memoryInGB !== newRequests.memoryInGB) {
      note(`${base}.requests.memoryInGB`, `memoryInGB of container '${container.name}'`, oldRequests.memoryInGB, newRequests.memoryInGB);
    }
    if (show(oldRequests.gpu) !== show(newRequests.gpu)) note(`${base}.requests.gpu`, `gpu of container '${container.name}'`, oldRequests.gpu, newRequests.gpu);
    const oldLimits = old.properties.resources.limits;
    const newLimits = container.properties.resources.limits;
    if (show(oldLimits) !== show(newLimits)) note(`${base}.limits`, `resource limits of container '${container.name}'`, oldLimits, newLimits);
  });
  return changes;
}

export function invalidUpdateMessage(groupName: string): string {
  return (
    `The updates on container group '${groupName}' are invalid. If you are going to update the os type, restart policy, ` +
    'network profile, CPU, memory or GPU resources for a container group, you must delete it first and then create a new one.'
  );
}

function show(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}
