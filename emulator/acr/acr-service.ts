/**
 * The seeded container registries: for each, a `docker-registry` process on a UNIX socket, an https
 * front with ACR's token auth on its own port, the CA in /etc/docker/certs.d/<login server>/ so the
 * Docker engine trusts it, and the Resource Manager routes that describe them.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyAndCertificate } from '../core/certificates';
import type { Route } from '../core/http-types';
import { createSigningKey } from '../core/jwt';
import type { RequestLog } from '../core/request-log';
import type { FaultRegistry, GenericResource, RegistryLoginCheck } from '../core/service-context';
import type { AccessTokenService } from '../identity/model/access-tokens';
import type { Directory } from '../identity/model/directory';
import { findUserAssignedIdentity } from '../identity/model/user-assigned-identities';
import { createContainerRegistryRoutes } from './http/arm-routes';
import { registryAsGenericResource, registryResourceId } from './model/registry-resource';
import type { Subscription } from '../arm/model/subscription';
import { registryNameProblem } from '../arm/spec/resource-names';
import { pushImage } from './engine/push-image';
import { exportRepository, importRepository } from './engine/repository-copy';
import { callerActions, identifyCaller, PUSH_HELPER_SUBJECT, TOKEN_USERNAME, type RegistryAccount } from './model/registry-account';
import { startRegistryFront } from './http/registry-front';
import { startRegistryProcess } from './engine/registry-process';
import { hasManifest } from './engine/repository-metadata';
import type { RoleAssignments } from './model/registry-roles';
import { createRegistryTokens, type RegistryTokens } from './model/registry-tokens';

export interface ContainerRegistriesOptions {
  stateDirectory: string;
  instanceId: string;
  subscriptionId: string;
  tenantId: string;
  caCertificatePem: string;
  tls: KeyAndCertificate;
  tokens: AccessTokenService;
  directory: Directory;
  faults: FaultRegistry;
  log: RequestLog;
  subscription: Subscription;
  /** Azure RBAC: what each identity may do on each registry (the admin user may do everything). */
  roles: RoleAssignments;
  /** Where the Docker engine reads per-registry CAs. Default /etc/docker/certs.d */
  dockerCertsDirectory?: string;
}

export interface SeededRegistry {
  name: string;
  resourceGroup: string;
  loginServer: string;
  resourceId: string;
  adminUserEnabled: boolean;
  adminUsername: string;
  adminPassword: string;
}

export interface ContainerRegistries {
  /** Every registry, the seeded ones first; a registry added later joins this same array. */
  registries: SeededRegistry[];
  /**
   * Creates a registry (as `az acr create` would): Azure's naming rules, unique names (case-insensitive),
   * admin user off unless asked. Fails with what is wrong with the name.
   */
  addRegistry(name: string, placement: { resourceGroup: string; location: string; adminUserEnabled?: boolean }): Promise<SeededRegistry>;
  /** Copies a repository (its tags, manifests and blobs) out of a registry's storage into `folder`. */
  exportRepository(repository: string, folder: string, registryName?: string): Promise<void>;
  /** Adds a repository exported with exportRepository to a registry's storage (files hard-linked when possible). */
  importRepository(folder: string, registryName?: string): Promise<void>;
  armRoutes: Route[];
  /** The registries as Resource Manager's generic resource list shows them. */
  resources(): GenericResource[];
  logins: RegistryLoginCheck;
  pushImage(localImage: string, repository: string, tag: string, registryName?: string): Promise<string>;
  stop(): Promise<void>;
}

interface Running {
  account: RegistryAccount;
  storageDirectory: string;
  tokens: RegistryTokens;
  stop(): Promise<void>;
}

const SEEDED_PLACEMENT = { resourceGroup: 'rg-models', location: 'westeurope' };

const password = (): string => randomBytes(39).toString('base64');

async function startOne(options: ContainerRegistriesOptions, name: string, adminUserEnabled: boolean, placement = SEEDED_PLACEMENT): Promise<Running> {
  const directory = join(options.stateDirectory, name);
  const registryProcess = await startRegistryProcess(directory);
  const front = await startRegistryFront({ tls: options.tls, faults: options.faults, log: options.log, socketPath: registryProcess.socketPath, storageDirectory: registryProcess.storageDirectory }).catch(async (error: unknown) => {
    await registryProcess.stop();
    throw error;
  });
  const account: RegistryAccount = {
    name,
    resourceGroup: placement.resourceGroup,
    location: placement.location,
    loginServer: front.loginServer,
    adminUserEnabled,
    adminUsername: name,
    adminPasswords: [password(), password()],
    createdAt: new Date(),
  };
  const tokens = createRegistryTokens(front.loginServer, await createSigningKey());
  front.attach({
    account,
    directory: options.directory,
    entraTokens: options.tokens,
    registryTokens: tokens,
    registryId: registryResourceId(options.subscriptionId, account),
    roles: options.roles,
  });
  const certsDirectory = join(options.dockerCertsDirectory ?? '/etc/docker/certs.d', front.loginServer);
  let wroteCerts = false;
  try {
    await mkdir(certsDirectory, { recursive: true });
    await writeFile(join(certsDirectory, 'ca.crt'), options.caCertificatePem);
    wroteCerts = true;
  } catch (error) {
    process.stderr.write(`local Azure: could not write ${certsDirectory}/ca.crt (${String(error)}); the Docker engine treats 127.0.0.0/8 registries as insecure anyway.\n`);
  }
  return {
    account,
    storageDirectory: registryProcess.storageDirectory,
    tokens,
    async stop() {
      await front.stop();
      await registryProcess.stop();
      if (wroteCerts) await rm(certsDirectory, { recursive: true, force: true });
    },
  };
}

export async function startContainerRegistries(options: ContainerRegistriesOptions): Promise<ContainerRegistries> {
  const running: Running[] = [];
  const stop = async (): Promise<void> => {
    const results = await Promise.allSettled(running.splice(0).map((entry) => entry.stop()));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  };
  // Both at once (each waits for its own registry process), in a fixed order.
  const started = await Promise.allSettled([startOne(options, `crmodels${options.instanceId}`, true), startOne(options, `crprivate${options.instanceId}`, false)]);
  for (const result of started) if (result.status === 'fulfilled') running.push(result.value);
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await stop().catch(() => undefined);
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  const describe = ({ account }: Running): SeededRegistry => ({
    name: account.name,
    resourceGroup: account.resourceGroup,
    loginServer: account.loginServer,
    resourceId: registryResourceId(options.subscriptionId, account),
    adminUserEnabled: account.adminUserEnabled,
    adminUsername: account.adminUsername,
    adminPassword: account.adminPasswords[0],
  });
  const registries = running.map(describe);
  const byName = (name: string | undefined): Running => {
    const found = name === undefined ? running[0] : running.find((entry) => entry.account.name.toLowerCase() === name.toLowerCase() || entry.account.loginServer === name);
    if (!found) throw new Error(`No local registry named '${name ?? ''}'.`);
    return found;
  };
  return {
    registries,
    async addRegistry(name, placement) {
      const problem = registryNameProblem(name);
      if (problem) throw new Error(`Invalid registry name: ${problem}.`);
      if (running.some((entry) => entry.account.name.toLowerCase() === name.toLowerCase())) throw new Error(`The registry name '${name}' is already in use.`);
      const entry = await startOne(options, name, placement.adminUserEnabled ?? false, { resourceGroup: placement.resourceGroup, location: placement.location });
      running.push(entry);
      const registry = describe(entry);
      registries.push(registry);
      return registry;
    },
    exportRepository: (repository, folder, registryName) => exportRepository(byName(registryName).storageDirectory, repository, folder),
    importRepository: (folder, registryName) => importRepository(folder, byName(registryName).storageDirectory),
    armRoutes: createContainerRegistryRoutes(options.subscription, () => running.map((entry) => entry.account)),
    resources: () => running.map((entry) => registryAsGenericResource(options.subscriptionId, entry.account)),
    logins: {
      canPull(loginServer, _repository, username, secret) {
        const entry = running.find((candidate) => candidate.account.loginServer.toLowerCase() === loginServer.toLowerCase());
        const subject = entry ? identifyCaller(entry.account, options.directory, entry.tokens, username, secret) : undefined;
        const registryId = entry ? registryResourceId(options.subscriptionId, entry.account) : '';
        return Promise.resolve(subject !== undefined && callerActions(subject, registryId, options.roles.list()).includes('pull'));
      },
      pullAsIdentity(loginServer, _repository, identityResourceId) {
        const entry = running.find((candidate) => candidate.account.loginServer.toLowerCase() === loginServer.toLowerCase());
        const identity = findUserAssignedIdentity(options.directory, options.subscriptionId, identityResourceId);
        if (!entry || !identity) return Promise.resolve(undefined);
        const registryId = registryResourceId(options.subscriptionId, entry.account);
        if (!callerActions(identity.objectId, registryId, options.roles.list()).includes('pull')) return Promise.resolve(undefined);
        return Promise.resolve({ username: TOKEN_USERNAME, password: entry.tokens.issueRefreshToken(identity.objectId, options.tenantId) });
      },
      hasImage(loginServer, repository, reference) {
        const entry = running.find((candidate) => candidate.account.loginServer.toLowerCase() === loginServer.toLowerCase());
        return entry ? hasManifest(entry.storageDirectory, repository, reference) : Promise.resolve(false);
      },
    },
    async pushImage(localImage, repository, tag, registryName) {
      const entry = byName(registryName);
      const since = new Date();
      try {
        return await pushImage(entry.account.loginServer, entry.tokens.issueRefreshToken(PUSH_HELPER_SUBJECT, options.tenantId), localImage, repository, tag);
      } catch (error) {
        // docker prints only the status of a failed request: add what the front saw behind it.
        const unanswered = options.log.entries().filter((logged) => logged.host === entry.account.loginServer && logged.at >= since && logged.upstreamError !== undefined);
        if (unanswered.length === 0) throw error;
        const reasons = unanswered.map((logged) => `${logged.method} ${logged.path}: ${logged.upstreamError ?? ''}`).join('; ');
        throw new Error(`${error instanceof Error ? error.message : String(error)} (docker-registry behind the front did not answer: ${reasons})`);
      }
    },
    stop,
  };
}
