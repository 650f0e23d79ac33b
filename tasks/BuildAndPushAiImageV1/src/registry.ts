import { proxiedFetch } from '../../common/agent-proxy';
import { type RegistryManifests, acrManifests } from '../../common/azure/acr-manifests';
import { acrDockerLogin, acrPushRoleHint, describeIdentity } from '../../common/azure/acr-sign-in';
import { readAzureRmConnection } from '../../common/azure/arm-connection';
import { type ContainerRegistries, createContainerRegistries } from '../../common/azure/container-registries';
import { type AzureSession, createAzureSession } from '../../common/azure/session';
import type { DockerCli } from '../../common/docker/docker-cli';
import type { RegistryLogin } from '../../common/docker/docker-config';
import { dockerCliManifests } from '../../common/docker/docker-manifests';
import { readDockerRegistryConnection } from '../../common/docker-registry-connection';
import type { Clock } from '../../common/deadline';
import type { TaskRuntime } from '../../common/task-runtime';
import { INPUT, type RegistryConnection } from './inputs';

/** The registry this run pushes to, and how to sign in to it. */
export interface RegistrySession {
  /** host[:port] from the registry resource or the Docker registry connection. */
  loginServer: string;
  /** Who signs in, for messages. */
  identity: string;
  /** What to do when a push is refused. */
  pushRefusedHint: string;
  /** The sign-in for the temporary Docker config, obtained right before it is used. */
  dockerLogin(): Promise<RegistryLogin>;
  /** Reads pushed manifests back from the registry with the run's sign-in (`docker` carries it in its temporary config). */
  manifests(docker: DockerCli, login: RegistryLogin): RegistryManifests;
}

export type OpenRegistry = (connection: RegistryConnection) => Promise<RegistrySession>;

/** What the Azure Resource Manager sign-in needs, loaded and created without a request to Azure. */
interface AzureRmClients {
  session: AzureSession;
  registries: ContainerRegistries;
}

/**
 * The factories index.ts hands to main: `prepare` loads the SDKs and creates the credential and
 * clients (no request to Azure: main runs it beside the Docker engine check), `open` then looks the
 * registry up. Both read the service connection only when main asks for them.
 */
/** `clock`: the waits between retries of sign-in requests (the task's, which ends them when the step is cancelled). */
export function registryOpener(runtime: TaskRuntime, clock?: Clock): { prepare: (connection: RegistryConnection) => Promise<void>; open: OpenRegistry } {
  let prepared: Promise<AzureRmClients> | undefined;
  const prepareAzureRm = (connection: Extract<RegistryConnection, { type: 'azureRM' }>): Promise<AzureRmClients> =>
    (prepared ??= (async () => {
      const session = await createAzureSession(readAzureRmConnection(runtime, connection.connectionId, INPUT.azureSubscription), runtime, clock ? { clock } : {});
      return { session, registries: await createContainerRegistries(session.connection, session.credential, runtime, clock ? { clock } : {}) };
    })());
  return {
    prepare: async (connection) => {
      if (connection.type === 'azureRM') await prepareAzureRm(connection);
    },
    open: (connection) => openRegistry(runtime, connection, prepareAzureRm, clock),
  };
}

async function openRegistry(
  runtime: TaskRuntime,
  connection: RegistryConnection,
  prepareAzureRm: (connection: Extract<RegistryConnection, { type: 'azureRM' }>) => Promise<AzureRmClients>,
  clock: Clock | undefined,
): Promise<RegistrySession> {
  if (connection.type === 'dockerRegistry') {
    const credentials = readDockerRegistryConnection(runtime, connection.connectionId, INPUT.dockerRegistryServiceConnection);
    return {
      loginServer: credentials.registry,
      identity: `user '${credentials.username}' of Docker registry service connection '${connection.connectionId}'`,
      pushRefusedHint:
        'Check the user name and password of the service connection and that this user may push to the repository (for an Azure container registry: the AcrPush role, or a token with write access).',
      dockerLogin: () => Promise.resolve({ server: credentials.registry, username: credentials.username, password: credentials.password }),
      manifests: (docker) => dockerCliManifests(docker, credentials.registry),
    };
  }
  const { session, registries } = await prepareAzureRm(connection);
  const { connection: arm, credential } = session;
  runtime.info(`Looking up container registry '${connection.registry}' in subscription ${arm.subscriptionName ?? arm.subscriptionId}.`);
  const registry = await registries.find(connection.registry, INPUT.azureContainerRegistry);
  return {
    loginServer: registry.loginServer,
    identity: describeIdentity(arm),
    pushRefusedHint: acrPushRoleHint(registry, arm),
    // The ACR token exchange and manifest reads go through the agent's proxy (docker's own traffic is the engine's).
    dockerLogin: () => acrDockerLogin(arm, credential, registry, { setSecret: (value) => runtime.setSecret(value), fetch: proxiedFetch(runtime.proxy) }),
    // The manifest is read with the refresh token docker pushed with: no second Entra ID token.
    manifests: (_docker, login) =>
      acrManifests(registry.loginServer, () => login.password, { fetch: proxiedFetch(runtime.proxy), setSecret: (value) => runtime.setSecret(value), ...(clock ? { clock } : {}), onRetry: (line) => runtime.warning(line) }),
  };
}
