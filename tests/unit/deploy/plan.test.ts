import * as assert from 'node:assert/strict';
import type { Capabilities } from '@azure/arm-containerinstance';
import { TaskError } from '../../../tasks/common/errors';
import { hashSecrets } from '../../../tasks/common/secret-hash';
import { TAG, checkCapabilities, modelUrl, planContainerGroup, toContainerGroup, toRegistryCredential } from '../../../tasks/DeployToAciV1/src/plan';
import { IMAGE, inputsOf } from './fixtures';
import { containerGroupSchema, exampleOf, wireBodyOf } from './sdk-wire';

const FACTS = { location: 'westeurope' };
const IDENTITY = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/puller';
const SUBNET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aci';

const VARIANTS: Record<string, Record<string, string>> = {
  defaults: {},
  everything: {
    containerName: 'server',
    cpu: '2',
    memoryInGB: '3.5',
    gpuCount: '1',
    gpuSku: 'V100',
    ports: '8080/TCP 8081/UDP',
    dnsNameLabel: 'sentiment-prod',
    dnsNameLabelReusePolicy: 'TenantReuse',
    environmentVariables: 'MODEL=sentiment',
    secureEnvironmentVariables: 'API_KEY=secret',
    command: 'python\n-m\nserver',
    restartPolicy: 'OnFailure',
    readinessProbePath: '/v2/health/ready',
    livenessProbePath: '/v2/health/live',
    logAnalyticsWorkspaceId: '0b4a4c3e-0000-4000-8000-000000000001',
    logAnalyticsWorkspaceKey: 'key',
    tags: 'team=ml\ncost-center=42',
    registryAuth: 'managedIdentity',
    managedIdentityResourceId: IDENTITY,
  },
  private: { ipAddressType: 'Private', subnetIds: SUBNET },
  noAddress: { ipAddressType: 'None', ports: '' },
  windows: { osType: 'Windows', restartPolicy: 'Never' },
};

describe('DeployToAci planContainerGroup (salted secret hashes and tags)', () => {
  const FRESH = 'f'.repeat(32);
  const OLD = '0'.repeat(32);
  const secure = { secureEnvironmentVariables: 'API_KEY=s3cret', logAnalyticsWorkspaceId: '0b4a4c3e-0000-4000-8000-000000000001', logAnalyticsWorkspaceKey: 'wkey', tags: 'team=ml' };
  const credential = { server: 'myregistry.azurecr.io', username: 'puller', password: 'pw' };

  it('hashes the secure values and the credentials with a fresh salt when the group is new', () => {
    const { inputs } = inputsOf(secure);
    const group = planContainerGroup(inputs, undefined, { location: 'westeurope', registryCredential: credential, freshSalt: FRESH });
    assert.equal(group.tags?.[TAG.secureEnvHash], hashSecrets([{ name: 'API_KEY', value: 's3cret' }], FRESH));
    assert.equal(
      group.tags?.[TAG.credentialsHash],
      hashSecrets([{ name: 'registry:myregistry.azurecr.io:puller', value: 'pw' }, { name: 'logAnalytics', value: 'wkey' }], FRESH),
    );
    assert.equal(group.tags?.team, 'ml');
  });

  it("reuses the existing group's salt, keeps the tags others put on it and replaces the task's own", () => {
    const { inputs } = inputsOf(secure);
    const existing = { location: 'westeurope', osType: 'Linux', containers: [], tags: { [TAG.secureEnvHash]: `scrypt1.${OLD}.${'1'.repeat(64)}`, [TAG.run]: 'old-run', policy: 'kept', team: 'old' } };
    const group = planContainerGroup(inputs, existing, { location: 'westeurope', freshSalt: FRESH });
    assert.equal(group.tags?.[TAG.secureEnvHash], hashSecrets([{ name: 'API_KEY', value: 's3cret' }], OLD));
    assert.equal(group.tags?.policy, 'kept');
    assert.equal(group.tags?.team, 'ml');
    assert.equal(group.tags?.[TAG.run], undefined);
  });

  it('takes the salt of the credentials hash when there is no secure environment hash, and adds no hash tag without secrets', () => {
    const { inputs } = inputsOf({});
    const existing = { location: 'westeurope', osType: 'Linux', containers: [], tags: { [TAG.credentialsHash]: `scrypt1.${OLD}.${'1'.repeat(64)}` } };
    const group = planContainerGroup(inputs, existing, { location: 'westeurope', registryCredential: credential, freshSalt: FRESH });
    assert.equal(group.tags?.[TAG.credentialsHash], hashSecrets([{ name: 'registry:myregistry.azurecr.io:puller', value: 'pw' }], OLD));
    assert.equal(group.tags?.[TAG.secureEnvHash], undefined);
    assert.deepEqual(planContainerGroup(inputs, undefined, { location: 'westeurope', freshSalt: FRESH }).tags, {});
  });
});

describe('DeployToAci toContainerGroup', () => {
  for (const [name, values] of Object.entries(VARIANTS)) {
    it(`builds a body that validates against the official 2023-05-01 schema (${name})`, async () => {
      const { inputs } = inputsOf(values);
      const group = toContainerGroup(inputs, {
        ...FACTS,
        registryCredential: { server: 'myregistry.azurecr.io', username: 'app-id', password: 'secret' },
        secureEnvHash: 'scrypt1.00.11',
      });
      const body = await wireBodyOf(group);
      const validate = containerGroupSchema();
      assert.ok(validate(body), JSON.stringify(validate.errors));
    });
  }

  it('has a live schema validator (a wrong body fails)', async () => {
    const { inputs } = inputsOf();
    const group = toContainerGroup(inputs, FACTS);
    const body = await wireBodyOf({ ...group, osType: 'Mac' });
    const properties = body.properties as Record<string, unknown>;
    properties.containers = [{ name: 'x', properties: { image: 'x' } }];
    assert.equal(containerGroupSchema()(body), false);
  });

  it('validates the request bodies of the spec examples (the schema agrees with Azure)', () => {
    const example = exampleOf('ContainerGroupsCreateOrUpdate.json');
    assert.ok(containerGroupSchema()(example.parameters.containerGroup), JSON.stringify(containerGroupSchema().errors));
    for (const file of ['ContainerGroupsGet_Failed.json', 'ContainerGroupsDelete.json']) {
      const body = exampleOf(file).responses['200']?.body;
      assert.ok(containerGroupSchema()(body), `${file}: ${JSON.stringify(containerGroupSchema().errors)}`);
    }
  });

  it('maps the inputs onto the group', () => {
    const { inputs } = inputsOf(VARIANTS.everything);
    const group = toContainerGroup(inputs, { ...FACTS, registryCredential: { server: 'myregistry.azurecr.io', identity: IDENTITY }, secureEnvHash: 'h1' });
    const container = group.containers[0];
    assert.ok(container);
    assert.equal(container.name, 'server');
    assert.equal(container.image, IMAGE);
    assert.deepEqual(container.resources.requests, { cpu: 2, memoryInGB: 3.5, gpu: { count: 1, sku: 'V100' } });
    assert.deepEqual(container.command, ['python', '-m', 'server']);
    assert.deepEqual(container.environmentVariables, [
      { name: 'MODEL', value: 'sentiment' },
      { name: 'API_KEY', secureValue: 'secret' },
    ]);
    assert.deepEqual(container.readinessProbe, { httpGet: { path: '/v2/health/ready', port: 8080, scheme: 'http' }, initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3 });
    assert.equal(container.livenessProbe?.initialDelaySeconds, 60);
    assert.deepEqual(group.ipAddress, {
      type: 'Public',
      ports: [
        { port: 8080, protocol: 'TCP' },
        { port: 8081, protocol: 'UDP' },
      ],
      dnsNameLabel: 'sentiment-prod',
      autoGeneratedDomainNameLabelScope: 'TenantReuse',
    });
    assert.deepEqual(group.identity, { type: 'UserAssigned', userAssignedIdentities: { [IDENTITY]: {} } });
    assert.deepEqual(group.imageRegistryCredentials, [{ server: 'myregistry.azurecr.io', identity: IDENTITY }]);
    assert.equal(group.restartPolicy, 'OnFailure');
    assert.deepEqual(group.tags, { team: 'ml', 'cost-center': '42', [TAG.secureEnvHash]: 'h1' });
    assert.deepEqual(group.diagnostics, { logAnalytics: { workspaceId: '0b4a4c3e-0000-4000-8000-000000000001', workspaceKey: 'key' } });
  });

  it('leaves out what is not asked for', () => {
    const group = toContainerGroup(inputsOf({ ipAddressType: 'None', ports: '' }).inputs, FACTS);
    assert.equal(group.ipAddress, undefined);
    assert.equal(group.identity, undefined);
    assert.equal(group.imageRegistryCredentials, undefined);
    assert.equal(group.tags, undefined);
    assert.equal(group.containers[0]?.command, undefined);
    assert.equal(group.containers[0]?.readinessProbe, undefined);
    assert.equal(group.subnetIds, undefined);
  });

  it('puts private groups into their subnets', () => {
    const group = toContainerGroup(inputsOf(VARIANTS.private).inputs, FACTS);
    assert.deepEqual(group.subnetIds, [{ id: SUBNET }]);
    assert.equal(group.ipAddress?.type, 'Private');
  });
});

describe('DeployToAci toRegistryCredential', () => {
  it('never produces a credential without the secret the plan needs', () => {
    assert.throws(() => toRegistryCredential({ kind: 'adminCredentials', server: 'r.io', registryName: 'r' }), TaskError);
    assert.deepEqual(toRegistryCredential({ kind: 'adminCredentials', server: 'r.io', registryName: 'r' }, { username: 'r', password: 'p' }), {
      server: 'r.io',
      username: 'r',
      password: 'p',
    });
    assert.equal(toRegistryCredential({ kind: 'none', reason: 'x' }), undefined);
  });
});

describe('DeployToAci checkCapabilities', () => {
  const offers: Capabilities[] = [
    { resourceType: 'containerGroups', osType: 'Linux', gpu: 'None', capabilities: { maxCpu: 4, maxMemoryInGB: 16, maxGpuCount: 0 } },
    { resourceType: 'containerGroups', osType: 'Linux', gpu: 'K80', capabilities: { maxCpu: 4, maxMemoryInGB: 14, maxGpuCount: 4 } },
    { resourceType: 'containerGroups', osType: 'Windows', gpu: 'None', capabilities: { maxCpu: 4, maxMemoryInGB: 14, maxGpuCount: 0 } },
  ];
  const check = (values: Record<string, string>): void => checkCapabilities(inputsOf(values).inputs, 'westeurope', offers);

  it('accepts requests within the limits', () => {
    check({ cpu: '4', memoryInGB: '16' });
    check({ gpuCount: '4', gpuSku: 'K80', memoryInGB: '14' });
    checkCapabilities(inputsOf({ cpu: '32' }).inputs, 'westeurope', []);
  });

  it('names the limits that are exceeded', () => {
    assert.throws(() => check({ cpu: '8', memoryInGB: '32' }), /'cpu' is 8 but at most 4 cores are offered; 'memoryInGB' is 32 but at most 16 GB/);
    assert.throws(() => check({ osType: 'Windows', memoryInGB: '15' }), /at most 14 GB/);
  });

  it('says what the location offers when the OS or GPU is not there', () => {
    assert.throws(() => check({ gpuCount: '1', gpuSku: 'V100' }), /offers no Linux container groups with V100 GPUs; it offers: Linux, Linux with K80 GPUs, Windows/);
  });
});

describe('DeployToAci modelUrl', () => {
  const ports = inputsOf({ ports: '53/UDP 8080 9090' }).inputs.ports;
  it('uses the first TCP port', () => assert.equal(modelUrl('a.westeurope.azurecontainer.io', ports), 'http://a.westeurope.azurecontainer.io:8080'));
  it('brackets IPv6 addresses', () => assert.equal(modelUrl('fd00::1', ports), 'http://[fd00::1]:8080'));
  it('has no url without a host or a TCP port', () => {
    assert.equal(modelUrl(undefined, ports), undefined);
    assert.equal(modelUrl('10.0.0.1', inputsOf({ ports: '53/UDP' }).inputs.ports), undefined);
  });
});

