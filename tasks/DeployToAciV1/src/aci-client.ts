import { type AgentProxy, azureProxyOptions } from '../../common/agent-proxy';
/**
 * The Resource Manager calls the task makes, behind a narrow interface (tests pass plain objects).
 * The factory loads @azure/arm-containerinstance and @azure/arm-resources lazily. The SDK's own
 * retries are off: every call goes through one bounded retry (429/5xx/resets/transitioning, honouring
 * Retry-After) with an injectable clock, so the whole behaviour is explicit and tested.
 */
import type { Capabilities, ContainerGroup } from '@azure/arm-containerinstance';
import type { TokenCredential } from '@azure/core-auth';
import type { AzureRmConnection } from '../../common/azure/arm-connection';
import { armScope } from '../../common/azure/arm-connection';
import type { Clock, Deadline } from '../../common/deadline';
import { type RetryPolicy, retry } from '../../common/retry';
import type { TaskLog } from '../../common/task-runtime';
import { withRequestTimeout } from '../../common/azure/arm-errors';
import { armFailure, classifyArmError, describeArmError, statusOf } from './arm-errors';
import { TAG } from './plan';

export interface AciClient {
  /** The group with its instance view, or undefined when it does not exist. */
  get(resourceGroup: string, name: string): Promise<ContainerGroup | undefined>;
  /** Sends the PUT (Azure's first answer only); the caller waits for the group itself. `context` is added to a failure's message. */
  createOrUpdate(resourceGroup: string, name: string, group: ContainerGroup, context?: string): Promise<void>;
  /** Sends the DELETE; the caller waits until `get` says the group is gone. */
  delete(resourceGroup: string, name: string): Promise<void>;
  /** The last `tail` lines of a container's log ('' when there is none). */
  logs(resourceGroup: string, name: string, container: string, tail: number): Promise<string>;
  capabilities(location: string): Promise<Capabilities[]>;
  resourceGroupLocation(resourceGroup: string): Promise<string>;
}

/** What the client needs of the SDKs: a slice small enough to fake in tests. `signal` cancels the request. */
export interface AciSdk {
  getGroup(resourceGroup: string, name: string, signal: AbortSignal): Promise<ContainerGroup>;
  putGroup(resourceGroup: string, name: string, group: ContainerGroup, signal: AbortSignal): Promise<void>;
  deleteGroup(resourceGroup: string, name: string, signal: AbortSignal): Promise<void>;
  listLogs(resourceGroup: string, name: string, container: string, tail: number, signal: AbortSignal): Promise<{ content?: string }>;
  listCapabilities(location: string, signal: AbortSignal): AsyncIterable<Capabilities>;
  getResourceGroup(resourceGroup: string, signal: AbortSignal): Promise<{ location: string }>;
}

export interface AciClientOptions {
  log: TaskLog;
  clock: Clock;
  retryPolicy?: Partial<RetryPolicy>;
  /** The deployment's deadline: no retry waits beyond it (each call's own budget is at most the policy's). */
  deadline?: Pick<Deadline, 'remainingInMs'>;
  /** How long one request may go unanswered before it is cancelled and retried (default 60 s). */
  requestTimeoutInMs?: number;
  /** The agent's proxy for Resource Manager. */
  proxy?: AgentProxy;
}

export const REQUEST_TIMEOUT_IN_MS = 60_000;

export const ARM_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, initialDelayInMs: 1000, maxDelayInMs: 20_000, timeoutInMs: 3 * 60_000 };

export async function createAciClient(connection: AzureRmConnection, credential: TokenCredential, options: AciClientOptions): Promise<AciClient> {
  const [{ ContainerInstanceManagementClient }, { ResourceManagementClient }] = await Promise.all([
    import('@azure/arm-containerinstance'),
    import('@azure/arm-resources'),
  ]);
  const endpoint = connection.resourceManagerUrl.replace(/\/+$/, '');
  const proxyOptions = azureProxyOptions(options.proxy, endpoint);
  const clientOptions = { endpoint, $host: endpoint, credentialScopes: [armScope(connection)], retryOptions: { maxRetries: 0 }, ...(proxyOptions ? { proxyOptions } : {}) };
  const aci = new ContainerInstanceManagementClient(credential, connection.subscriptionId, clientOptions);
  const resources = new ResourceManagementClient(credential, connection.subscriptionId, clientOptions);
  const sdk: AciSdk = {
    getGroup: (rg, name, abortSignal) => aci.containerGroups.get(rg, name, { abortSignal }),
    // begin* sends the PUT and polls the operation once; the task polls the group (instance view included)
    // itself. A failure of that first poll after Azure accepted the PUT is not a failed PUT: never re-send it.
    putGroup: async (rg, name, group, abortSignal) => {
      let accepted = false;
      const onResponse = (raw: { status: number; request: { method: string } }): void => {
        if (raw.request.method === 'PUT' && raw.status >= 200 && raw.status < 300) accepted = true;
      };
      try {
        await aci.containerGroups.beginCreateOrUpdate(rg, name, group, { abortSignal, onResponse });
      } catch (error) {
        if (!accepted) throw error;
      }
    },
    deleteGroup: async (rg, name, abortSignal) => {
      await aci.containerGroups.beginDelete(rg, name, { abortSignal });
    },
    listLogs: (rg, name, container, tail, abortSignal) => aci.containers.listLogs(rg, name, container, { tail, abortSignal }),
    listCapabilities: (location, abortSignal) => aci.location.listCapabilities(location, { abortSignal }),
    getResourceGroup: async (rg, abortSignal) => {
      const group = await resources.resourceGroups.get(rg, { abortSignal });
      return { location: group.location };
    },
  };
  return aciClientOver(sdk, options);
}

/** The retrying, explaining client over any AciSdk. */
export function aciClientOver(sdk: AciSdk, options: AciClientOptions): AciClient {
  const policy = { ...ARM_RETRY_POLICY, ...options.retryPolicy };
  const requestTimeoutInMs = options.requestTimeoutInMs ?? REQUEST_TIMEOUT_IN_MS;
  const call = async <T>(action: string, operation: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    retry(() => withRequestTimeout(operation, requestTimeoutInMs), {
      policy: options.deadline ? { ...policy, timeoutInMs: Math.min(policy.timeoutInMs, options.deadline.remainingInMs()) } : policy,
      clock: options.clock,
      deadlineName: options.deadline ? "'timeoutInMinutes'" : 'the time allowed',
      classify: classifyArmError,
      onRetry: ({ attempt, delayInMs, error }) =>
        options.log.info(`${action}: Resource Manager answered ${describeArmError(error)}; retrying in ${Math.round(delayInMs / 100) / 10} s (attempt ${attempt + 1} of ${policy.maxAttempts}).`),
    }).catch((error: unknown) => {
      throw armFailure(action, error);
    });
  return {
    get: (rg, name) =>
      call(`Reading container group '${name}'`, async (signal) => {
        try {
          return await sdk.getGroup(rg, name, signal);
        } catch (error) {
          if (statusOf(error) === 404 && !/ResourceGroupNotFound/i.test(describeArmError(error))) return undefined;
          throw error;
        }
      }),
    createOrUpdate: (rg, name, group, context) => {
      const marker = group.tags?.[TAG.run];
      const action = `Creating or updating container group '${name}'${context ? ` (${context})` : ''}`;
      // One PUT per decision: after a PUT that failed on the way (throttled, 5xx, reset, transitioning),
      // the group's state decides. If it carries this run's marker, Azure took the PUT; else it is sent again.
      return call(action, async (signal) => {
        try {
          await sdk.putGroup(rg, name, group, signal);
        } catch (error) {
          if (marker === undefined || !classifyArmError(error).retry) throw error;
          const current = await sdk.getGroup(rg, name, AbortSignal.timeout(requestTimeoutInMs)).catch(() => undefined);
          if (current?.tags?.[TAG.run] === marker) {
            options.log.info(`${action}: Azure answered ${describeArmError(error)}, but the group carries this run's marker: the request was taken.`);
            return;
          }
          throw error;
        }
      });
    },
    delete: (rg, name) =>
      call(`Deleting container group '${name}'`, async (signal) => {
        try {
          await sdk.deleteGroup(rg, name, signal);
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
        }
      }),
    logs: (rg, name, container, tail) =>
      call(`Reading the log of container '${container}'`, async (signal) => (await sdk.listLogs(rg, name, container, tail, signal)).content ?? ''),
    capabilities: (location) =>
      call(`Reading the capabilities of location '${location}'`, async (signal) => {
        const all: Capabilities[] = [];
        for await (const capability of sdk.listCapabilities(location, signal)) all.push(capability);
        return all;
      }),
    resourceGroupLocation: (rg) => call(`Reading resource group '${rg}'`, async (signal) => (await sdk.getResourceGroup(rg, signal)).location),
  };
}
