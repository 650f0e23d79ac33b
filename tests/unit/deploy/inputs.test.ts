import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../../tasks/common/errors';
import { INPUT } from '../../../tasks/DeployToAciV1/src/inputs';
import { DIGEST, IMAGE, inputsOf } from './fixtures';

const TASK_JSON = path.join(__dirname, '../../../tasks/DeployToAciV1/task.json');

function inputError(values: Record<string, string | undefined>, pipelineImage?: string): InputError {
  try {
    inputsOf(values, pipelineImage);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  assert.fail(`expected an InputError for ${JSON.stringify(values)}`);
}

describe('DeployToAci inputs', () => {
  it('declares every task.json input exactly once in INPUT', () => {
    const task = JSON.parse(fs.readFileSync(TASK_JSON, 'utf8')) as { inputs: { name: string }[] };
    const inTask = task.inputs.map((i) => i.name).sort();
    const declared = Object.values(INPUT).sort();
    assert.deepEqual(declared, inTask);
    assert.equal(new Set(declared).size, declared.length);
    for (const [key, value] of Object.entries(INPUT)) assert.equal(key, value);
  });

  it('reads the defaults the issue names', () => {
    const { inputs } = inputsOf();
    assert.equal(inputs.containerName, 'sentiment');
    assert.equal(inputs.osType, 'Linux');
    assert.equal(inputs.cpu, 1);
    assert.equal(inputs.memoryInGB, 1.5);
    assert.equal(inputs.gpu, undefined);
    assert.deepEqual(inputs.ports, [{ port: 80, protocol: 'TCP' }]);
    assert.equal(inputs.ipAddressType, 'Public');
    assert.equal(inputs.restartPolicy, 'Always');
    assert.equal(inputs.registryAuth, 'auto');
    assert.equal(inputs.updateMode, 'update');
    assert.equal(inputs.waitForReady, true);
    assert.equal(inputs.timeoutInMs, 15 * 60_000);
    assert.equal(inputs.image.digest, DIGEST);
    assert.equal(inputs.image.registry, 'myregistry.azurecr.io');
    assert.equal(inputs.imageSource, 'input');
  });

  it('needs a port for a public address (task.json gives 80 by default)', () => {
    const error = inputError({ ports: '' });
    assert.match(error.message, /Input 'ports' is required.*'Public'/);
    assert.deepEqual(inputsOf({ ports: '80' }).inputs.ports, [{ port: 80, protocol: 'TCP' }]);
    assert.deepEqual(inputsOf({ ports: '', ipAddressType: 'None' }).inputs.ports, []);
  });

  it('parses ports in every accepted form', () => {
    assert.deepEqual(inputsOf({ ports: '80/TCP 8081/udp' }).inputs.ports, [
      { port: 80, protocol: 'TCP' },
      { port: 8081, protocol: 'UDP' },
    ]);
    assert.deepEqual(inputsOf({ ports: '8080\n8081/TCP\n' }).inputs.ports.map((p) => p.port), [8080, 8081]);
    assert.deepEqual(inputsOf({ ports: '1,2,3,4,65535' }).inputs.ports.map((p) => p.port), [1, 2, 3, 4, 65535]);
  });

  for (const [ports, pattern] of [
    ['1 2 3 4 5 6', /up to 5 ports.*got '6 ports/],
    ['0', /got '0'/],
    ['65536', /got '65536'/],
    ['80/SCTP', /got '80\/SCTP'/],
    ['http', /got 'http'/],
    ['80 80/UDP', /distinct ports; got '80 given twice'/],
  ] as const) {
    it(`rejects ports '${ports}'`, () => {
      const error = inputError({ ports });
      assert.equal(error.input, 'ports');
      assert.match(error.message, /^Input 'ports' must be /);
      assert.match(error.message, pattern);
    });
  }

  for (const name of ['-abc', 'abc-', 'a--b', 'ABC', 'a_b', 'a'.repeat(64), 'a.b']) {
    it(`rejects the container group name '${name.slice(0, 20)}'`, () => {
      const error = inputError({ containerGroupName: name });
      assert.equal(error.input, 'containerGroupName');
      assert.match(error.message, /1 to 63 characters: lowercase letters, digits and '-'/);
    });
  }

  it('accepts names at the limits and checks the container name with the same rules', () => {
    assert.equal(inputsOf({ containerGroupName: 'a' }).inputs.containerGroupName, 'a');
    assert.equal(inputsOf({ containerGroupName: `a${'-b'.repeat(31)}` }).inputs.containerGroupName.length, 63);
    assert.equal(inputError({ containerName: 'Model' }).input, 'containerName');
    assert.equal(inputsOf({ containerName: 'server' }).inputs.containerName, 'server');
  });

  for (const label of ['abcd', '1abcd', 'abcd-', 'ab_cd', 'Abcde', 'a'.repeat(64)]) {
    it(`rejects the DNS name label '${label.slice(0, 20)}'`, () => {
      const error = inputError({ dnsNameLabel: label });
      assert.equal(error.input, 'dnsNameLabel');
      assert.match(error.message, /5 to 63 characters/);
    });
  }

  it('accepts a DNS name label only with a public address', () => {
    assert.equal(inputsOf({ dnsNameLabel: 'sentiment-prod' }).inputs.dnsNameLabel, 'sentiment-prod');
    const error = inputError({ dnsNameLabel: 'sentiment-prod', ipAddressType: 'None' });
    assert.match(error.message, /empty unless 'ipAddressType' is 'Public'/);
  });

  it('reads environment variables and masks every secure value the moment it is read', () => {
    const { inputs, secrets } = inputsOf({
      environmentVariables: 'MODEL_NAME=sentiment\nLOG_LEVEL=info=debug',
      secureEnvironmentVariables: 'API_KEY=s3cr3t-value\nOTHER=p@ss=word',
    });
    assert.deepEqual(inputs.environmentVariables, [
      { key: 'MODEL_NAME', value: 'sentiment' },
      { key: 'LOG_LEVEL', value: 'info=debug' },
    ]);
    assert.deepEqual(secrets, ['s3cr3t-value', 'p@ss=word']);
  });

  it('rejects bad environment variable names without echoing secure values', () => {
    const plain = inputError({ environmentVariables: '1BAD=x' });
    assert.equal(plain.input, 'environmentVariables');
    const secure = inputError({ secureEnvironmentVariables: 'BAD NAME=topsecret' });
    assert.equal(secure.input, 'secureEnvironmentVariables');
    assert.doesNotMatch(secure.message, /topsecret/);
    const clash = inputError({ environmentVariables: 'A=1', secureEnvironmentVariables: 'A=2' });
    assert.match(clash.message, /A in both/);
  });

  for (const [input, value, pattern] of [
    ['cpu', 'abc', /Input 'cpu' must be a number from 0.1 to 32; got 'abc'/],
    ['cpu', '0', /got '0'/],
    ['cpu', '0.123', /at most 2 decimals/],
    ['memoryInGB', '0.05', /got '0.05'/],
    ['memoryInGB', '1.55', /steps of 0.1/],
    ['gpuCount', '5', /Input 'gpuCount' must be a whole number from 0 to 4; got '5'/],
    ['gpuSku', 'A100', /one of 'K80', 'P100', 'V100'; got 'A100'/],
    ['osType', 'Mac', /'Linux', 'Windows'/],
    ['restartPolicy', 'Sometimes', /'Always', 'OnFailure', 'Never'/],
    ['ipAddressType', 'Internal', /'Public', 'Private', 'None'/],
    ['updateMode', 'force', /'update', 'recreateIfRequired', 'alwaysRecreate'/],
    ['registryAuth', 'token', /'auto', 'serviceConnection'/],
    ['waitForReady', 'yes', /'true' or 'false'; got 'yes'/],
    ['timeoutInMinutes', '0', /from 0\.25 to 360/],
    ['resourceGroup', 'rg.', /resource group name/],
    ['logAnalyticsWorkspaceId', 'not-a-guid', /workspace ID \(a GUID/],
    ['tags', 'aimodeldeploy.x=1', /reserved/],
    ['tags', 'a/b=1', /without '<'/],
    ['readinessProbePath', 'health', /starting with '\/'/],
  ] as const) {
    it(`rejects ${input}='${value}'`, () => {
      const values: Record<string, string> = { [input]: value };
      if (input === 'gpuSku') values.gpuCount = '1';
      const error = inputError(values);
      assert.equal(error.input, input);
      assert.match(error.message, pattern);
    });
  }

  it('reads a GPU only when the count is above 0', () => {
    assert.equal(inputsOf({ gpuCount: '0', gpuSku: 'K80' }).inputs.gpu, undefined);
    assert.deepEqual(inputsOf({ gpuCount: '2', gpuSku: 'k80' }).inputs.gpu, { count: 2, sku: 'K80' });
  });

  it('reads probes with durations and defaults the port to the first TCP port', () => {
    const { inputs } = inputsOf({
      ports: '53/UDP 8080',
      readinessProbePath: '/v2/health/ready',
      readinessProbeInitialDelay: '2m',
      readinessProbePeriod: '5',
      livenessProbePath: '/ping',
      livenessProbePort: '9000',
    });
    assert.deepEqual(inputs.readinessProbe, { path: '/v2/health/ready', port: 8080, initialDelaySeconds: 120, periodSeconds: 5, failureThreshold: 3 });
    assert.deepEqual(inputs.livenessProbe, { path: '/ping', port: 9000, initialDelaySeconds: 60, periodSeconds: 10, failureThreshold: 3 });
    assert.match(inputError({ readinessProbePath: '/r', readinessProbePeriod: '10m' }).message, /Input 'readinessProbePeriod' must be a duration from 1s to 5m/);
    assert.equal(inputError({ livenessProbePath: '/r', livenessProbeFailureThreshold: '0' }).input, 'livenessProbeFailureThreshold');
  });

  it('needs the inputs of the chosen registry mode', () => {
    assert.equal(inputError({ registryAuth: 'managedIdentity' }).input, 'managedIdentityResourceId');
    assert.equal(inputError({ registryAuth: 'dockerRegistryConnection' }).input, 'dockerRegistryServiceConnection');
    assert.equal(inputError({ managedIdentityResourceId: '/subscriptions/x/identity' }).input, 'managedIdentityResourceId');
    const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/puller';
    assert.equal(inputsOf({ registryAuth: 'managedIdentity', managedIdentityResourceId: id }).inputs.managedIdentityResourceId, id);
  });

  it('needs subnets for a private address and only then', () => {
    const subnet = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aci';
    assert.equal(inputError({ ipAddressType: 'Private' }).input, 'subnetIds');
    assert.deepEqual(inputsOf({ ipAddressType: 'Private', subnetIds: subnet }).inputs.subnetIds, [subnet]);
    assert.match(inputError({ subnetIds: subnet }).message, /empty unless 'ipAddressType' is 'Private'/);
    assert.match(inputError({ ipAddressType: 'Private', subnetIds: '/subscriptions/s/vnet' }).message, /subnet resource IDs/);
  });

  it('needs both the Log Analytics workspace id and key, and masks the key', () => {
    const id = '0b4a4c3e-0000-4000-8000-000000000001';
    assert.equal(inputError({ logAnalyticsWorkspaceId: id }).input, 'logAnalyticsWorkspaceKey');
    assert.equal(inputError({ logAnalyticsWorkspaceKey: 'k' }).input, 'logAnalyticsWorkspaceId');
    const { inputs, secrets } = inputsOf({ logAnalyticsWorkspaceId: id, logAnalyticsWorkspaceKey: 'workspace-key==' });
    assert.deepEqual(inputs.logAnalytics, { workspaceId: id, workspaceKey: 'workspace-key==' });
    assert.deepEqual(secrets, ['workspace-key==']);
  });

  describe('image', () => {
    it('uses AiModelDeploy.ImageUri when the input is empty', () => {
      const { inputs } = inputsOf({ image: '' }, IMAGE);
      assert.equal(inputs.image.reference, IMAGE);
      assert.equal(inputs.imageSource, 'pipeline');
    });

    it('prefers the input over the variable', () => {
      assert.equal(inputsOf({ image: 'nginx:1.25' }, IMAGE).inputs.image.reference, 'nginx:1.25');
    });

    it('says how to get an image when there is none', () => {
      const error = inputError({ image: '' });
      assert.equal(error.input, 'image');
      assert.match(error.message, /BuildAndPushAiImage.*AiModelDeploy\.ImageUri/);
    });

    it('names the variable when its value is not an image reference', () => {
      const error = inputError({ image: '' }, 'not an image');
      assert.match(error.message, /variable AiModelDeploy\.ImageUri/);
    });

    for (const [reference, registry, repository, tag, digest] of [
      ['nginx', undefined, 'nginx', undefined, undefined],
      ['library/nginx:1.25', undefined, 'library/nginx', '1.25', undefined],
      ['127.0.0.1:5443/models/echo:v1', '127.0.0.1:5443', 'models/echo', 'v1', undefined],
      ['localhost/echo', 'localhost', 'echo', undefined, undefined],
      [`MyRegistry.azurecr.io/a/b-c__d.e@${DIGEST}`, 'myregistry.azurecr.io', 'a/b-c__d.e', undefined, DIGEST],
      [`r.io/x:tag@${DIGEST}`, 'r.io', 'x', 'tag', DIGEST],
    ] as const) {
      it(`parses '${reference.slice(0, 40)}'`, () => {
        const image = inputsOf({ image: reference }).inputs.image;
        assert.equal(image.registry, registry);
        assert.equal(image.repository, repository);
        assert.equal(image.tag, tag);
        assert.equal(image.digest, digest);
      });
    }

    for (const reference of ['UPPER/case', 'r.io/x:', 'r.io/x@sha256:abc', 'r.io//x', 'x:tag with space', 'https://r.io/x', '-x']) {
      it(`rejects '${reference}'`, () => {
        const error = inputError({ image: reference });
        assert.equal(error.input, 'image');
        assert.match(error.message, /an image reference such as/);
      });
    }
  });
});
