/**
 * The resources (audiences) the tenant issues tokens for, and the audiences each service accepts, as
 * the real services list them.
 */

/** The AKS AAD server application: the audience of tokens for AKS-managed Entra ID clusters (same id in every tenant). */
export const AKS_SERVER_APPLICATION_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** Resources (audiences) the tenant can issue tokens for: Resource Manager (both names), ACR, Azure Machine Learning and the AKS server app. */
const KNOWN_RESOURCES = [
  'https://management.core.windows.net/',
  'https://management.azure.com/',
  'https://containerregistry.azure.net/',
  'https://ml.azure.com/',
  AKS_SERVER_APPLICATION_ID,
];

function withoutTrailingSlash(value: string): string {
  return value.replace(/\/+$/, '');
}

export function isKnownResource(resource: string): boolean {
  const wanted = withoutTrailingSlash(resource).toLowerCase();
  return KNOWN_RESOURCES.some((known) => withoutTrailingSlash(known).toLowerCase() === wanted);
}

/** The audiences Resource Manager accepts, as real ARM lists them (with and without trailing slash). */
export const RESOURCE_MANAGER_AUDIENCES: readonly string[] = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];

/** Audiences ACR's `/oauth2/exchange` accepts: Resource Manager's and ACR's own. */
export const CONTAINER_REGISTRY_AUDIENCES: readonly string[] = [
  ...RESOURCE_MANAGER_AUDIENCES,
  'https://containerregistry.azure.net/',
  'https://containerregistry.azure.net',
];
