/** Wires the real effects for main(): the Azure connection and credential, Resource Manager, the registry and the cluster's API server. */
import { describeScheme, readAzureRmConnection } from '../../common/azure/arm-connection';
import { createTokenCredential } from '../../common/azure/credential';
import { readJobContext } from '../../common/azure/job-context';
import { createOidcTokenSource } from '../../common/azure/oidc-token';
import { Deadline, systemClock } from '../../common/deadline';
import type { TaskRuntime } from '../../common/task-runtime';
import { createAksClient } from './aks-client';
import { clusterTokenSource } from './cluster-token';
import { createImageInspector } from './image-facts';
import { type AksInputs, INPUT } from './inputs';
import { createHttpsTransport, kubeApiOver } from './kube-client';
import type { AksDeps } from './main';

export async function createAksDeps(runtime: TaskRuntime, inputs: AksInputs): Promise<AksDeps> {
  const connection = readAzureRmConnection(runtime, inputs.azureSubscription, INPUT.azureSubscription);
  const setSecret = (value: string): void => runtime.setSecret(value);
  const oidc = connection.scheme === 'WorkloadIdentityFederation' ? createOidcTokenSource(readJobContext(runtime), { log: runtime, setSecret }) : undefined;
  const credential = await createTokenCredential(connection, { log: runtime, ...(oidc ? { oidc } : {}) });
  const deadline = new Deadline(systemClock, inputs.rolloutTimeoutInMs);
  const aks = await createAksClient(connection, credential, { log: runtime, clock: systemClock, deadline });
  return {
    log: runtime,
    clock: systemClock,
    deadline,
    aks,
    connect: (access) =>
      kubeApiOver(createHttpsTransport(access, access.auth.kind === 'entraId' ? clusterTokenSource(credential, access.auth.serverAppId, setSecret) : undefined), {
        log: runtime,
        clock: systemClock,
        deadline,
        identity:
          access.auth.kind === 'entraId'
            ? `service connection '${connection.id}' (${describeScheme(connection.scheme)}${connection.clientId ? `, client id ${connection.clientId}` : ''})`
            : `kubeconfig user '${access.user}'`,
      }),
    images: createImageInspector(credential, connection.audience, runtime),
    setSecret,
    setVariable: (name, value, options) => runtime.setVariable(name, value, options),
    addSummary: (title, markdown) => runtime.addSummary(title, markdown),
  };
}
