/** Wires the real effects for main(): the Azure session (connection and credential), clients and checks. */
import { readAzureRmConnection } from '../../common/azure/arm-connection';
import { createContainerRegistries, type ContainerRegistries } from '../../common/azure/container-registries';
import { createAzureSession } from '../../common/azure/session';
import type { Cancellation } from '../../common/cancellation';
import { Deadline, systemClock } from '../../common/deadline';
import { readDockerRegistryConnection } from '../../common/docker-registry-connection';
import type { TaskRuntime } from '../../common/task-runtime';
import { createAciClient } from './aci-client';
import { INPUT, type DeployInputs } from './inputs';
import type { DeployDeps } from './main';
import { createReachability } from './reachability';

export async function createDeployDeps(runtime: TaskRuntime, inputs: DeployInputs, cancellation: Cancellation): Promise<DeployDeps> {
  // Every wait (polls, retries, the deadline) ends at once when the agent cancels the step.
  const clock = cancellation.wrapClock(systemClock);
  const connection = readAzureRmConnection(runtime, inputs.azureSubscription, INPUT.azureSubscription);
  const { credential } = await createAzureSession(connection, runtime, { clock });
  const proxy = runtime.proxy;
  const viaProxy = proxy ? { proxy } : {};
  const deadline = new Deadline(clock, inputs.timeoutInMs);
  const aci = await createAciClient(connection, credential, { log: runtime, clock, deadline, ...viaProxy });
  let registries: Promise<ContainerRegistries> | undefined;
  return {
    log: runtime,
    clock,
    deadline,
    cancellation: { token: cancellation, graceClock: systemClock },
    aci,
    reachability: createReachability({ ...viaProxy }),
    connection,
    registries: () => (registries ??= createContainerRegistries(connection, credential, runtime, { clock })),
    dockerRegistry: (connectionId, inputName) => readDockerRegistryConnection(runtime, connectionId, inputName),
    setVariable: (name, value, options) => runtime.setVariable(name, value, options),
    addSummary: (title, markdown) => runtime.addSummary(title, markdown),
  };
}
