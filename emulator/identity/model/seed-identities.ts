/**
 * The identities a local Azure instance seeds in its tenant, with fresh ids and secrets each time: the
 * applications behind the ready-made service connections, the managed identities, and which of them may
 * push to the registries and which may only pull.
 */
import { randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import { newClientSecret } from '../spec/client-secret';
import type { KeyAndCertificate } from '../../core/certificates';
import { FEDERATION_AUDIENCE } from '../../devops/azure-devops';
import type { Directory } from './directory';
import type { RoleSeedFacts, SeededConnections, SeedFacts } from '../../seed';

export type ConnectionKey = keyof SeededConnections;

/** The ready-made connections' names (the workload identity's is part of its federation subject). */
export const CONNECTION_NAMES: Readonly<Record<ConnectionKey, string>> = {
  spnKey: 'local-azure-spn-secret',
  spnCertificate: 'local-azure-spn-certificate',
  workloadIdentity: 'local-azure-workload-identity',
  managedIdentity: 'local-azure-managed-identity',
  dockerRegistry: 'local-azure-registry',
  spnPullOnly: 'local-azure-spn-pull-only',
};

/** The seeded user-assigned identity without any role assignment. */
const NO_ROLE_IDENTITY = 'id-no-roles';

/** Fresh ids for the ready-made connections. */
export function newConnectionIds(): Record<ConnectionKey, string> {
  return {
    spnKey: randomUUID(),
    spnCertificate: randomUUID(),
    workloadIdentity: randomUUID(),
    managedIdentity: randomUUID(),
    dockerRegistry: randomUUID(),
    spnPullOnly: randomUUID(),
  };
}

export interface IdentitySeedOptions {
  tenantId: string;
  connectionIds: Readonly<Record<ConnectionKey, string>>;
  /** The Azure DevOps OIDC issuer Entra ID trusts for workload identity federation. */
  federation: { issuer: string; publicKey: KeyObject; subjectOf(connectionName: string): string };
  /** The certificate (and its key) the spnCertificate application signs in with. */
  clientCertificate: KeyAndCertificate;
}

export interface SeededIdentities {
  directory: Directory;
  /** The spnKey application (tests issue access tokens for it). */
  spnKey: { clientId: string; objectId: string };
  /** What the Azure connections say about their identities (for seedServiceConnections). */
  connections: Pick<SeedFacts, 'spnKey' | 'spnPullOnly' | 'spnCertificate' | 'workloadIdentity' | 'managedIdentity'>;
  /** Who may push and who may only pull (for seedRoleAssignments). */
  registryRoles: Pick<RoleSeedFacts, 'pushers' | 'pullOnly'>;
}

export function seedIdentities(options: IdentitySeedOptions): SeededIdentities {
  const { connectionIds: ids, federation } = options;
  const names = CONNECTION_NAMES;
  const spnKey = { clientId: randomUUID(), objectId: randomUUID(), secret: newClientSecret() };
  const spnPullOnly = { clientId: randomUUID(), objectId: randomUUID(), secret: newClientSecret() };
  const spnCertificate = { clientId: randomUUID() };
  const workloadIdentity = { clientId: randomUUID() };
  const directory: Directory = {
    tenantId: options.tenantId,
    tenantName: 'localazure.onmicrosoft.com',
    applications: [
      { displayName: names.spnKey, clientId: spnKey.clientId, objectId: spnKey.objectId, secrets: [spnKey.secret], certificates: [], federatedCredentials: [] },
      { displayName: names.spnCertificate, clientId: spnCertificate.clientId, objectId: randomUUID(), secrets: [], certificates: [new X509Certificate(options.clientCertificate.certificatePem)], federatedCredentials: [] },
      {
        displayName: names.workloadIdentity,
        clientId: workloadIdentity.clientId,
        objectId: randomUUID(),
        secrets: [],
        certificates: [],
        federatedCredentials: [{ issuer: federation.issuer, subject: federation.subjectOf(names.workloadIdentity), audiences: [FEDERATION_AUDIENCE] }],
      },
      { displayName: names.spnPullOnly, clientId: spnPullOnly.clientId, objectId: spnPullOnly.objectId, secrets: [spnPullOnly.secret], certificates: [], federatedCredentials: [] },
    ],
    managedIdentities: [
      { displayName: 'agent-system-identity', clientId: randomUUID(), objectId: randomUUID(), systemAssigned: true },
      { displayName: 'id-agents', clientId: randomUUID(), objectId: randomUUID(), systemAssigned: false },
      // A user-assigned identity with no role anywhere: what a forgotten AcrPull assignment looks like.
      { displayName: NO_ROLE_IDENTITY, clientId: randomUUID(), objectId: randomUUID(), systemAssigned: false },
    ],
    trustedIssuers: [{ issuer: federation.issuer, publicKey: federation.publicKey }],
  };
  const withoutPush = new Set([spnPullOnly.objectId, ...directory.managedIdentities.filter((i) => i.displayName === NO_ROLE_IDENTITY).map((i) => i.objectId)]);
  const principals = [...directory.applications, ...directory.managedIdentities].map((principal) => principal.objectId);
  return {
    directory,
    spnKey: { clientId: spnKey.clientId, objectId: spnKey.objectId },
    connections: {
      spnKey: { id: ids.spnKey, name: names.spnKey, clientId: spnKey.clientId, secret: spnKey.secret },
      spnPullOnly: { id: ids.spnPullOnly, name: names.spnPullOnly, clientId: spnPullOnly.clientId, secret: spnPullOnly.secret },
      spnCertificate: {
        id: ids.spnCertificate,
        name: names.spnCertificate,
        clientId: spnCertificate.clientId,
        certificateAndKeyPem: `${options.clientCertificate.certificatePem}${options.clientCertificate.privateKeyPem}`,
      },
      workloadIdentity: { id: ids.workloadIdentity, name: names.workloadIdentity, clientId: workloadIdentity.clientId, issuer: federation.issuer, subject: federation.subjectOf(names.workloadIdentity) },
      managedIdentity: { id: ids.managedIdentity, name: names.managedIdentity },
    },
    registryRoles: { pushers: principals.filter((objectId) => !withoutPush.has(objectId)), pullOnly: spnPullOnly.objectId },
  };
}
