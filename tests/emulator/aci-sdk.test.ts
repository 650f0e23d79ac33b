/**
 * Container Instances through the real @azure/arm-containerinstance 9.1.0 client, against the local
 * Azure (https front, Entra ID token, ARM auth, registry with token auth), backed by Docker.
 */
import assert from 'node:assert/strict';
import { ContainerInstanceManagementClient, type ContainerGroup } from '@azure/arm-containerinstance';
import { ClientSecretCredential } from '@azure/identity';
import { buildBusyboxImage, containersNamed, docker, PAGE, removeImage } from './aci-support/test-image';
import { eventually } from './aci-support/aci-fixture';
import { rejectionOf, required, useLocalAzure } from './local-azure-fixture';

const LOCAL_TAG = `lazure-aci-sdk-busybox:${process.pid}`;
const RESOURCE_GROUP = 'rg-models';
const POLL = { updateIntervalInMs: 50 };

describe('local Azure: Container Instances with @azure/arm-containerinstance', function () {
  this.timeout(180_000);
  const azure = useLocalAzure();
  let client: ContainerInstanceManagementClient;
  let image: string;

  before(async function () {
    this.timeout(120_000);
    await buildBusyboxImage(LOCAL_TAG);
    await azure().pushImage(LOCAL_TAG, 'aci-sdk/busybox', '1');
    image = `${azure().registry.loginServer}/aci-sdk/busybox:1`;
    const { authParameters } = azure().connections.spnKey;
    const credential = new ClientSecretCredential(azure().tenantId, required(authParameters.serviceprincipalid, 'id'), required(authParameters.serviceprincipalkey, 'key'), {
      authorityHost: azure().authorityHost,
      disableInstanceDiscovery: true,
    });
    const endpoint = azure().armUrl.replace(/\/$/, '');
    client = new ContainerInstanceManagementClient(credential, azure().subscriptionId, { endpoint, $host: endpoint, credentialScopes: ['https://management.azure.com/.default'] });
  });

  after(async function () {
    const instanceId = azure().instanceId;
    await azure().stop();
    assert.deepEqual(await containersNamed(`lazure-${instanceId}-`), [], 'stop() leaves no container behind');
    assert.equal((await docker(['images', '-q', image])).trim(), '', 'stop() removes the image tags its pulls created');
    await removeImage(LOCAL_TAG);
  });

  function group(overrides: { cpu?: number; password?: string; command?: string[] } = {}): ContainerGroup {
    const registry = azure().registry;
    return {
      location: 'westeurope',
      osType: 'Linux',
      restartPolicy: 'Always',
      imageRegistryCredentials: [{ server: registry.loginServer, username: registry.adminUsername, password: overrides.password ?? registry.adminPassword }],
      ipAddress: { type: 'Public', ports: [{ port: 80, protocol: 'TCP' }] },
      containers: [
        {
          name: 'model',
          image,
          ...(overrides.command ? { command: overrides.command } : {}),
          ports: [{ port: 80 }],
          environmentVariables: [{ name: 'MODE', value: 'test' }, { name: 'API_KEY', secureValue: 'not-a-real-secret' }],
          resources: { requests: { cpu: overrides.cpu ?? 0.5, memoryInGB: 0.25 } },
        },
      ],
    };
  }

  it('creates a group that runs the image and answers on its address (counts ARM requests and time)', async () => {
    azure().clearRequests();
    const startedAt = performance.now();
    const created = await client.containerGroups.beginCreateOrUpdateAndWait(RESOURCE_GROUP, 'sdk-web', group(), POLL);
    assert.equal(created.provisioningState, 'Succeeded');
    const ip = required(created.ipAddress?.ip, 'ip');
    const page = await eventually('the group to answer', async () => {
      const response = await fetch(`http://${ip}/`).catch(() => undefined);
      return response?.ok ? response.text() : undefined;
    });
    const elapsedInMs = performance.now() - startedAt;
    assert.equal(page, PAGE);
    const aciRequests = azure().requests().filter((r) => r.route.startsWith('aci.'));
    console.log(`      create: ${aciRequests.length} ARM requests (${aciRequests.map((r) => `${r.method} ${r.route}`).join(', ')}); PUT to answering: ${Math.round(elapsedInMs)} ms`);
    assert.equal(aciRequests[0]?.route, 'aci.containerGroups.createOrUpdate');

    const got = await client.containerGroups.get(RESOURCE_GROUP, 'sdk-web');
    assert.equal(got.instanceView?.state, 'Running');
    assert.equal(got.containers[0]?.instanceView?.currentState?.state, 'Running');
    assert.deepEqual(got.containers[0]?.environmentVariables, [{ name: 'MODE', value: 'test' }, { name: 'API_KEY' }]);
    assert.equal(got.imageRegistryCredentials?.[0]?.password, undefined);
  });

  it('lists, reads logs, restarts, stops, starts and deletes', async () => {
    const inGroup: string[] = [];
    for await (const g of client.containerGroups.listByResourceGroup(RESOURCE_GROUP)) inGroup.push(g.name ?? '');
    assert.ok(inGroup.includes('sdk-web'));
    const everywhere: string[] = [];
    for await (const g of client.containerGroups.list()) everywhere.push(g.name ?? '');
    assert.ok(everywhere.includes('sdk-web'));

    const logs = await client.containers.listLogs(RESOURCE_GROUP, 'sdk-web', 'model', { tail: 5 });
    assert.equal(typeof logs.content, 'string');

    await client.containerGroups.beginRestartAndWait(RESOURCE_GROUP, 'sdk-web', POLL);
    assert.equal((await client.containerGroups.get(RESOURCE_GROUP, 'sdk-web')).instanceView?.state, 'Running');
    await client.containerGroups.stop(RESOURCE_GROUP, 'sdk-web');
    assert.equal((await client.containerGroups.get(RESOURCE_GROUP, 'sdk-web')).instanceView?.state, 'Stopped');
    await client.containerGroups.beginStartAndWait(RESOURCE_GROUP, 'sdk-web', POLL);
    assert.equal((await client.containerGroups.get(RESOURCE_GROUP, 'sdk-web')).instanceView?.state, 'Running');

    const cpuChange = await rejectionOf(client.containerGroups.beginCreateOrUpdateAndWait(RESOURCE_GROUP, 'sdk-web', group({ cpu: 1 }), POLL));
    assert.equal(cpuChange.code, 'InvalidContainerGroupUpdate');
    assert.equal(cpuChange.statusCode, 400);

    const deleted = await client.containerGroups.beginDeleteAndWait(RESOURCE_GROUP, 'sdk-web', POLL);
    assert.equal(deleted.name, 'sdk-web');
    const missing = await rejectionOf(client.containerGroups.get(RESOURCE_GROUP, 'sdk-web'));
    assert.equal(missing.code, 'ResourceNotFound');
  });

  it('refuses wrong registry credentials with InaccessibleImage', async () => {
    const error = await rejectionOf(client.containerGroups.beginCreateOrUpdateAndWait(RESOURCE_GROUP, 'sdk-badcreds', group({ password: 'wrong' }), POLL));
    assert.equal(error.code, 'InaccessibleImage');
    assert.equal(error.statusCode, 400);
  });

  it('shows a crashing image as CrashLoopBackOff with a growing restart count', async () => {
    await client.containerGroups.beginCreateOrUpdateAndWait(RESOURCE_GROUP, 'sdk-crash', group({ command: ['/bin/busybox', 'sh', '-c', 'echo failing; exit 2'] }), POLL);
    const counts: number[] = [];
    const view = await eventually('a crash loop with a growing restart count', async () => {
      const instance = (await client.containerGroups.get(RESOURCE_GROUP, 'sdk-crash')).containers[0]?.instanceView;
      if (instance?.restartCount !== undefined && counts.at(-1) !== instance.restartCount) counts.push(instance.restartCount);
      return counts.length >= 3 && instance?.currentState?.detailStatus === 'CrashLoopBackOff: Back-off restarting failed' ? instance : undefined;
    });
    assert.ok((counts.at(-1) ?? 0) > (counts[0] ?? 0), `restart counts seen: ${counts.join(', ')}`);
    assert.equal(view.currentState?.state, 'Waiting');
    assert.equal(view.previousState?.exitCode, 2);
    await client.containerGroups.beginDeleteAndWait(RESOURCE_GROUP, 'sdk-crash', POLL);
  });

  it('fails the create operation for the operationFailed fault, with the error the poller reports', async () => {
    azure().faults.addScenarioFault({ kind: 'operationFailed', containerGroupName: 'sdk-fails', count: 1 });
    const error = await rejectionOf(client.containerGroups.beginCreateOrUpdateAndWait(RESOURCE_GROUP, 'sdk-fails', group(), POLL));
    assert.match(error.message, /failed to deploy/);
    assert.equal((await client.containerGroups.get(RESOURCE_GROUP, 'sdk-fails')).provisioningState, 'Failed');
    await client.containerGroups.beginDeleteAndWait(RESOURCE_GROUP, 'sdk-fails', POLL);
  });
});
