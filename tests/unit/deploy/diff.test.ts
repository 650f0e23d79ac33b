import * as assert from 'node:assert/strict';
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { decideAction, diffContainerGroup } from '../../../tasks/DeployToAciV1/src/diff';
import { TAG, toContainerGroup } from '../../../tasks/DeployToAciV1/src/plan';
import { hashSecrets, saltOf } from '../../../tasks/common/secret-hash';
import { DIGEST, inputsOf } from './fixtures';
import { exampleOf, sdkGroupFrom } from './sdk-wire';

const SALT = '0123456789abcdef0123456789abcdef';

function desiredOf(values: Record<string, string> = {}, extra: { password?: string } = {}): ContainerGroup {
  const { inputs } = inputsOf(values);
  const secureEnvHash = hashSecrets(inputs.secureEnvironmentVariables.map((v) => ({ name: v.key, value: v.value })), SALT);
  return toContainerGroup(inputs, {
    location: 'westeurope',
    registryCredential: { server: 'myregistry.azurecr.io', username: 'app-id', password: extra.password ?? 'secret' },
    ...(secureEnvHash ? { secureEnvHash } : {}),
  });
}

/** What GET returns for a group created from `body`: secrets dropped, defaults and read-only fields added. */
function asReturnedByAzure(body: ContainerGroup): ContainerGroup {
  const copy = JSON.parse(JSON.stringify(body)) as ContainerGroup;
  return {
    ...copy,
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/sentiment',
    name: 'sentiment',
    type: 'Microsoft.ContainerInstance/containerGroups',
    location: 'West Europe',
    sku: 'Standard',
    provisioningState: 'Succeeded',
    containers: copy.containers.map((c) => ({
      ...c,
      ...(c.environmentVariables ? { environmentVariables: c.environmentVariables.map((v) => (v.secureValue !== undefined ? { name: v.name } : v)) } : {}),
      instanceView: { restartCount: 0, currentState: { state: 'Running' } },
    })),
    ...(copy.imageRegistryCredentials ? { imageRegistryCredentials: copy.imageRegistryCredentials.map(({ password: _password, ...rest }) => rest) } : {}),
    ...(copy.ipAddress ? { ipAddress: { ...copy.ipAddress, ip: '20.1.2.3', ports: copy.ipAddress.ports.map((p) => ({ port: p.port })) } } : {}),
    ...(copy.diagnostics?.logAnalytics ? { diagnostics: { logAnalytics: { workspaceId: copy.diagnostics.logAnalytics.workspaceId, workspaceKey: '' } } } : {}),
  };
}

describe('DeployToAci diffContainerGroup', () => {
  const everything = {
    secureEnvironmentVariables: 'API_KEY=one',
    environmentVariables: 'A=1',
    readinessProbePath: '/ready',
    dnsNameLabel: 'sentiment-prod',
    tags: 'team=ml',
    command: 'serve',
  };

  it('sees no change when Azure returns what was sent (secrets omitted, defaults added)', () => {
    const desired = desiredOf(everything);
    assert.deepEqual(diffContainerGroup(asReturnedByAzure(desired), desired), { kind: 'unchanged' });
  });

  it('ignores tags that others added', () => {
    const desired = desiredOf(everything);
    const existing = { ...asReturnedByAzure(desired), tags: { ...desired.tags, 'policy-owner': 'x' } };
    assert.equal(diffContainerGroup(existing, desired).kind, 'unchanged');
  });

  for (const [what, change] of [
    ['a new image digest', { image: `myregistry.azurecr.io/models/sentiment@sha256:${'b'.repeat(64)}` }],
    ['an environment variable', { environmentVariables: 'A=2' }],
    ['a new secure value (through the hash tag)', { secureEnvironmentVariables: 'API_KEY=two' }],
    ['ports', { ports: '80 8080' }],
    ['the readiness probe', { readinessProbePath: '/v2/health/ready' }],
    ['the command', { command: 'serve\n--fast' }],
    ['the DNS name label', { dnsNameLabel: 'sentiment-next' }],
    ['a tag', { tags: 'team=ai' }],
  ] as const) {
    it(`updates in place for ${what}`, () => {
      const existing = asReturnedByAzure(desiredOf(everything));
      const diff = diffContainerGroup(existing, desiredOf({ ...everything, ...change }));
      assert.equal(diff.kind, 'updateInPlace', JSON.stringify(diff));
    });
  }

  for (const [what, change, property] of [
    ['cpu', { cpu: '2' }, 'containers[sentiment].cpu'],
    ['memory', { memoryInGB: '3' }, 'containers[sentiment].memoryInGB'],
    ['a GPU', { gpuCount: '1' }, 'containers[sentiment].gpu'],
    ['the OS type', { osType: 'Windows' }, 'osType'],
    ['the restart policy', { restartPolicy: 'Never' }, 'restartPolicy'],
    ['the address type', { ipAddressType: 'None', dnsNameLabel: '' }, 'ipAddress.type'],
  ] as const) {
    it(`requires recreating for ${what}`, () => {
      const existing = asReturnedByAzure(desiredOf(everything));
      const diff = diffContainerGroup(existing, desiredOf({ ...everything, ...change }));
      assert.equal(diff.kind, 'requiresRecreate');
      assert.ok(diff.kind === 'requiresRecreate' && diff.properties.includes(property), JSON.stringify(diff));
    });
  }

  it('reads the spec examples as the SDK returns them', async () => {
    for (const file of ['ContainerGroupsGet_Failed.json', 'ContainerGroupsDelete.json', 'ContainerGroupsCreateOrUpdate.json']) {
      const group = await sdkGroupFrom(exampleOf(file).responses['200']?.body);
      assert.deepEqual(diffContainerGroup(group, group), { kind: 'unchanged' }, file);
      const diff = diffContainerGroup(group, { ...group, imageRegistryCredentials: [{ server: 'other.azurecr.io', username: 'u' }] });
      assert.deepEqual(diff, { kind: 'updateInPlace', changes: ['imageRegistryCredentials'] }, file);
      const bigger = { ...group, containers: group.containers.map((c) => ({ ...c, resources: { requests: { ...c.resources.requests, cpu: 3 } } })) };
      assert.equal(diffContainerGroup(group, bigger).kind, 'requiresRecreate', file);
    }
  });
});

describe('DeployToAci decideAction', () => {
  const desired = desiredOf();
  const existing = asReturnedByAzure(desired);

  it('creates when there is no group', () => assert.deepEqual(decideAction(undefined, desired, 'update'), { kind: 'create' }));
  it('does nothing when nothing changed', () => assert.deepEqual(decideAction(existing, desired, 'update'), { kind: 'unchanged' }));
  it('recreates an unchanged group in alwaysRecreate mode', () => assert.equal(decideAction(existing, desired, 'alwaysRecreate').kind, 'recreate'));

  it('fails in update mode with the properties Azure cannot change, from and to', () => {
    assert.throws(
      () => decideAction(existing, desiredOf({ cpu: '2', memoryInGB: '3' }), 'update'),
      (error: Error) => {
        assert.match(error.message, /cannot be updated in place/);
        assert.match(error.message, /containers\[sentiment\]\.cpu: 1 -> 2/);
        assert.match(error.message, /containers\[sentiment\]\.memoryInGB: 1\.5 -> 3/);
        assert.match(error.message, /'updateMode' to 'recreateIfRequired'/);
        return true;
      },
    );
  });

  it('recreates in recreateIfRequired mode and says why', () => {
    const action = decideAction(existing, desiredOf({ cpu: '2' }), 'recreateIfRequired');
    assert.equal(action.kind, 'recreate');
    assert.ok(action.kind === 'recreate' && /containers\[sentiment\]\.cpu/.test(action.reason));
  });

  it('updates when only the registry password changed (through the credentials hash)', () => {
    const inputs = inputsOf().inputs;
    const withHash = (password: string): ContainerGroup =>
      toContainerGroup(inputs, {
        location: 'westeurope',
        registryCredential: { server: 'myregistry.azurecr.io', username: 'u', password },
        credentialsHash: hashSecrets([{ name: 'registry', value: password }], SALT) ?? '',
      });
    const before = asReturnedByAzure(withHash('old'));
    assert.equal(decideAction(before, withHash('old'), 'update').kind, 'unchanged');
    assert.equal(decideAction(before, withHash('new'), 'update').kind, 'update');
  });
});

describe('DeployToAci secret hashes', () => {
  it('are salted, stable for a salt and keep the salt readable', () => {
    const a = hashSecrets([{ name: 'K', value: 'v' }], SALT);
    assert.equal(a, hashSecrets([{ name: 'K', value: 'v' }], SALT));
    assert.notEqual(a, hashSecrets([{ name: 'K', value: 'v' }], 'f'.repeat(32)));
    assert.notEqual(a, hashSecrets([{ name: 'K', value: 'w' }], SALT));
    assert.equal(saltOf(a), SALT);
    assert.ok(!a?.includes('v"'));
    assert.equal(hashSecrets([], SALT), undefined);
    assert.equal(saltOf('sha256:abc'), undefined);
    assert.equal(saltOf(undefined), undefined);
  });

  it('are kept in the task\'s own tag', () => {
    assert.equal(TAG.secureEnvHash, 'aimodeldeploy.secureEnvHash');
    assert.ok(DIGEST.startsWith('sha256:'));
  });
});
