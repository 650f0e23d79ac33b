/**
 * The kubeconfigs that listClusterUserCredential / listClusterAdminCredential return, in Azure's shape:
 * cluster `<name>` at `https://<fqdn>:443` (here the API server's loopback address) with the cluster CA;
 * the admin context `<name>-admin` with user `clusterAdmin_<rg>_<name>` (client certificate); the user
 * context `<name>` with user `clusterUser_<rg>_<name>`: a client certificate on a local-accounts cluster,
 * the kubelogin exec plugin on an Entra ID cluster. Pure.
 */
import { parse, stringify } from 'yaml';
import { AKS_SERVER_APPLICATION_ID } from '../../identity/spec/audiences';

export interface KubeconfigCluster {
  name: string;
  resourceGroup: string;
  /** https://127.0.0.1:<port> */
  server: string;
  caCertificatePem: string;
  tenantId: string;
}

/** The client id kubelogin signs in with (the Azure CLI's well-known application), as Azure writes it. */
export const KUBELOGIN_CLIENT_ID = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function document(cluster: KubeconfigCluster, context: string, user: string, credential: Record<string, unknown>): string {
  return stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(cluster.caCertificatePem), server: cluster.server }, name: cluster.name }],
    contexts: [{ context: { cluster: cluster.name, user }, name: context }],
    'current-context': context,
    kind: 'Config',
    preferences: {},
    users: [{ name: user, user: credential }],
  });
}

export function clientCertificateKubeconfig(cluster: KubeconfigCluster, role: 'admin' | 'user', credential: { certificatePem: string; privateKeyPem: string }): string {
  const user = `${role === 'admin' ? 'clusterAdmin' : 'clusterUser'}_${cluster.resourceGroup}_${cluster.name}`;
  const context = role === 'admin' ? `${cluster.name}-admin` : cluster.name;
  return document(cluster, context, user, { 'client-certificate-data': b64(credential.certificatePem), 'client-key-data': b64(credential.privateKeyPem) });
}

export function execPluginKubeconfig(cluster: KubeconfigCluster): string {
  return document(cluster, cluster.name, `clusterUser_${cluster.resourceGroup}_${cluster.name}`, {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      args: ['get-token', '--environment', 'AzurePublicCloud', '--server-id', AKS_SERVER_APPLICATION_ID, '--client-id', KUBELOGIN_CLIENT_ID, '--tenant-id', cluster.tenantId, '--login', 'devicecode'],
      command: 'kubelogin',
      env: null,
      installHint: '\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://aka.ms/aks/kubelogin\n',
      provideClusterInfo: false,
    },
  });
}

/** A kubeconfig authenticating with a bearer token (what `kubelogin convert-kubeconfig` leads to), for tools and tests. */
export function tokenKubeconfig(cluster: KubeconfigCluster, userName: string, token: string): string {
  return document(cluster, cluster.name, userName, { token });
}

interface KubeconfigDocument {
  clusters?: unknown[];
  contexts?: unknown[];
  users?: unknown[];
}

/** One kubeconfig with the clusters, contexts and users of several (as `KUBECONFIG=a:b kubectl config view --flatten`). */
export function mergeKubeconfigs(texts: readonly string[], currentContext: string): string {
  const documents = texts.map((text) => parse(text) as KubeconfigDocument);
  return stringify({
    apiVersion: 'v1',
    clusters: documents.flatMap((document) => document.clusters ?? []),
    contexts: documents.flatMap((document) => document.contexts ?? []),
    'current-context': currentContext,
    kind: 'Config',
    preferences: {},
    users: documents.flatMap((document) => document.users ?? []),
  });
}
