/** The emulated Entra ID tenant: its applications (service principals), managed identities and known resources. */
import { X509Certificate, type KeyObject } from 'node:crypto';

export interface FederatedCredential {
  issuer: string;
  subject: string;
  audiences: string[];
}

export interface ClientApplication {
  displayName: string;
  /** appId / client id. */
  clientId: string;
  /** The service principal's object id (`oid` of its tokens). */
  objectId: string;
  secrets: string[];
  certificates: X509Certificate[];
  federatedCredentials: FederatedCredential[];
}

export interface ManagedIdentityPrincipal {
  displayName: string;
  clientId: string;
  objectId: string;
  /** True for the (single) system-assigned identity. */
  systemAssigned: boolean;
  /** Resource group of a user-assigned identity (default rg-agents; AKS kubelet identities live in the node resource group). */
  resourceGroup?: string;
}

/** An OIDC issuer Entra ID trusts for workload identity federation, with the key that signs its tokens. */
export interface TrustedIssuer {
  issuer: string;
  publicKey: KeyObject;
}

export interface Directory {
  tenantId: string;
  tenantName: string;
  applications: ClientApplication[];
  managedIdentities: ManagedIdentityPrincipal[];
  trustedIssuers: TrustedIssuer[];
}

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

export function findApplication(directory: Directory, clientId: string): ClientApplication | undefined {
  return directory.applications.find((app) => app.clientId.toLowerCase() === clientId.toLowerCase());
}

export function certificateThumbprints(certificate: X509Certificate): { sha1: string; sha256: string } {
  const hex = (fingerprint: string): string => fingerprint.replace(/:/g, '').toLowerCase();
  return { sha1: hex(certificate.fingerprint), sha256: hex(certificate.fingerprint256) };
}
