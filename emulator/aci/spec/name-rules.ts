/**
 * Azure's naming rules for container groups and containers (pure): 1-63 characters, lower-case
 * letters, digits and hyphens, starting and ending with a letter or digit. Group names may also hold
 * upper-case letters (Azure accepted 'mycontainerGroupxxx' in the recorded traffic of
 * tests/emulator/golden/; `az container create` names the container after the group, so there the
 * lower-case rule shows up for both). Azure checks them on PUT,
 * before anything else about the group, and answers 400 with the first name that breaks them. DNS name
 * labels: 5-63 characters, a letter first, a letter or digit last.
 */
import { armError, type EmulatorResponse } from '../../core/http-types';
import type { ContainerGroupBody } from '../model/group-model';

const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME_LENGTH = 63;
// Case-insensitive, as the naming table of ACI troubleshooting guide says (labels are compared lower-cased).
const DNS_LABEL_PATTERN = /^[a-z][-a-z0-9]{3,61}[a-z0-9]$/i;
const RULE = "must contain no more than 63 characters and must match the regex '[a-z0-9]([-a-z0-9]*[a-z0-9])?' (e.g. 'my-name')";

export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME_PATTERN.test(name);
}

/** The error Azure answers for the first invalid name (the group's, then each container's and init container's), or undefined. */
export function invalidNameError(groupName: string, body: ContainerGroupBody): EmulatorResponse | undefined {
  if (!isValidName(groupName.toLowerCase())) {
    return armError(400, 'InvalidContainerGroupName', `The container group name '${groupName}' is invalid. The container group name ${RULE}.`);
  }
  const containers = [...body.properties.containers, ...((body.properties.initContainers ?? []) as { name?: unknown }[])];
  for (const container of containers) {
    const name = typeof container.name === 'string' ? container.name : '';
    if (!isValidName(name)) {
      return armError(400, 'InvalidContainerName', `The container name '${name}' in container group '${groupName}' is invalid. The container name ${RULE}.`);
    }
  }
  const label = body.properties.ipAddress?.dnsNameLabel;
  if (label !== undefined && !DNS_LABEL_PATTERN.test(label)) {
    // Azure's wording, as quoted from the portal in derekbekoe/vscode-spot#38.
    return armError(
      400,
      'InvalidDnsNameLabel',
      `The DNS name label '${label}' in container group '${groupName}' is invalid. It can contain only lowercase letters, numbers and hyphens. ` +
        'The first character must be a letter. The last character must be a letter or number. The value must be between 5 and 63 characters long.',
    );
  }
  return undefined;
}
