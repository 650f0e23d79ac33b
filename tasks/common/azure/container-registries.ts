import { type AgentProxy, azureProxyOptions } from '../agent-proxy';
import type { TokenCredential } from '@azure/core-auth';
import { TaskError } from '../errors';
import { explainFailure } from '../service-failure';
import { retryTransient } from '../transient-retry';
import type { Clock } from '../deadline';
import type { TaskLog } from '../task-runtime';
import type { AzureRmConnection } from './arm-connection';
import { armScope } from './arm-connection';

/** A container registry resource, as Resource Manager describes it. */
export interface RegistryInfo {
  id: string;
  name: string;
  resourceGroup: string;
  /** `properties.loginServer`: never derived from the name (sovereign clouds, Azure Stack, the local Azure). */
  loginServer: string;
  adminUserEnabled: boolean;
}

export interface ContainerRegistries {
  /** By registry name or login server (case-insensitive); throws TaskError naming the input when not found in the subscription, listing what exists. */
  find(nameOrLoginServer: string, inputName: string): Promise<RegistryInfo>;
  /** The admin user's name and first password; the password is registered as a secret at once. */
  adminCredentials(registry: RegistryInfo): Promise<{ username: string; password: string }>;
}

/** The registry is not among those the connection can see (the listing itself worked). */
export class RegistryNotFoundError extends TaskError {
  override readonly name = 'RegistryNotFoundError';
}

/** The registries could not be listed (an outage, throttling, or no right to read them). */
export class RegistryListingError extends TaskError {
  override readonly name = 'RegistryListingError';
}

/** What the factory needs of the Resource Manager SDK (a narrow slice, so tests can pass plain objects). */
export interface RegistryManagementApi {
  list(): AsyncIterable<{ id?: string; name?: string; loginServer?: string; adminUserEnabled?: boolean }>;
  listCredentials(resourceGroup: string, name: string): Promise<{ username?: string; passwords?: { value?: string }[] }>;
}

export async function createContainerRegistries(
  connection: AzureRmConnection,
  credential: TokenCredential,
  log: TaskLog & { setSecret(value: string): void; proxy?: AgentProxy },
  options: { clock?: Clock } = {},
): Promise<ContainerRegistries> {
  const { ContainerRegistryManagementClient } = await import('@azure/arm-containerregistry');
  const proxyOptions = azureProxyOptions(log.proxy, connection.resourceManagerUrl);
  const client = new ContainerRegistryManagementClient(credential, connection.subscriptionId, {
    endpoint: connection.resourceManagerUrl.replace(/\/+$/, ''),
    credentials: { scopes: [armScope(connection)] },
    ...(proxyOptions ? { proxyOptions } : {}),
    // Retried by the task (retryTransient): bounded, Retry-After honoured, explained once.
    retryOptions: { maxRetries: 0 },
  });
  const api: RegistryManagementApi = {
    list: () => client.registries.list(),
    listCredentials: (resourceGroup, name) => client.registries.listCredentials(resourceGroup, name),
  };
  return containerRegistriesOver(api, connection, log, options);
}

/** The logic of `ContainerRegistries` over any `RegistryManagementApi` (the SDK in a task, a plain object in tests). */
export function containerRegistriesOver(
  api: RegistryManagementApi,
  connection: Pick<AzureRmConnection, 'subscriptionId' | 'subscriptionName' | 'clientId' | 'resourceManagerUrl'>,
  log: TaskLog & { setSecret(value: string): void },
  options: { clock?: Clock } = {},
): ContainerRegistries {
  const subscription = connection.subscriptionName ? `'${connection.subscriptionName}' (${connection.subscriptionId})` : connection.subscriptionId;
  const providerUrl = `${connection.resourceManagerUrl}subscriptions/${connection.subscriptionId}/providers/Microsoft.ContainerRegistry/registries`;
  const readerAdvice = (): string =>
    `The service connection's identity${connection.clientId ? ` (client id ${connection.clientId})` : ''} needs at least the Reader role on the registry or its resource group.`;
  const retried = <T>(action: string, operation: () => Promise<T>): Promise<T> =>
    retryTransient(operation, { action, onRetry: (line) => log.info(line), ...(options.clock ? { clock: options.clock } : {}) });
  return {
    async find(nameOrLoginServer, inputName) {
      const wanted = registryKey(nameOrLoginServer);
      const found: RegistryInfo[] = [];
      const action = `Listing the container registries of subscription ${subscription}`;
      try {
        await retried(action, async () => {
          found.length = 0;
          for await (const registry of api.list()) {
            const info = toRegistryInfo(registry);
            if (info) found.push(info);
          }
        });
      } catch (error) {
        if (error instanceof TaskError) throw error;
        throw new RegistryListingError(explainFailure(error, { action, service: 'Azure', route: `GET ${providerUrl}`, refusedAdvice: readerAdvice }), { cause: error });
      }
      log.debug(`Found ${found.length} container registries in subscription ${connection.subscriptionId}.`);
      const match = found.find((r) => r.name.toLowerCase() === wanted || r.loginServer.toLowerCase() === wanted);
      if (match) return match;
      const existing = found.length === 0 ? 'it has none that this connection can see' : `it has: ${found.map((r) => `${r.name} (${r.loginServer})`).join(', ')}`;
      throw new RegistryNotFoundError(
        `Input '${inputName}': no container registry named '${nameOrLoginServer}' was found in subscription ${subscription}; ${existing}. ` +
          'Give the name or the login server of a registry in the subscription of the service connection, or grant the connection access to it.',
      );
    },
    async adminCredentials(registry) {
      if (!registry.adminUserEnabled) {
        throw new TaskError(
          `The admin user of container registry '${registry.name}' is disabled, so it has no credentials to hand out. ` +
            `Enable it (az acr update -n ${registry.name} --admin-enabled true) or let the container pull with a managed identity.`,
        );
      }
      let result: Awaited<ReturnType<RegistryManagementApi['listCredentials']>>;
      const action = `Reading the admin credentials of container registry '${registry.name}'`;
      try {
        result = await retried(action, () => api.listCredentials(registry.resourceGroup, registry.name));
      } catch (error) {
        if (error instanceof TaskError) throw error;
        throw new TaskError(
          explainFailure(error, {
            action,
            service: 'Azure',
            route: `POST ${registry.id}/listCredentials`,
            refusedAdvice: () =>
              `The service connection's identity needs the Contributor role (or Microsoft.ContainerRegistry/registries/listCredentials/action) on container registry '${registry.name}'.`,
          }),
          { cause: error },
        );
      }
      const password = result.passwords?.find((p) => p.value)?.value;
      if (password) log.setSecret(password);
      if (!result.username || !password) {
        throw new TaskError(`Container registry '${registry.name}' returned no admin user name or password.`);
      }
      return { username: result.username, password };
    },
  };
}

/** What a user may paste for a registry, reduced to a name or login server: 'https://MyReg.azurecr.io/' -> 'myreg.azurecr.io'. */
export function registryKey(nameOrLoginServer: string): string {
  return nameOrLoginServer
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/\/.*$/, '');
}

function toRegistryInfo(registry: { id?: string; name?: string; loginServer?: string; adminUserEnabled?: boolean }): RegistryInfo | undefined {
  if (!registry.id || !registry.name || !registry.loginServer) return undefined;
  return {
    id: registry.id,
    name: registry.name,
    resourceGroup: resourceGroupOf(registry.id),
    loginServer: registry.loginServer,
    adminUserEnabled: registry.adminUserEnabled === true,
  };
}

export function resourceGroupOf(resourceId: string): string {
  const match = /\/resourceGroups\/([^/]+)/i.exec(resourceId);
  return match?.[1] ?? '';
}
