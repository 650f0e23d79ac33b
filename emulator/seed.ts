/**
 * The ready-made service connections the local Azure prints and hands to tests, and the role
 * assignments of their identities (pure: data in, data out).
 */
import type { RoleAssignment } from './acr/model/registry-roles';
import type { ServiceConnection } from './service-connection';

export interface SeedFacts {
  /** e.g. https://127.0.0.1:41234 (no trailing slash) */
  origin: string;
  tenantId: string;
  subscriptionId: string;
  subscriptionName: string;
  spnKey: { id: string; name: string; clientId: string; secret: string };
  /** A service principal (client secret) with only AcrPull on the registries. */
  spnPullOnly: { id: string; name: string; clientId: string; secret: string };
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

/** A type literal, not an interface: Object.values() and Object.entries() keep the connection type. */
export type SeededConnections = {
  spnKey: ServiceConnection;
  spnCertificate: ServiceConnection;
  workloadIdentity: ServiceConnection;
  managedIdentity: ServiceConnection;
  dockerRegistry: ServiceConnection;
  /** Same scheme as spnKey, but its identity may only pull from the registries (AcrPull). */
  spnPullOnly: ServiceConnection;
};

function secretConnection(facts: SeedFacts, spn: SeedFacts['spnKey']): ServiceConnection {
  return {
    id: spn.id,
    name: spn.name,
    url: `${facts.origin}/`,
    scheme: 'ServicePrincipal',
    authParameters: { authenticationType: 'spnKey', serviceprincipalid: spn.clientId, serviceprincipalkey: spn.secret, tenantid: facts.tenantId },
    data: armData(facts),
  };
}

export function seedServiceConnections(facts: SeedFacts): SeededConnections {
  const url = `${facts.origin}/`;
  return {
    spnKey: secretConnection(facts, facts.spnKey),
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
    spnPullOnly: secretConnection(facts, facts.spnPullOnly),
  };
}

export interface RoleSeedFacts {
  subscriptionId: string;
  /** Resource ids of the seeded registries. */
  registryIds: readonly string[];
  /** Object ids of the identities behind the ready-made Azure connections: AcrPush on every registry. */
  pushers: readonly string[];
  /** Object id of the pull-only service principal: AcrPull on every registry, Reader on the subscription. */
  pullOnly: string;
}

/** Who may do what on the registries (Azure RBAC, as `az role assignment create` would set it up). */
export function seedRoleAssignments(facts: RoleSeedFacts): RoleAssignment[] {
  return [
    ...facts.registryIds.flatMap((scope) => facts.pushers.map((principalId): RoleAssignment => ({ principalId, role: 'AcrPush', scope }))),
    ...facts.registryIds.map((scope): RoleAssignment => ({ principalId: facts.pullOnly, role: 'AcrPull', scope })),
    { principalId: facts.pullOnly, role: 'Reader', scope: `/subscriptions/${facts.subscriptionId}` },
  ];
}
