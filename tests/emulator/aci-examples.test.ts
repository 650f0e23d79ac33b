/**
 * Every request example of the official specs (2023-05-01 and 2026-05-01), sent over the wire as the
 * examples give them (image, registry credentials and location swapped for local ones), through the
 * local Azure's https front with a real token; every reply validates against the 2023-05-01 schema and
 * against the schema of the example's own api-version. A group whose operation fails (as in the
 * Get_Failed example) is read and validated too.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { containerInstanceSchema } from '../../emulator/aci/spec/schema-validation';
import { containerInstanceSchemaOf, type SpecVersion } from '../../emulator/aci/spec/schema-versions';
import { eventually } from './aci-support/aci-fixture';
import { buildBusyboxImage, PAGE, removeImage } from './aci-support/test-image';
import { required, useLocalAzure } from './local-azure-fixture';

const SPEC = join(__dirname, '../../emulator/aci/spec');
const LOCAL_TAG = `lazure-aci-examples-busybox:${process.pid}`;
const RESOURCE_GROUP = 'rg-models';

interface Example {
  parameters: Record<string, unknown> & { 'api-version': string; containerGroupName?: string; containerName?: string; tail?: number };
  responses: Record<string, { body?: unknown }>;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

function loadExamples(version: string): Map<string, Example> {
  const folder = join(SPEC, `examples-${version}`);
  return new Map(readdirSync(folder).map((file) => [file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(folder, file), 'utf8')) as Example]));
}

describe('local Azure: Container Instances accepts the official examples', function () {
  this.timeout(180_000);
  const azure = useLocalAzure();
  const schema = containerInstanceSchema();
  let token: string;
  let image: string;

  before(async function () {
    this.timeout(120_000);
    await buildBusyboxImage(LOCAL_TAG);
    await azure().pushImage(LOCAL_TAG, 'examples/busybox', '1');
    image = `${azure().registry.loginServer}/examples/busybox:1`;
    const { authParameters } = azure().connections.spnKey;
    const credential = new ClientSecretCredential(azure().tenantId, required(authParameters.serviceprincipalid, 'id'), required(authParameters.serviceprincipalkey, 'key'), {
      authorityHost: azure().authorityHost,
      disableInstanceDiscovery: true,
    });
    token = (await credential.getToken('https://management.azure.com/.default')).token;
  });

  after(async () => {
    await removeImage(LOCAL_TAG);
  });

  function call(method: string, pathAndQuery: string, body?: unknown): Promise<Reply> {
    const url = new URL(pathAndQuery, azure().armUrl);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { method, headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  let version: SpecVersion = '2023-05-01';
  function assertValid(definition: string, reply: Reply): void {
    assert.equal(schema.validateResponse(definition, reply.body), undefined, `${definition} (2023-05-01 schema): ${JSON.stringify(reply.body)}`);
    assert.equal(containerInstanceSchemaOf(version).validateResponse(definition, reply.body), undefined, `${definition} (${version} schema): ${JSON.stringify(reply.body)}`);
  }

  async function waitForOperation(reply: Reply): Promise<string> {
    const operationUrl = String(reply.headers['azure-asyncoperation'] ?? '');
    assert.match(operationUrl, /\/providers\/Microsoft\.ContainerInstance\/locations\/westeurope\/operations\/[0-9a-f-]{36}\?api-version=2018-06-01$/);
    return eventually('the operation to end', async () => {
      const status = ((await call('GET', operationUrl)).body as { status: string }).status;
      return status === 'Pending' || status === 'Creating' ? undefined : status;
    });
  }

  for (const specVersion of ['2023-05-01', '2026-05-01'] as const) {
    it(`accepts the ${specVersion} examples and replies by the schema`, async () => {
      version = specVersion;
      const examples = loadExamples(version);
      const create = examples.get('ContainerGroupsCreateOrUpdate');
      if (!create) throw new Error(`No CreateOrUpdate example for ${version}.`);
      const api = `api-version=${create.parameters['api-version']}`;
      const name = `${create.parameters.containerGroupName ?? 'demo1'}-${version.slice(0, 4)}`;
      const groupPath = `/subscriptions/${azure().subscriptionId}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.ContainerInstance/containerGroups/${name}`;
      const registry = azure().registry;
      const body = structuredClone(create.parameters.containerGroup) as { location: string; properties: { containers: { properties: { image: string } }[]; imageRegistryCredentials: unknown[] } };
      body.location = 'West Europe';
      for (const container of body.properties.containers) container.properties.image = image;
      body.properties.imageRegistryCredentials = [{ server: registry.loginServer, username: registry.adminUsername, password: registry.adminPassword }];

      const created = await call('PUT', `${groupPath}?${api}`, body);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assertValid('ContainerGroup', created);
      assert.equal(await waitForOperation(created), 'Succeeded');

      const got = await call('GET', `${groupPath}?${api}`);
      assertValid('ContainerGroup', got);
      const properties = (got.body as { properties: { ipAddress: { ip: string; fqdn: string }; volumes: { secret?: unknown }[] } }).properties;
      assert.equal(properties.ipAddress.fqdn, 'dnsnamelabel1.westeurope.azurecontainer.io');
      assert.ok(properties.volumes.every((v) => v.secret === undefined || JSON.stringify(v.secret) === '{}'), 'secret volume contents are not echoed');
      const page = await eventually('the example group to answer', async () => {
        const response = await fetch(`http://${properties.ipAddress.ip}/`).catch(() => undefined);
        return response?.ok ? response.text() : undefined;
      });
      assert.equal(page, PAGE);

      const listed = await call('GET', `/subscriptions/${azure().subscriptionId}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.ContainerInstance/containerGroups?${api}`);
      assertValid('ContainerGroupListResult', listed);

      const update = examples.get('ContainerGroupsUpdate');
      if (update) {
        const patched = await call('PATCH', `${groupPath}?${api}`, update.parameters.Resource);
        assert.equal(patched.status, 200);
        assertValid('ContainerGroup', patched);
        assert.deepEqual((patched.body as { tags: unknown }).tags, (update.parameters.Resource as { tags: unknown }).tags);
      }
      const logsExample = examples.get('ContainerListLogs');
      if (logsExample) {
        const containerName = create.parameters.containerGroupName ?? 'demo1';
        const logs = await call('GET', `${groupPath}/containers/${containerName}/logs?${api}&tail=${logsExample.parameters.tail ?? 10}`);
        assert.equal(logs.status, 200);
        assertValid('Logs', logs);
      }
      if (examples.has('ContainerGroupsRestart')) {
        const restarted = await call('POST', `${groupPath}/restart?${api}`);
        assert.equal(restarted.status, 204);
        assert.equal(await waitForOperation(restarted), 'Succeeded');
      }
      if (examples.has('ContainerGroupsStop')) assert.equal((await call('POST', `${groupPath}/stop?${api}`)).status, 204);
      if (examples.has('ContainerGroupsStart')) {
        const started = await call('POST', `${groupPath}/start?${api}`);
        assert.equal(started.status, 202);
        assert.equal(await waitForOperation(started), 'Succeeded');
      }
      if (examples.has('CapabilitiesList')) {
        const capabilities = await call('GET', `/subscriptions/${azure().subscriptionId}/providers/Microsoft.ContainerInstance/locations/westeurope/capabilities?${api}`);
        assertValid('CapabilitiesListResult', capabilities);
        assert.ok((capabilities.body as { value: unknown[] }).value.length > 0);
      }
      if (examples.has('ContainerGroupsGet_Succeeded')) assertValid('ContainerGroup', await call('GET', `${groupPath}?${api}`));
      if (examples.has('ContainerGroupsGet_Failed')) {
        const failedPath = `${groupPath}-failed`;
        azure().faults.addScenarioFault({ kind: 'operationFailed', containerGroupName: `${name}-failed`, count: 1 });
        const failedBody = structuredClone(body) as typeof body & { properties: { ipAddress?: { dnsNameLabel?: string } } };
        if (failedBody.properties.ipAddress) failedBody.properties.ipAddress.dnsNameLabel = `${name}-failed`;
        const failedCreate = await call('PUT', `${failedPath}?${api}`, failedBody);
        assert.equal(failedCreate.status, 201, JSON.stringify(failedCreate.body));
        assert.equal(await waitForOperation(failedCreate), 'Failed');
        const failed = await call('GET', `${failedPath}?${api}`);
        assert.equal((failed.body as { properties: { provisioningState: string } }).properties.provisioningState, 'Failed');
        assertValid('ContainerGroup', failed);
        assert.equal((await call('DELETE', `${failedPath}?${api}`)).status, 200);
      }
      const deleted = await call('DELETE', `${groupPath}?${api}`);
      assert.equal(deleted.status, 200);
      assertValid('ContainerGroup', deleted);
      assert.equal((await call('DELETE', `${groupPath}?${api}`)).status, 204);
    });
  }
});
