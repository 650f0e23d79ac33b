import * as assert from 'node:assert/strict';
import type { ManagedCluster } from '@azure/arm-containerservice';
import { TaskError } from '../../../tasks/common/errors';
import { type AksSdk, aksClientOver } from '../../../tasks/DeployToAksV1/src/aks-client';
import { clusterTokenSource } from '../../../tasks/DeployToAksV1/src/cluster-token';
import { fakeClock } from '../../support/fake-clock';
import { silentLog } from '../../support/silent-log';

function armError(statusCode: number, code: string, message: string, retryAfter?: string): Error {
  return Object.assign(new Error(message), {
    statusCode,
    response: { headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) }, bodyAsText: JSON.stringify({ error: { code, message } }) },
  });
}

const CLUSTER: ManagedCluster = {
  location: 'westeurope',
  id: '/subscriptions/s/resourceGroups/rg-models/providers/Microsoft.ContainerService/managedClusters/aks-models',
  name: 'aks-models',
  kubernetesVersion: '1.33.2',
  fqdn: 'aks-models-dns.hcp.westeurope.azmk8s.io',
  aadProfile: { managed: true, enableAzureRbac: true },
  disableLocalAccounts: true,
  identityProfile: { kubeletidentity: { clientId: 'kc', objectId: 'ko', resourceId: '/subscriptions/s/.../aks-models-agentpool' } },
};

function sdk(overrides: Partial<AksSdk> = {}): AksSdk & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    getCluster: (rg, name) => {
      calls.push(`get ${rg}/${name}`);
      return Promise.resolve(CLUSTER);
    },
    listClusters: async function* () {
      calls.push('list');
      await Promise.resolve();
      yield CLUSTER;
    },
    credentials: (rg, name, admin) => {
      calls.push(`${admin ? 'admin' : 'user'} ${rg}/${name}`);
      return Promise.resolve({ kubeconfigs: [{ name: 'clusterUser', value: new TextEncoder().encode('apiVersion: v1\n') }] });
    },
    ...overrides,
  };
}

describe('DeployToAks Resource Manager client', () => {
  it("reads the cluster's sign-in facts and kubelet identity, and the kubeconfig's bytes as text", async () => {
    const client = aksClientOver(sdk(), { log: silentLog, clock: fakeClock() });
    assert.deepEqual(await client.getCluster('rg-models', 'aks-models'), {
      id: CLUSTER.id,
      name: 'aks-models',
      resourceGroup: 'rg-models',
      fqdn: 'aks-models-dns.hcp.westeurope.azmk8s.io',
      kubernetesVersion: '1.33.2',
      entraId: true,
      azureRbac: true,
      disableLocalAccounts: true,
      kubeletIdentity: { clientId: 'kc', objectId: 'ko', resourceId: '/subscriptions/s/.../aks-models-agentpool' },
    });
    assert.equal(await client.kubeconfig('rg-models', 'aks-models', false), 'apiVersion: v1\n');
    assert.deepEqual(await client.clusterNames('rg-models'), ['aks-models']);
  });

  it('reads a missing cluster as undefined but fails on a missing resource group', async () => {
    const missing = aksClientOver(sdk({ getCluster: () => Promise.reject(armError(404, 'ResourceNotFound', 'not found')) }), { log: silentLog, clock: fakeClock() });
    assert.equal(await missing.getCluster('rg-models', 'nope'), undefined);
    const noGroup = aksClientOver(sdk({ getCluster: () => Promise.reject(armError(404, 'ResourceGroupNotFound', "Resource group 'rg-x' could not be found.")) }), { log: silentLog, clock: fakeClock() });
    await assert.rejects(noGroup.getCluster('rg-x', 'aks'), /ResourceGroupNotFound.*Check 'resourceGroup'/);
  });

  it('retries throttling with Retry-After and explains a refusal with the role to grant', async () => {
    let attempts = 0;
    const clock = fakeClock();
    const throttled = aksClientOver(
      sdk({
        getCluster: () => (++attempts < 3 ? Promise.reject(armError(429, 'TooManyRequests', 'slow down', '2')) : Promise.resolve(CLUSTER)),
      }),
      { log: silentLog, clock },
    );
    assert.equal((await throttled.getCluster('rg-models', 'aks-models'))?.name, 'aks-models');
    assert.deepEqual(clock.slept, [2000, 2000]);
    const refused = aksClientOver(sdk({ credentials: () => Promise.reject(armError(403, 'AuthorizationFailed', "The client 'app' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action'")) }), {
      log: silentLog,
      clock: fakeClock(),
    });
    await assert.rejects(refused.kubeconfig('rg-models', 'aks-models', false), (error: unknown) => {
      assert.ok(error instanceof TaskError);
      assert.match(error.message, /^Reading the user credentials of AKS cluster 'aks-models' failed: HTTP 403 AuthorizationFailed/);
      assert.match(error.message, /Azure Kubernetes Service Cluster User Role/);
      return true;
    });
  });
});

describe('DeployToAks cluster token', () => {
  it('asks for the AKS server application scope and masks each new token once', async () => {
    const scopes: (string | string[])[] = [];
    const masked: string[] = [];
    let token = 'token-1';
    const source = clusterTokenSource({ getToken: (scope) => (scopes.push(scope), Promise.resolve({ token, expiresOnTimestamp: 0 })) }, '6dae42f8-4368-4678-94ff-3960e28e3630', (v) => masked.push(v));
    assert.equal(await source(), 'token-1');
    assert.equal(await source(), 'token-1');
    token = 'token-2';
    assert.equal(await source(), 'token-2');
    assert.deepEqual(scopes, ['6dae42f8-4368-4678-94ff-3960e28e3630/.default', '6dae42f8-4368-4678-94ff-3960e28e3630/.default', '6dae42f8-4368-4678-94ff-3960e28e3630/.default']);
    assert.deepEqual(masked, ['token-1', 'token-2']);
  });
});
