/** Wires the real effects for main(): the Azure session (connection and credential), Resource Manager, the registry and the cluster's API server. */
import { describeScheme, readAzureRmConnection } from '../../common/azure/arm-connection';
import { createAzureSession } from '../../common/azure/session';
import type { Cancellation } from '../../common/cancellation';
import { Deadline, systemClock } from '../../common/deadline';
import type { TaskRuntime } from '../../common/task-runtime';
import { createAksClient } from './aks-client';
import { clusterTokenSource } from './cluster-token';
import { createImageInspector } from './image-facts';
import { type AksInputs, INPUT } from './inputs';
import { createHttpsTransport, kubeApiOver } from './kube-client';
import type { AksDeps } from './main';

export async function createAksDeps(runtime: TaskRuntime, inputs: AksInputs, cancellation: Cancellation): Promise<AksDeps> {
  // Every wait (rollout polls, retries, the deadline) ends at once when the agent cancels the step.
  const clock = cancellation.wrapClock(systemClock);
  const connection = readAzureRmConnection(runtime, inputs.azureSubscription, INPUT.azureSubscription);
  const { credential } = await createAzureSession(connection, runtime, { clock });
  const setSecret = (value: string): void => runtime.setSecret(value);
  const proxy = runtime.proxy;
  const viaProxy = proxy ? { proxy } : {};
  const deadline = new Deadline(clock, inputs.rolloutTimeoutInMs);
  const aks = await createAksClient(connection, credential, { log: runtime, clock, deadline, signal: cancellation.signal, ...viaProxy });
  return {
    log: runtime,
    clock,
    deadline,
    aks,
    connect: (access) =>
      kubeApiOver(createHttpsTransport(access, access.auth.kind === 'entraId' ? clusterTokenSource(credential, access.auth.serverAppId, setSecret) : undefined, { ...viaProxy, signal: cancellation.signal }), {
        log: runtime,
        clock,
        deadline,
        identity:
          access.auth.kind === 'entraId'
            ? // No client id: the agent masks a service principal's (an endpoint authorization parameter).
              `service connection '${connection.id}' (${describeScheme(connection.scheme)})`
            : `kubeconfig user '${access.user}'`,
      }),
    images: createImageInspector(credential, connection.audience, runtime, proxy),
    setSecret,
    setVariable: (name, value, options) => runtime.setVariable(name, value, options),
    addSummary: (title, markdown) => runtime.addSummary(title, markdown),
    cancellation,
  };
}
