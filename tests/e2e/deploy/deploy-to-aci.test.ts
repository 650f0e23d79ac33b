/**
 * DeployToAci end to end: the bundled task, run as the agent runs it, against the local Azure (ACI
 * backed by the Docker engine, ACR by the distribution registry). Images are built from busybox here.
 */
import * as assert from 'node:assert/strict';
import { armRequests, deployRunner, fetchText, readGroup, useDeployEnvironment } from './deploy-fixture';

const IMAGE_URI = 'AiModelDeploy.ImageUri';

describe('DeployToAci (end to end, local Azure)', function () {
  this.timeout(240_000);
  const suite = useDeployEnvironment();
  let v1: string;
  let v2: string;

  before(async () => {
    v1 = await suite.images.pushHttpd('model v1');
    v2 = await suite.images.pushHttpd('model v2');
  });

  describe('one group through its life', () => {
    const name = 'e2e-life';

    it('deploys the image BuildAndPushAiImage left in AiModelDeploy.ImageUri (no image input) and answers on the output url', async () => {
      const { azure, deploy } = suite;
      const run = await deploy({ inputs: { containerGroupName: name }, variables: { [IMAGE_URI]: v1 } });
      assert.equal(run.exitCode, 0, run.log);
      const url = run.variables.url?.value ?? '';
      assert.match(url, /^http:\/\/127\.\d+\.\d+\.\d+:80$/);
      assert.equal(run.variables.url?.isOutput, true);
      assert.equal(run.variables['AiModelDeploy.ModelUrl']?.value, url);
      assert.equal(run.variables['AiModelDeploy.ModelUrl']?.isOutput, false);
      assert.equal(run.variables.state?.value, 'Running');
      assert.equal(run.variables.imageDigest?.value, v1.split('@')[1]);
      assert.match(run.variables.containerGroupId?.value ?? '', /\/containerGroups\/e2e-life$/);
      assert.equal(await fetchText(url), 'model v1');
      assert.match(run.log, /from the variable AiModelDeploy\.ImageUri/);
      assert.equal(run.summaries.length, 1);
      assert.match(run.summaries[0]?.content ?? '', /\| State \| Running \|/);
      const started = (await readGroup(azure, name))?.containers[0]?.instanceView?.currentState?.startTime;
      console.log(`      container started -> task finished: ${started ? run.finishedAt - started.getTime() : '?'} ms (busybox httpd answers within milliseconds of starting)`);
      const arm = armRequests(azure);
      console.log(`      ARM requests for a create: ${arm.length} (${arm.map((r) => `${r.method} ${r.route}`).join(', ')})`);
      assert.equal(arm.filter((r) => r.method === 'PUT').length, 1);
    });

    it('redeploying unchanged restarts nothing (no PUT; start time and restart count unchanged)', async () => {
      const { azure, deploy } = suite;
      const before = await readGroup(azure, name);
      azure.clearRequests();
      const run = await deploy({ inputs: { containerGroupName: name, image: v1 } });
      assert.equal(run.exitCode, 0, run.log);
      assert.match(run.log, /nothing to change, nothing restarted/);
      const arm = armRequests(azure);
      console.log(`      ARM requests for an unchanged redeploy: ${arm.length} (${arm.map((r) => `${r.method} ${r.route}`).join(', ')})`);
      assert.ok(!arm.some((r) => r.method === 'PUT' || r.method === 'DELETE'));
      const after = await readGroup(azure, name);
      const view = (g: typeof before): unknown => g?.containers.map((c) => [c.instanceView?.currentState?.startTime?.toISOString(), c.instanceView?.restartCount]);
      assert.deepEqual(view(after), view(before));
      assert.ok(view(after) !== undefined);
    });

    it('a new image updates the same group', async () => {
      const { azure, deploy } = suite;
      const before = await readGroup(azure, name);
      const run = await deploy({ inputs: { containerGroupName: name }, variables: { [IMAGE_URI]: v2 } });
      assert.equal(run.exitCode, 0, run.log);
      assert.match(run.log, /Updating container group 'e2e-life' in place: containers\[e2e-life\]\.image/);
      assert.equal(run.variables.containerGroupId?.value, before?.id);
      assert.equal(await fetchText(run.variables.url?.value ?? ''), 'model v2');
    });

    it('a cpu change fails with the property list in update mode, and nothing is changed', async () => {
      const { azure, deploy } = suite;
      const run = await deploy({ inputs: { containerGroupName: name, image: v2, cpu: '2' } });
      assert.equal(run.result, 'Failed');
      assert.match(run.message ?? '', /cannot be updated in place.*containers\[e2e-life\]\.cpu: 1 -> 2.*'updateMode' to 'recreateIfRequired'/);
      assert.ok(!armRequests(azure).some((r) => r.method === 'PUT' || r.method === 'DELETE'));
    });

    it('the cpu change succeeds in recreateIfRequired mode, logging the downtime', async () => {
      const { azure, deploy } = suite;
      const run = await deploy({ inputs: { containerGroupName: name, image: v2, cpu: '2', updateMode: 'recreateIfRequired' } });
      assert.equal(run.exitCode, 0, run.log);
      assert.ok(run.issues.some((i) => i.type === 'warning' && /down until the new group runs/.test(i.message)));
      const group = await readGroup(azure, name);
      assert.equal(group?.containers[0]?.resources.requests.cpu, 2);
      assert.equal(await fetchText(run.variables.url?.value ?? ''), 'model v2');
      const methods = armRequests(azure).map((r) => r.method);
      assert.ok(methods.indexOf('DELETE') < methods.lastIndexOf('PUT'));
    });
  });

  it('sends secure environment values without printing them, and sees when they change (hash tag)', async () => {
    const { azure, deploy } = suite;
    const inputs = { containerGroupName: 'e2e-secure', image: v1, environmentVariables: 'MODEL_NAME=sentiment', secureEnvironmentVariables: 'API_KEY=first-Secret-9f2c' };
    const first = await deploy({ inputs });
    assert.equal(first.exitCode, 0, first.log);
    const again = await deploy({ inputs });
    assert.match(again.log, /nothing to change, nothing restarted/);
    const rotated = await deploy({ inputs: { ...inputs, secureEnvironmentVariables: 'API_KEY=second-Secret-77aa' } });
    assert.match(rotated.log, /Updating container group 'e2e-secure' in place/);
    for (const run of [first, again, rotated]) {
      const unmasked = run.stdout.replace(/##vso\[task\.setsecret\][^\n]*/g, '');
      assert.ok(!/first-Secret-9f2c|second-Secret-77aa/.test(unmasked), 'a secure value was printed');
    }
    const group = await readGroup(azure, 'e2e-secure');
    assert.deepEqual(group?.containers[0]?.environmentVariables?.find((v) => v.name === 'API_KEY'), { name: 'API_KEY' });
    assert.match(group?.tags?.['aimodeldeploy.secureEnvHash'] ?? '', /^scrypt1\.[0-9a-f]{32}\.[0-9a-f]{64}$/);
  });

  it('a crashing image fails the task with its log lines shown', async () => {
    const { images, deploy } = suite;
    const crashing = await images.pushCrashing(['loading model /models/missing.onnx', 'FATAL: model file not found', '##vso[task.setvariable variable=pwned]yes']);
    const run = await deploy({ inputs: { containerGroupName: 'e2e-crash', image: crashing, timeoutInMinutes: '2' } });
    assert.equal(run.result, 'Failed', run.log);
    assert.match(run.message ?? '', /Container 'e2e-crash' (keeps crashing|terminated|restarted)/);
    assert.match(run.message ?? '', /FATAL: model file not found/);
    assert.match(run.log, /Events and logs of container group e2e-crash/);
    assert.match(run.log, /loading model \/models\/missing\.onnx/);
    assert.equal(run.variables.pwned, undefined, 'a container log line ran a pipeline command');
  });

  it('wrong registry credentials fail with the pull error explained', async () => {
    const { azure } = suite;
    const wrong = { ...azure.connections.dockerRegistry, authParameters: { ...azure.connections.dockerRegistry.authParameters, password: 'not-the-password' } };
    const runner = deployRunner({ ...azure, connections: { ...azure.connections, dockerRegistry: wrong } });
    const run = await runner({
      inputs: { containerGroupName: 'e2e-badcreds', image: v1, registryAuth: 'dockerRegistryConnection', dockerRegistryServiceConnection: wrong.id },
      extraConnections: ['dockerRegistry'],
    });
    assert.equal(run.result, 'Failed', run.log);
    assert.match(run.message ?? '', /InaccessibleImage|cannot be pulled/, run.message);
    assert.match(run.message ?? '', /registryAuth|registry credential/, run.message);
    // As the agent shows it (it masks connection secrets; task-lib's own debug line about auth parameters is masked there).
    assert.ok(!run.log.includes('not-the-password'), 'the password was printed');
    assert.match(run.message ?? '', /Docker registry service connection/);
  });

  describe('bad inputs fail clearly and make no call to Azure', () => {
    for (const [inputs, pattern] of [
      [{ containerGroupName: 'Bad_Name' }, /Input 'containerGroupName' must be 1 to 63 characters.*got 'Bad_Name'/],
      [{ containerGroupName: 'ok', ports: '1 2 3 4 5 6' }, /Input 'ports' must be up to 5 ports/],
      [{ containerGroupName: 'ok', cpu: 'lots' }, /Input 'cpu' must be a number from 0\.1 to 32; got 'lots'/],
      [{ containerGroupName: 'ok', dnsNameLabel: 'a' }, /Input 'dnsNameLabel' must be 5 to 63 characters/],
      [{ containerGroupName: 'ok', environmentVariables: '1X=2' }, /Input 'environmentVariables' must be one KEY=VALUE per line/],
      [{ containerGroupName: 'ok', image: 'Not An Image' }, /Input 'image' must be an image reference/],
      [{ containerGroupName: 'ok', image: '' }, /Input 'image' is required.*BuildAndPushAiImage/],
      [{ containerGroupName: 'ok', updateMode: 'force' }, /Input 'updateMode' must be one of 'update', 'recreateIfRequired', 'alwaysRecreate'; got 'force'/],
      [{ containerGroupName: 'ok', registryAuth: 'managedIdentity' }, /Input 'managedIdentityResourceId' is required/],
    ] as const) {
      it(`${JSON.stringify(inputs)}`, async () => {
        const { azure, deploy } = suite;
        const run = await deploy({ inputs: { image: v1, ...inputs } });
        assert.equal(run.result, 'Failed');
        assert.match(run.message ?? '', pattern);
        assert.deepEqual(azure.requests(), [], 'the task called the local Azure');
      });
    }
  });
});
