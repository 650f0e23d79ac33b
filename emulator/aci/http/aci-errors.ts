/** The error replies of Microsoft.ContainerInstance, with Azure's codes and wording (Resource Manager's own: arm/request-checks.ts). */
import { armError, type EmulatorResponse } from '../../core/http-types';
import { invalidUpdateMessage } from '../model/update-rules';

export function containerNotFound(group: string, container: string): EmulatorResponse {
  return armError(404, 'ContainerNotFound', `The container '${container}' is not found in container group '${group}'.`);
}

export function invalidRequestContent(message: string): EmulatorResponse {
  return armError(400, 'InvalidRequestContent', message);
}

/** Azure names no property: `{ code, message }` only (the changes are known here, but Azure does not say them). */
export function invalidContainerGroupUpdate(groupName: string): EmulatorResponse {
  return armError(400, 'InvalidContainerGroupUpdate', invalidUpdateMessage(groupName));
}

export function dnsNameLabelTaken(label: string, location: string): EmulatorResponse {
  return armError(409, 'DnsNameLabelAlreadyTaken', `The DNS name label '${label}' is already taken in region '${location}'. Please use a different label.`);
}

export function inaccessibleImage(image: string, groupName: string): EmulatorResponse {
  return armError(400, 'InaccessibleImage', `The image '${image}' in container group '${groupName}' is not accessible. Please check the image and registry credential.`);
}

export function transitioning(groupName: string): EmulatorResponse {
  return armError(409, 'ContainerGroupTransitioning', `The container group '${groupName}' is still transitioning, please retry later.`);
}

export function serviceUnavailable(cpu: number, memoryInGB: number, location: string): EmulatorResponse {
  return armError(
    409,
    'ServiceUnavailable',
    `The requested resource with '${cpu}' CPU and '${memoryInGB}' GB memory is not available in the location '${location}' at this moment. ` +
      'Please retry with a different resource request or at another location.',
  );
}

export function locationNotAvailable(location: string, offered: readonly string[]): EmulatorResponse {
  return armError(
    400,
    'LocationNotAvailableForResourceType',
    `The provided location '${location}' is not available for resource type 'Microsoft.ContainerInstance/containerGroups'. ` +
      `List of available regions for the resource type is '${offered.join(',')}'.`,
  );
}

export function unsupportedOsType(): EmulatorResponse {
  return armError(400, 'UnsupportedOsType', 'Windows container groups are not supported by this local Azure: its Docker engine runs Linux containers.');
}
