import { proxiedFetch } from '../../common/agent-proxy';
import { type RegistryManifests, createAcrManifests } from '../../common/azure/acr-manifests';
import { acrDockerLogin, acrPushRoleHint, describeIdentity } from '../../common/azure/acr-sign-in';
import { readAzureRmConnection } from '../../common/azure/arm-connection';
import { createContainerRegistries } from '../../common/azure/container-registries';
import { createOidcTokenSource, createTokenCredential, readJobContext } from '../../common/azure/credential';
import type { DockerCli } from '../../common/docker/docker-cli';
import type { RegistryLogin } from '../../common/docker/docker-config';
import { dockerCliManifests } from '../../common/docker/docker-manifests';
import { readDockerRegistryConnection } from '../../common/docker-registry-connection';
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
  /** Reads pushed manifests back from the registry (`docker` carries the temporary sign-in). */
  manifests(docker: DockerCli): Promise<RegistryManifests>;
}

export type OpenRegistry = (connection: RegistryConnection) => Promise<RegistrySession>;

/** The factory index.ts hands to main: reads the service connection only when main asks for it. */
export function registryOpener(runtime: TaskRuntime): OpenRegistry {
  return async (connection) => {
    if (connection.type === 'dockerRegistry') {
      const credentials = readDockerRegistryConnection(runtime, connection.connectionId, INPUT.dockerRegistryServiceConnection);
      return {
        loginServer: credentials.registry,
        identity: `user '${credentials.username}' of Docker registry service connection '${connection.connectionId}'`,
        pushRefusedHint:
          'Check the user name and password of the service connection and that this user may push to the repository (for an Azure container registry: the AcrPush role, or a token with write access).',
        dockerLogin: () => Promise.resolve({ server: credentials.registry, username: credentials.username, password: credentials.password }),
        manifests: (docker) => Promise.resolve(dockerCliManifests(docker, credentials.registry)),
      };
    }
    const arm = readAzureRmConnection(runtime, connection.connectionId, INPUT.azureSubscription);
    const proxy = runtime.proxy;
    const oidc = createOidcTokenSource(readJobContext(runtime), { log: runtime, setSecret: (value) => runtime.setSecret(value), ...(proxy ? { proxy } : {}) });
    const credential = await createTokenCredential(arm, { log: runtime, oidc, ...(proxy ? { proxy } : {}) });
    const registries = await createContainerRegistries(arm, credential, runtime);
    runtime.info(`Looking up container registry '${connection.registry}' in subscription ${arm.subscriptionName ?? arm.subscriptionId}.`);
    const registry = await registries.find(connection.registry, INPUT.azureContainerRegistry);
    return {
      loginServer: registry.loginServer,
      identity: describeIdentity(arm),
      pushRefusedHint: acrPushRoleHint(registry, arm),
      dockerLogin: () => acrDockerLogin(arm, credential, registry, { setSecret: (value) => runtime.setSecret(value), fetch: proxiedFetch(proxy) }),
      manifests: () => createAcrManifests(registry.loginServer, credential, arm.audience, proxy),
    };
  };
}
