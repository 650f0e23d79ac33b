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

export function findApplication(directory: Directory, clientId: string): ClientApplication | undefined {
  return directory.applications.find((app) => app.clientId.toLowerCase() === clientId.toLowerCase());
}

export function certificateThumbprints(certificate: X509Certificate): { sha1: string; sha256: string } {
  const hex = (fingerprint: string): string => fingerprint.replace(/:/g, '').toLowerCase();
  return { sha1: hex(certificate.fingerprint), sha256: hex(certificate.fingerprint256) };
}
