/**
 * Resources created on demand (what `npm start` does for the names a pipeline uses): resource groups and
 * registries with Azure's naming rules, seen by Resource Manager, with the seeded identities' roles;
 * and a repository copied from one registry into another without a push.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { required, useLocalAzure } from './local-azure-fixture';
import { buildScratchImage, docker } from './test-image';

describe('local Azure: resource groups and registries created on demand', function () {
  this.timeout(120_000);
  const azure = useLocalAzure();

  async function arm(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const token = azure().issueAccessToken('https://management.azure.com/');
    const response = await fetch(`${azure().armUrl}subscriptions/${azure().subscriptionId}/${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it("creates a resource group once, with Azure's naming rules, and Resource Manager serves it", async () => {
    assert.deepEqual(azure().createResourceGroup('rg-pricing'), { created: true, name: 'rg-pricing', location: 'westeurope' });
    assert.deepEqual(azure().createResourceGroup('RG-PRICING', 'eastus'), { created: false, name: 'rg-pricing', location: 'westeurope' });
    assert.throws(() => azure().createResourceGroup('rg-pricing.'), /Invalid resource group name: a resource group name cannot end with '\.'/);
    assert.throws(() => azure().createResourceGroup('rg-x', 'mars'), /The location 'mars' is not one of the local Azure's/);
    assert.ok(azure().resourceGroups.includes('rg-pricing'));
    const group = await arm('resourceGroups/rg-pricing?api-version=2021-04-01');
    assert.equal(group.status, 200);
    assert.equal(group.body['name'], 'rg-pricing');
  });

  it('creates a registry in an existing group, listed by Resource Manager, with the seeded roles on it', async () => {
    await assert.rejects(azure().createRegistry('crelsewhere', 'rg-none'), /Resource group 'rg-none' could not be found/);
    await assert.rejects(azure().createRegistry('cr-pricing', 'rg-models'), /Invalid registry name: a container registry name holds only letters and digits/);
    const { created, registry } = await azure().createRegistry('crpricing', 'rg-pricing', { adminUserEnabled: true });
    assert.equal(created, true);
    assert.equal((await azure().createRegistry('CRPRICING', 'rg-pricing')).created, false);
    assert.ok(azure().registries.some((candidate) => candidate.name === 'crpricing'));
    const listed = await arm('resourceGroups/rg-pricing/providers/Microsoft.ContainerRegistry/registries?api-version=2023-07-01');
    const value = listed.body['value'] as { name: string; properties: { loginServer: string; adminUserEnabled: boolean } }[];
    assert.deepEqual(value.map((entry) => [entry.name, entry.properties.loginServer, entry.properties.adminUserEnabled]), [['crpricing', registry.loginServer, true]]);
    const pullOnly = azure().connections.spnPullOnly.authParameters;
    assert.equal(await azure().registryLogins.canPull(registry.loginServer, 'any/repo', required(pullOnly.serviceprincipalid, 'id'), required(pullOnly.serviceprincipalkey, 'key')), true);
  });

  it('copies a repository into another registry without pushing it, and docker pulls it from there', async () => {
    const image = await buildScratchImage(64 * 1024);
    const folder = await mkdtemp(join(tmpdir(), 'lazure-test-copy-'));
    const config = await mkdtemp(join(tmpdir(), 'lazure-test-docker-config-'));
    const target = azure().registries.find((candidate) => candidate.name === 'crpricing');
    try {
      assert.ok(target);
      const digest = await azure().pushImage(image.name, 'samples/copied', '1');
      await azure().exportRepository('samples/copied', join(folder, 'copy'));
      await azure().importRepository(join(folder, 'copy'), 'crpricing');
      const auth = Buffer.from(`${target.adminUsername}:${target.adminPassword}`).toString('base64');
      await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [target.loginServer]: { auth } } }), { mode: 0o600 });
      const pulled = await docker(['--config', config, 'pull', `${target.loginServer}/samples/copied:1`]);
      assert.match(pulled, new RegExp(`Digest: ${digest}`));
      await assert.rejects(azure().exportRepository('samples/none', join(folder, 'none')), /The registry holds no repository 'samples\/none'/);
    } finally {
      if (target) await docker(['rmi', `${target.loginServer}/samples/copied:1`]).catch(() => '');
      await image.remove();
      await rm(folder, { recursive: true, force: true });
      await rm(config, { recursive: true, force: true });
    }
  });

  it('creates an AKS cluster, served by Resource Manager, its kubelet allowed to pull from the registries attached', async () => {
    await assert.rejects(azure().createCluster('-aks', 'rg-pricing'), /Invalid cluster name: a Kubernetes cluster name holds only letters, digits, '_' and '-', and starts and ends with a letter or digit/);
    await assert.rejects(azure().createCluster('aks-pricing', 'rg-none'), /Resource group 'rg-none' could not be found/);
    const { created, cluster } = await azure().createCluster('aks-pricing', 'rg-pricing', { attachRegistries: ['crpricing'] });
    assert.equal(created, true);
    assert.equal((await azure().createCluster('AKS-pricing', 'rg-pricing')).created, false);
    assert.ok(azure().clusters.some((candidate) => candidate.name === 'aks-pricing'));
    const got = await arm('resourceGroups/rg-pricing/providers/Microsoft.ContainerService/managedClusters/aks-pricing?api-version=2025-10-01');
    assert.equal(got.status, 200, JSON.stringify(got.body));
    assert.equal(got.body['name'], 'aks-pricing');
    const version = await new Promise<number>((resolve, reject) => {
      https.get(`${cluster.server}/version`, { ca: cluster.caCertificatePem }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', reject);
    });
    assert.ok([200, 401, 403].includes(version), `the API server answered ${version}`);
    const registry = azure().registries.find((candidate) => candidate.name === 'crpricing');
    assert.ok(registry);
    assert.ok(await azure().registryLogins.pullAsIdentity?.(registry.loginServer, 'pricing/api', cluster.kubeletIdentity.resourceId), 'the kubelet identity may not pull from the attached registry');
    const other = azure().registries.find((candidate) => candidate.adminUserEnabled === false && candidate.name !== 'crpricing');
    if (other) assert.equal(await azure().registryLogins.pullAsIdentity?.(other.loginServer, 'pricing/api', cluster.kubeletIdentity.resourceId), undefined);
  });

  it('attaches a registry to an existing cluster as az aks update --attach-acr does: AcrPull for its kubelet identity, once', async () => {
    const seeded = azure().clusters.find((candidate) => candidate.name === 'aks-models');
    const registry = azure().registries.find((candidate) => candidate.name === 'crpricing');
    assert.ok(seeded && registry);
    assert.equal(await azure().registryLogins.pullAsIdentity?.(registry.loginServer, 'pricing/api', seeded.kubeletIdentity.resourceId), undefined, 'pulls before the registry is attached');
    assert.deepEqual(azure().attachRegistry('AKS-MODELS', seeded.resourceGroup, 'crpricing'), { attached: true });
    assert.deepEqual(azure().attachRegistry('aks-models', seeded.resourceGroup, 'crpricing'), { attached: false });
    assert.ok(await azure().registryLogins.pullAsIdentity?.(registry.loginServer, 'pricing/api', seeded.kubeletIdentity.resourceId), 'the kubelet identity may not pull from the attached registry');
    assert.throws(() => azure().attachRegistry('aks-none', seeded.resourceGroup, 'crpricing'), /No AKS cluster named 'aks-none' in resource group/);
    assert.throws(() => azure().attachRegistry('aks-models', seeded.resourceGroup, 'crnone'), /No registry named 'crnone' to attach to cluster 'aks-models'/);
  });
});
