/**
 * The local Azure: Entra ID, Azure DevOps OIDC, Resource Manager (resource groups, Container Registry,
 * Container Instances) and ACR data plane, served over https on 127.0.0.1. `startLocalAzure()` starts one
 * isolated instance (own ports, temp folder, Docker object prefix); `stop()` removes all it made.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAciService } from './aci/aci-service';
import { azureCliSetup } from './azure-cli-setup';
import { startAksService } from './aks/aks-service';
import { dockerClusterRuntime } from './kubernetes/runtime/docker-cluster-runtime';
import { localKubeconfig } from './aks/model/local-kubeconfig';
import { clusterRecord, seedClusterRoleAssignments, seedClusters } from './aks/model/seed-clusters';
import { AKS_SERVER_APPLICATION_ID } from './identity/spec/audiences';
import { startContainerRegistries } from './acr/acr-service';
import { createRoleAssignments } from './acr/model/registry-roles';
import { createArmAuthenticator } from './arm/http/authentication';
import { createArmResponseHeaders } from './arm/http/response-headers';
import { createResourceManagerRoutes } from './arm/http/arm-routes';
import { clusterNameProblem, resourceGroupNameProblem } from './arm/spec/resource-names';
import { createSubscription } from './arm/model/subscription';
import { trustCertificateAuthorityInProcess } from './core/ca-trust';
import { createCertificateAuthority, createSelfSignedClientCertificate, createServerCertificate } from './core/certificates';
import { createCleanupStack } from './core/cleanup-stack';
import { createFaultRegistry } from './core/faults';
import { armError } from './core/http-types';
import { startHttpsFront } from './core/https-front';
import { createSigningKey } from './core/jwt';
import { createRequestLog } from './core/request-log';
import type { OperationTiming, ServiceContext } from './core/service-context';
import { createAzureDevOps, type JobContext } from './devops/azure-devops';
import { createAccessTokenService } from './identity/model/access-tokens';
import { createEntraIdRoutes } from './identity/http/entra-id-routes';
import { createManagedIdentityRoutes, MANAGED_IDENTITY_PATH } from './identity/http/managed-identity-routes';
import { userAssignedIdentityResourceId } from './identity/model/user-assigned-identities';
import type { LocalAzure, ServedRoute, StartLocalAzureOptions } from './local-azure';
import { REGISTRY_ROUTES } from './acr/http/registry-routes';
import { seedRoleAssignments, seedServiceConnections } from './seed';
import { CONNECTION_NAMES, newConnectionIds, seedIdentities } from './identity/model/seed-identities';

export type { RequestLogEntry } from './core/request-log';
export type { LocalAzure, LocalRegistry, ServedRoute, StartLocalAzureOptions } from './local-azure';

const LOCATIONS = [
  { name: 'westeurope', displayName: 'West Europe' },
  { name: 'northeurope', displayName: 'North Europe' },
  { name: 'eastus', displayName: 'East US' },
];

export async function startLocalAzure(options: StartLocalAzureOptions = {}): Promise<LocalAzure> {
  const cleanup = createCleanupStack();
  try {
    return await start(options, cleanup);
  } catch (error) {
    await cleanup.run();
    throw error;
  }
}

async function start(options: StartLocalAzureOptions, cleanup: ReturnType<typeof createCleanupStack>): Promise<LocalAzure> {
  const instanceId = randomBytes(4).toString('hex');
  const stateDirectory = await mkdtemp(join(options.temporaryRoot ?? tmpdir(), `lazure-${instanceId}-`));
  cleanup.push('remove the state folder', () => rm(stateDirectory, { recursive: true, force: true }));
  const certificatesDirectory = join(stateDirectory, 'certificates');

  const ca = await createCertificateAuthority(certificatesDirectory, `Local Azure CA ${instanceId}`);
  const [serverTls, clientCertificate, entraKey, devopsKey] = await Promise.all([
    createServerCertificate(ca, certificatesDirectory),
    createSelfSignedClientCertificate(certificatesDirectory, 'spn-certificate'),
    createSigningKey(),
    createSigningKey(),
  ]);
  if (options.trustCaInProcess ?? true) cleanup.push('untrust the CA', trustCertificateAuthorityInProcess(ca.certificatePem));

  const faults = createFaultRegistry(options.random);
  const log = createRequestLog();
  const tenantId = randomUUID();
  const subscriptionId = randomUUID();
  const authenticator: { arm?: ReturnType<typeof createArmAuthenticator> } = {};
  const armHeaders = createArmResponseHeaders({ region: LOCATIONS[0]?.name ?? 'westeurope' });
  const front = await startHttpsFront({
    name: 'management',
    tls: serverTls,
    faults,
    log,
    replyHeaders: (auth, method, request, caller) => (auth === 'arm' ? armHeaders.headersFor(method, request.headers, `${subscriptionId}:${caller}`) : {}),
    authenticate: (auth, request) =>
      Promise.resolve(auth === 'arm' && authenticator.arm ? authenticator.arm(request) : armError(401, 'AuthenticationFailed', 'Authentication failed.')),
  });
  cleanup.push('stop the https front', () => front.stop());
  const origin = front.origin;

  const tokens = createAccessTokenService({ issuer: `${origin}/${tenantId}/`, tenantId, signingKey: entraKey });
  authenticator.arm = createArmAuthenticator({ tokens, tenantId, authorityOrigin: origin });

  const connectionIds = newConnectionIds();
  const job: JobContext = {
    collectionUri: `${origin}/local-azure/`,
    teamProjectId: randomUUID(),
    planId: randomUUID(),
    jobId: randomUUID(),
    hostType: 'build',
    accessToken: randomBytes(32).toString('base64url'),
  };
  const devops = createAzureDevOps({
    origin,
    organizationName: 'local-azure',
    organizationId: randomUUID(),
    projectName: 'models',
    job,
    signingKey: devopsKey,
    connections: () => [{ id: connectionIds.workloadIdentity, name: CONNECTION_NAMES.workloadIdentity }],
  });

  const identities = seedIdentities({
    tenantId,
    connectionIds,
    federation: { issuer: devops.issuer, publicKey: devopsKey.publicKey, subjectOf: (name) => devops.subjectOf(name) },
    clientCertificate,
  });
  const { directory } = identities;
  const clusterSeeds = seedClusters({ subscriptionId, tenantId, resourceGroup: 'rg-models', location: 'westeurope', instanceId, ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}) });
  directory.managedIdentities.push(...clusterSeeds.map((seed) => seed.kubeletIdentity));
  const identityHeader = randomBytes(24).toString('base64url');

  const subscription = createSubscription({
    subscriptionId,
    displayName: 'Local Azure subscription',
    tenantId,
    locations: LOCATIONS,
    resourceGroups: [
      { name: 'rg-models', location: 'westeurope', tags: {} },
      { name: 'rg-empty', location: 'northeurope', tags: {} },
    ],
  });

  const roles = createRoleAssignments();
  const registries = await startContainerRegistries({
    stateDirectory: join(stateDirectory, 'registries'),
    instanceId,
    subscriptionId,
    tenantId,
    caCertificatePem: ca.certificatePem,
    tls: serverTls,
    tokens,
    directory,
    faults,
    log,
    subscription,
    roles,
  });
  cleanup.push('stop the registries', () => registries.stop());
  const registryIds = registries.registries.map((registry) => registry.resourceId);
  for (const assignment of seedRoleAssignments({ subscriptionId, registryIds, ...identities.registryRoles })) roles.add(assignment);
  const pullRegistry = registries.registries.find((registry) => registry.adminUserEnabled) ?? registries.registries[0];
  const clusterRecords = clusterSeeds.map((seed) => seed.record);
  for (const assignment of seedClusterRoleAssignments({ clusters: clusterRecords, deployers: identities.registryRoles.pushers, pullRegistryId: pullRegistry?.resourceId })) roles.add(assignment);

  const timing: OperationTiming = { pendingInMs: secondsToMs(options.pendingInSeconds ?? 0) };
  const registryLoginServers = registries.registries.map((registry) => registry.loginServer);
  const context: ServiceContext = {
    instanceId,
    subscriptionId,
    resourceGroupLocation: (name) => subscription.findResourceGroup(name)?.location,
    locations: LOCATIONS.map((location) => location.name),
    dockerSocketPath: options.dockerSocketPath ?? '/var/run/docker.sock',
    // Shared and growing: registries created later (createRegistry) join it.
    registryLoginServers,
    registryLogins: registries.logins,
    faults,
    stateDirectory: join(stateDirectory, 'aci'),
    timing,
  };
  const aci = await createAciService(context);
  cleanup.push('stop Container Instances', () => aci.stop());
  const aks = await startAksService({
    instanceId,
    subscription,
    tenantId,
    tokens,
    roles,
    clusters: clusterRecords,
    faults,
    stateDirectory: join(stateDirectory, 'aks'),
    dockerSocketPath: context.dockerSocketPath,
    registryLoginServers: context.registryLoginServers,
    registryLogins: registries.logins,
    runtime: options.kubernetesRuntime ?? dockerClusterRuntime(),
  });
  cleanup.push('stop the AKS clusters', () => aks.stop());
  const kubeconfigPath = join(stateDirectory, 'kubeconfig');
  const aksToken = tokens.issue({ audience: AKS_SERVER_APPLICATION_ID, clientId: identities.spnKey.clientId, objectId: identities.spnKey.objectId, appidacr: '1' }).accessToken;
  await writeFile(kubeconfigPath, localKubeconfig(aks.clusters, aksToken), { mode: 0o600 });

  const managementRoutes = [
    ...createEntraIdRoutes({ origin, directory, tokens }),
    ...createManagedIdentityRoutes({ directory, tokens, identityHeader, subscriptionId }),
    ...devops.routes,
    ...createResourceManagerRoutes({ subscription, origin, resources: () => [...registries.resources(), ...(aci.resources?.() ?? [])] }),
    ...registries.armRoutes,
    ...aci.routes,
    ...aks.routes,
  ];
  front.setRoutes(managementRoutes);
  const servedRoutes: ServedRoute[] = [
    ...managementRoutes.map((route) => ({ front: 'management' as const, name: route.name, method: route.method, path: route.path })),
    ...REGISTRY_ROUTES.map((route) => ({ front: 'registry' as const, name: route.name, method: route.method ?? '*', path: route.pattern.source })),
  ];

  const primary = registries.registries.find((registry) => registry.adminUserEnabled) ?? registries.registries[0];
  if (!primary) throw new Error('No registry was started.');
  const connections = seedServiceConnections({
    origin,
    tenantId,
    subscriptionId,
    subscriptionName: subscription.displayName,
    ...identities.connections,
    dockerRegistry: { id: connectionIds.dockerRegistry, name: CONNECTION_NAMES.dockerRegistry, loginServer: primary.loginServer, username: primary.adminUsername, password: primary.adminPassword },
  });

  // What `az` needs to sign in (printed by `npm run local-azure`): the secret in a 0600 file, never on a command line.
  const azureCliDirectory = join(stateDirectory, 'azure-cli');
  await mkdir(azureCliDirectory, { recursive: true, mode: 0o700 });
  const secretFile = join(azureCliDirectory, 'spn-secret');
  await writeFile(secretFile, identities.connections.spnKey.secret, { mode: 0o600 });
  const azureCli = azureCliSetup({
    instanceId,
    armOrigin: origin,
    tenantId,
    clientId: identities.connections.spnKey.clientId,
    secretFile,
    caCertificatePath: ca.certificatePath,
    configDirectory: join(azureCliDirectory, 'config'),
  });

  let stopped: Promise<void> | undefined;
  return {
    instanceId,
    armUrl: `${origin}/`,
    authorityHost: origin,
    tenantId,
    subscriptionId,
    get resourceGroups() {
      return subscription.resourceGroups().map((group) => group.name);
    },
    registry: primary,
    registries: registries.registries,
    userAssignedIdentities: directory.managedIdentities
      .filter((identity) => !identity.systemAssigned)
      .map((identity) => ({ name: identity.displayName, resourceId: userAssignedIdentityResourceId(subscriptionId, identity), clientId: identity.clientId, principalId: identity.objectId })),
    connections,
    clusters: aks.clusters,
    kubeconfigPath,
    job,
    caCertificatePath: ca.certificatePath,
    caCertificatePem: ca.certificatePem,
    azureCli,
    agentEnvironment: () => ({
      NODE_EXTRA_CA_CERTS: ca.certificatePath,
      SYSTEM_COLLECTIONURI: job.collectionUri,
      SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: job.collectionUri,
      SYSTEM_TEAMPROJECTID: job.teamProjectId,
      SYSTEM_TEAMPROJECT: 'models',
      SYSTEM_PLANID: job.planId,
      SYSTEM_JOBID: job.jobId,
      SYSTEM_HOSTTYPE: job.hostType,
      SYSTEM_ACCESSTOKEN: job.accessToken,
      IDENTITY_ENDPOINT: `${origin}${MANAGED_IDENTITY_PATH}`,
      IDENTITY_HEADER: identityHeader,
    }),
    faults,
    routes: () => servedRoutes.map((route) => ({ ...route })),
    setPendingSeconds: (seconds) => {
      timing.pendingInMs = secondsToMs(seconds);
    },
    registryLogins: registries.logins,
    requests: () => log.entries(),
    clearRequests: () => log.clear(),
    issueAccessToken: (audience, lifetimeInSeconds) =>
      tokens.issue({ audience, clientId: identities.spnKey.clientId, objectId: identities.spnKey.objectId, appidacr: '1', ...(lifetimeInSeconds !== undefined ? { lifetimeInSeconds } : {}) }).accessToken,
    issueOidcToken: (connectionId, lifetimeInSeconds) => devops.issueOidcToken(connectionId, lifetimeInSeconds),
    pushImage: (localImage, repository, tag, registryName) => registries.pushImage(localImage, repository, tag, registryName),
    exportRepository: (repository, folder, registryName) => registries.exportRepository(repository, folder, registryName),
    importRepository: (folder, registryName) => registries.importRepository(folder, registryName),
    createResourceGroup(name, location = LOCATIONS[0]?.name ?? 'westeurope') {
      const problem = resourceGroupNameProblem(name);
      if (problem) throw new Error(`Invalid resource group name: ${problem}.`);
      if (!subscription.locations.some((candidate) => candidate.name === location)) throw new Error(`The location '${location}' is not one of the local Azure's: ${subscription.locations.map((candidate) => candidate.name).join(', ')}.`);
      const existing = subscription.findResourceGroup(name);
      if (existing) return { created: false, name: existing.name, location: existing.location };
      const { group } = subscription.putResourceGroup({ name, location, tags: {} });
      return { created: true, name: group.name, location: group.location };
    },
    async createRegistry(name, resourceGroup, options = {}) {
      const group = subscription.findResourceGroup(resourceGroup);
      if (!group) throw new Error(`Resource group '${resourceGroup}' could not be found.`);
      const existing = registries.registries.find((registry) => registry.name.toLowerCase() === name.toLowerCase());
      if (existing) return { created: false, registry: existing };
      const registry = await registries.addRegistry(name, { resourceGroup: group.name, location: group.location, adminUserEnabled: options.adminUserEnabled ?? false });
      registryLoginServers.push(registry.loginServer);
      // The same roles as on the seeded registries: the ready-made Azure connections push, the pull-only one pulls.
      const assignments = seedRoleAssignments({ subscriptionId, registryIds: [registry.resourceId], ...identities.registryRoles });
      for (const assignment of assignments.filter((candidate) => candidate.scope === registry.resourceId)) roles.add(assignment);
      return { created: true, registry };
    },
    async createCluster(name, resourceGroup, options = {}) {
      const problem = clusterNameProblem(name);
      if (problem) throw new Error(`Invalid cluster name: ${problem}.`);
      const group = subscription.findResourceGroup(resourceGroup);
      if (!group) throw new Error(`Resource group '${resourceGroup}' could not be found.`);
      const existing = aks.clusters.find((cluster) => cluster.name.toLowerCase() === name.toLowerCase() && cluster.resourceGroup.toLowerCase() === group.name.toLowerCase());
      if (existing) return { created: false, cluster: existing };
      const seed = clusterRecord({ subscriptionId, tenantId, resourceGroup: group.name, location: group.location, instanceId, ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}) }, name, options.entraId ?? false);
      directory.managedIdentities.push(seed.kubeletIdentity);
      // As the seeded clusters: the ready-made connections may deploy; the kubelet pulls from the registries attached (az aks update --attach-acr).
      for (const assignment of seedClusterRoleAssignments({ clusters: [seed.record], deployers: identities.registryRoles.pushers, pullRegistryId: undefined })) roles.add(assignment);
      for (const registryName of options.attachRegistries ?? []) {
        const registry = registries.registries.find((candidate) => candidate.name.toLowerCase() === registryName.toLowerCase());
        if (!registry) throw new Error(`No registry named '${registryName}' to attach to cluster '${name}'.`);
        roles.add({ principalId: seed.kubeletIdentity.objectId, role: 'AcrPull', scope: registry.resourceId });
      }
      return { created: true, cluster: await aks.addCluster(seed.record) };
    },
    attachRegistry(clusterName, resourceGroup, registryName) {
      const cluster = aks.clusters.find((candidate) => candidate.name.toLowerCase() === clusterName.toLowerCase() && candidate.resourceGroup.toLowerCase() === resourceGroup.toLowerCase());
      if (!cluster) throw new Error(`No AKS cluster named '${clusterName}' in resource group '${resourceGroup}'.`);
      const registry = registries.registries.find((candidate) => candidate.name.toLowerCase() === registryName.toLowerCase());
      if (!registry) throw new Error(`No registry named '${registryName}' to attach to cluster '${clusterName}'.`);
      const principalId = cluster.kubeletIdentity.objectId;
      const already = roles.list().some((assignment) => assignment.principalId === principalId && assignment.role === 'AcrPull' && assignment.scope === registry.resourceId);
      if (!already) roles.add({ principalId, role: 'AcrPull', scope: registry.resourceId });
      return { attached: !already };
    },
    stop() {
      stopped ??= cleanup.run().then((errors) => {
        if (errors.length > 0) throw new Error(`The local Azure did not stop cleanly: ${errors.map((error) => error.message).join('; ')}`);
      });
      return stopped;
    },
  };
}

function secondsToMs(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`Pending seconds must be a number of 0 or more; got '${seconds}'.`);
  return Math.round(seconds * 1000);
}
