/** What Container Instances' Resource Manager error codes mean for the user, and the shared handling of Resource Manager errors. */
import { armFailure as commonArmFailure } from '../../common/azure/arm-errors';
import type { TaskError } from '../../common/errors';

export { armCodeOf, classifyArmError, describeArmError, retryAfterOf, statusOf } from '../../common/azure/arm-errors';

export const ACI_ERROR_HINTS: Record<string, string> = {
  AuthorizationFailed: "The service connection's identity needs the Contributor role (or Microsoft.ContainerInstance/containerGroups/* rights) on the resource group.",
  ResourceGroupNotFound: "Check 'resourceGroup': it must exist in the service connection's subscription.",
  SubscriptionNotFound: "Check the service connection's subscription.",
  DnsNameLabelAlreadyTaken: "Choose another 'dnsNameLabel', or a 'dnsNameLabelReusePolicy' that adds a hash to the name.",
  InaccessibleImage:
    "Check that the image exists and that 'registryAuth' gives ACI pull rights on its registry (AcrPull for the identity or service principal, or the admin user).",
  ServiceUnavailable: "The location has no capacity for this request right now: retry later, request less cpu/memory, or choose another 'location'.",
  LocationNotAvailableForResourceType: "Choose a 'location' that offers Azure Container Instances.",
  InvalidContainerGroupUpdate: "Set 'updateMode' to 'recreateIfRequired' to let the task delete and recreate the group.",
  MissingSubscriptionRegistration: 'Register the Microsoft.ContainerInstance resource provider in the subscription (az provider register -n Microsoft.ContainerInstance).',
};

/** A TaskError for a failed Resource Manager call of this task, with Container Instances' hints. */
export function armFailure(action: string, error: unknown): TaskError {
  return commonArmFailure(action, error, ACI_ERROR_HINTS);
}
