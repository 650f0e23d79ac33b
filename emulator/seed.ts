/** The ready-made service connections the local Azure prints and hands to tests (pure: data in, data out). */
import type { ServiceConnection } from './service-connection';

export interface SeedFacts {
  /** e.g. https://127.0.0.1:41234 (no trailing slash) */
  origin: string;
  tenantId: string;
  subscriptionId: string;
  subscriptionName: string;
  spnKey: { id: string; name: string; clientId: string; secret: string };
  spnCertificate: { id: string; name: string; clientId: string; certificateAndKeyPem: string };
  workloadIdentity: { id: string; name: string; clientId: string; issuer: string; subject: string };
  managedIdentity: { id: string; name: string };
  dockerRegistry: { id: string; name: string; loginServer: string; username: string; password: string };
}

/** Resource Manager's token audience, as real Azure DevOps connections carry it. */
export const ARM_AUDIENCE = 'https://management.core.windows.net/';

function armData(facts: SeedFacts): Record<string, string> {
  return {
    subscriptionId: facts.subscriptionId,
    subscriptionName: facts.subscriptionName,
    environment: 'AzureCloud',
    scopeLevel: 'Subscription',
    creationMode: 'Manual',
    environmentAuthorityUrl: `${facts.origin}/`,
    activeDirectoryServiceEndpointResourceId: ARM_AUDIENCE,
    resourceManagerUrl: `${facts.origin}/`,
    activeDirectoryAuthority: `${facts.origin}/`,
  };
}

export function seedServiceConnections(facts: SeedFacts): {
  spnKey: ServiceConnection;
  spnCertificate: ServiceConnection;
  workloadIdentity: ServiceConnection;
  managedIdentity: ServiceConnection;
  dockerRegistry: ServiceConnection;
} {
  const url = `${facts.origin}/`;
  return {
    spnKey: {
      id: facts.spnKey.id,
      name: facts.spnKey.name,
      url,
      scheme: 'ServicePrincipal',
      authParameters: { authenticationType: 'spnKey', serviceprincipalid: facts.spnKey.clientId, serviceprincipalkey: facts.spnKey.secret, tenantid: facts.tenantId },
      data: armData(facts),
    },
    spnCertificate: {
      id: facts.spnCertificate.id,
      name: facts.spnCertificate.name,
      url,
      scheme: 'ServicePrincipal',
      authParameters: {
        authenticationType: 'spnCertificate',
        serviceprincipalid: facts.spnCertificate.clientId,
        servicePrincipalCertificate: facts.spnCertificate.certificateAndKeyPem,
        tenantid: facts.tenantId,
      },
      data: armData(facts),
    },
    workloadIdentity: {
      id: facts.workloadIdentity.id,
      name: facts.workloadIdentity.name,
      url,
      scheme: 'WorkloadIdentityFederation',
      authParameters: {
        serviceprincipalid: facts.workloadIdentity.clientId,
        tenantid: facts.tenantId,
        workloadIdentityFederationIssuer: facts.workloadIdentity.issuer,
        workloadIdentityFederationSubject: facts.workloadIdentity.subject,
      },
      data: armData(facts),
    },
    managedIdentity: {
      id: facts.managedIdentity.id,
      name: facts.managedIdentity.name,
      url,
      scheme: 'ManagedServiceIdentity',
      authParameters: { tenantid: facts.tenantId },
      data: armData(facts),
    },
    dockerRegistry: {
      id: facts.dockerRegistry.id,
      name: facts.dockerRegistry.name,
      url: `https://${facts.dockerRegistry.loginServer}`,
      scheme: 'UsernamePassword',
      authParameters: {
        registry: `https://${facts.dockerRegistry.loginServer}`,
        username: facts.dockerRegistry.username,
        password: facts.dockerRegistry.password,
        email: '',
      },
      data: { registrytype: 'Others' },
    },
  };
}
