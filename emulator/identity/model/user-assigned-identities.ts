/**
 * User-assigned managed identities as Resource Manager names them: the tenant's identities live in
 * resource group `rg-agents` of the subscription. One definition for the managed identity endpoint
 * (the `xms_mirid` claim), Container Instances (pulls with `imageRegistryCredentials[].identity`) and
 * tests.
 */
import type { Directory, ManagedIdentityPrincipal } from './directory';

export const IDENTITIES_RESOURCE_GROUP = 'rg-agents';

export function userAssignedIdentityResourceId(subscriptionId: string, identity: Pick<ManagedIdentityPrincipal, 'displayName' | 'resourceGroup'>): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${identity.resourceGroup ?? IDENTITIES_RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${identity.displayName}`;
}

/** The user-assigned identity with this resource id (compared case-insensitively, as Azure does), if the tenant has it. */
export function findUserAssignedIdentity(directory: Directory, subscriptionId: string, resourceId: string): ManagedIdentityPrincipal | undefined {
  const wanted = resourceId.replace(/\/+$/, '').toLowerCase();
  return directory.managedIdentities.find((identity) => !identity.systemAssigned && userAssignedIdentityResourceId(subscriptionId, identity).toLowerCase() === wanted);
}
