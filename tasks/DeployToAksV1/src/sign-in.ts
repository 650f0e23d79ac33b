/**
 * From the inputs to a signed-in Kubernetes API client: the cluster from Resource Manager, its user (or
 * admin) kubeconfig, and the kubeconfig's CA and credential. An Entra ID cluster's token comes from the
 * service connection's own credential (deps.ts), never from kubelogin.
 */
import { registerSecret } from '../../common/secret-masking';
import { TaskError } from '../../common/errors';
import type { TaskLog } from '../../common/task-runtime';
import type { AksClient, ManagedClusterInfo } from './aks-client';
import type { AksInputs } from './input-types';
import type { KubeApi } from './kube-client';
import { type ClusterAccess, parseKubeconfig } from './kubeconfig';

export interface SignInDeps {
  log: TaskLog;
  aks: AksClient;
  /** The API client for a kubeconfig (deps.ts adds the Entra ID token source). */
  connect(access: ClusterAccess): KubeApi;
  setSecret(value: string): void;
}

export interface SignedIn {
  cluster: ManagedClusterInfo;
  access: ClusterAccess;
  kube: KubeApi;
}

export async function signIn(inputs: AksInputs, deps: SignInDeps): Promise<SignedIn> {
  const { aks, log } = deps;
  const rg = inputs.resourceGroup;
  const name = inputs.kubernetesCluster;
  const cluster = await aks.getCluster(rg, name);
  if (cluster === undefined) {
    const names = await aks.clusterNames(rg).catch(() => undefined);
    const existing = names === undefined ? '' : names.length === 0 ? ' It has no AKS cluster.' : ` It has: ${names.join(', ')}.`;
    throw new TaskError(`Input 'kubernetesCluster': there is no AKS cluster '${name}' in resource group '${rg}'.${existing}`);
  }
  if (inputs.useClusterAdmin && cluster.disableLocalAccounts) {
    throw new TaskError(
      `AKS cluster '${name}' has local accounts disabled, so it hands out no admin credentials ('useClusterAdmin' is true). ` +
        "Set 'useClusterAdmin' to false: the task then signs in with the service connection's Entra ID identity, which needs the " +
        "'Azure Kubernetes Service RBAC Writer' role on the cluster or the namespace.",
    );
  }
  const kind = inputs.useClusterAdmin ? 'admin' : 'user';
  const access = await parseKubeconfig(await aks.kubeconfig(rg, name, inputs.useClusterAdmin), `The ${kind} kubeconfig of AKS cluster '${name}'`);
  if (access.auth.kind === 'clientCertificate') registerSecret(access.auth.keyPem, (line) => deps.setSecret(line));
  if (access.auth.kind === 'token') deps.setSecret(access.auth.token);
  log.info(
    `AKS cluster '${name}' (Kubernetes ${cluster.kubernetesVersion ?? '?'}${cluster.entraId ? ', Entra ID' : ', local accounts'}): ` +
      `signing in to ${access.server} ${describeAuth(access)}.`,
  );
  return { cluster, access, kube: deps.connect(access) };
}

function describeAuth(access: ClusterAccess): string {
  switch (access.auth.kind) {
    case 'clientCertificate':
      return `with the client certificate of '${access.user}'`;
    case 'token':
      return `with the token of '${access.user}'`;
    case 'entraId':
      return `with an Entra ID token for the AKS server application (${access.auth.serverAppId}) from the service connection`;
  }
}
