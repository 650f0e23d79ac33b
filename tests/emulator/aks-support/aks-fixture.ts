/**
 * What the local AKS tests share: credentials of the seeded connections, a ContainerServiceClient
 * (@azure/arm-containerservice, as a task would use it), kubeconfigs fetched through Resource Manager,
 * and Entra ID tokens for the AKS server application.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ClientSecretCredential } from '@azure/identity';
import type { LocalAzure } from '../../../emulator/index';
import { required } from '../local-azure-fixture';

export const AKS_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';
export const RESOURCE_GROUP = 'rg-models';
export const ENTRA_CLUSTER = 'aks-models';
export const LOCAL_CLUSTER = 'aks-models-local';

export function credentialOf(azure: LocalAzure, connection: 'spnKey' | 'spnPullOnly'): ClientSecretCredential {
  const { authParameters } = azure.connections[connection];
  return new ClientSecretCredential(azure.tenantId, required(authParameters.serviceprincipalid, 'id'), required(authParameters.serviceprincipalkey, 'key'), {
    authorityHost: azure.authorityHost,
    disableInstanceDiscovery: true,
  });
}

export function containerServiceClient(azure: LocalAzure, connection: 'spnKey' | 'spnPullOnly' = 'spnKey'): ContainerServiceClient {
  const endpoint = azure.armUrl.replace(/\/$/, '');
  return new ContainerServiceClient(credentialOf(azure, connection), azure.subscriptionId, { endpoint, $host: endpoint, credentialScopes: ['https://management.azure.com/.default'] });
}

export async function aksToken(azure: LocalAzure, connection: 'spnKey' | 'spnPullOnly'): Promise<string> {
  const token = await credentialOf(azure, connection).getToken(AKS_SCOPE);
  return token.token;
}

export function decodeKubeconfig(value: Uint8Array | undefined): string {
  if (!value) throw new Error('The credential result has no kubeconfig value.');
  return Buffer.from(value).toString('utf8');
}

export function clusterNamed(azure: LocalAzure, name: string): LocalAzure['clusters'][number] {
  const cluster = azure.clusters.find((candidate) => candidate.name === name);
  if (!cluster) throw new Error(`No seeded cluster ${name}.`);
  return cluster;
}

/** A folder for kubeconfig files of one test file, removed in `after`. */
export function useKubeconfigFolder(): (name: string, content: string) => string {
  let folder: string | undefined;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'aks-kubeconfig-'));
  });
  after(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });
  return (name, content) => {
    if (!folder) throw new Error('The kubeconfig folder does not exist yet.');
    const path = join(folder, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
}
