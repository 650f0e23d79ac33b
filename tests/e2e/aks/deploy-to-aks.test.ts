/**
 * DeployToAks end to end through the bundled task, as the agent runs it, on the local AKS whose pods are
 * real containers pulled from the local registry: create, an unchanged redeploy (no new ReplicaSet), a
 * new image rolled out while a request loop sees no failure, a crashing image rolled back (the old
 * version keeps serving; the message has its log lines), an image the kubelet identity may not pull, a
 * redeploy while the autoscaler has scaled out, each connection scheme on the Entra ID cluster, and the
 * admin certificate on the local-accounts cluster.
 */
import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import { AppsV1Api, KubeConfig, type V1ReplicaSet } from '@kubernetes/client-node';
import { eventually } from '../../support/eventually';
import { LOCAL_CLUSTER, useAksEnvironment } from './aks-fixture';

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 5_000, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

describe('DeployToAks@1 end to end on the local AKS', function () {
  this.timeout(600_000);
  const suite = useAksEnvironment({ crashLoopBaseBackOffInMs: 1_000 });
  let v1 = '';
  let v2 = '';
  let crashing = '';
  let apps: AppsV1Api;
  const probe = { readinessProbePath: '/', readinessProbePeriod: '1' };

  before(async function () {
    this.timeout(180_000);
    v1 = await suite.images.pushHttpd('model v1', 'e2e/aks-model');
    v2 = await suite.images.pushHttpd('model v2', 'e2e/aks-model');
    crashing = await suite.images.pushCrashing(['loading model /models/iris.onnx', '##vso[task.setvariable variable=evil]1', 'error: model file not found'], 'e2e/aks-crash');
    const config = new KubeConfig();
    config.loadFromFile(suite.azure.kubeconfigPath);
    config.setCurrentContext('aks-models');
    apps = config.makeApiClient(AppsV1Api);
  });

  const replicaSetsOf = async (name: string): Promise<V1ReplicaSet[]> =>
    (await apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: `app.kubernetes.io/name=${name}` })).items;

  it('creates the Deployment and its LoadBalancer Service, and outputs the url that serves the model', async () => {
    const run = await suite.deployToAks({ inputs: { deploymentName: 'iris', image: v1, ...probe } });
    assert.equal(run.result, 'Succeeded', run.message);
    assert.match(run.message ?? '', /^Deployment 'iris' created: revision 1, 1 replica\(s\) ready at http:\/\/127\.\d+\.\d+\.\d+\.$/);
    const url = run.variables.url?.value ?? '';
    assert.equal(run.variables.url?.isOutput, true);
    assert.equal(run.variables['AiModelDeploy.ModelUrl']?.value, url);
    assert.equal(run.variables.revision?.value, '1');
    assert.equal(run.variables.replicas?.value, '1');
    assert.equal(run.variables.namespace?.value, 'default');
    assert.equal(run.variables.deploymentName?.value, 'iris');
    assert.equal(run.variables.imageDigest?.value, v1.split('@')[1]);
    assert.equal((await get(url)).body.trim(), 'model v1');
    assert.equal(run.summaries.length, 1);
  });

  it('rolls nothing on an unchanged redeploy: no new ReplicaSet, the same revision', async () => {
    const before = await replicaSetsOf('iris');
    const run = await suite.deployToAks({ inputs: { deploymentName: 'iris', image: v1, ...probe } });
    assert.equal(run.result, 'Succeeded', run.message);
    assert.match(run.message ?? '', /^Deployment 'iris' unchanged: revision 1/);
    const after = await replicaSetsOf('iris');
    assert.deepEqual(after.map((rs) => rs.metadata?.name), before.map((rs) => rs.metadata?.name));
  });

  it('rolls a new image out with no failed request in a loop running meanwhile', async () => {
    const url = (await suite.deployToAks({ inputs: { deploymentName: 'iris', image: v1, ...probe } })).variables.url?.value ?? '';
    let running = true;
    const seen = { v1: 0, v2: 0, failed: [] as string[] };
    const loop = (async () => {
      while (running) {
        const { status, body } = await get(url);
        if (status === 200 && body.trim() === 'model v1') seen.v1++;
        else if (status === 200 && body.trim() === 'model v2') seen.v2++;
        else seen.failed.push(`${status} ${body.slice(0, 40)}`);
      }
    })();
    let run;
    try {
      run = await suite.deployToAks({ inputs: { deploymentName: 'iris', image: v2, ...probe } });
    } finally {
      running = false;
      await loop;
    }
    assert.equal(run.result, 'Succeeded', run.message);
    assert.match(run.message ?? '', /^Deployment 'iris' rolled out: revision 2/);
    assert.deepEqual(seen.failed, []);
    assert.ok(seen.v1 > 0, 'the loop ran while v1 served');
    assert.equal((await get(url)).body.trim(), 'model v2');
  });

  it('rolls a crashing image back: the old version keeps serving and the message has its log lines', async () => {
    const run = await suite.deployToAks({ inputs: { deploymentName: 'iris', image: crashing, ...probe, rolloutTimeoutInMinutes: '0.75' } });
    assert.equal(run.result, 'Failed');
    const message = run.message ?? '';
    assert.match(message, /^Revision 3 of deployment 'iris' \(image .*e2e\/aks-crash@sha256:[0-9a-f]{64}\) failed: /);
    assert.match(message, /CrashLoopBackOff|Error|restarted/);
    assert.match(message, /error: model file not found/);
    assert.ok(!message.includes('##vso['), 'log lines are neutralised');
    assert.match(message, /Rolled back: revision 4 \(the former revision 2, image .*e2e\/aks-model@sha256:[0-9a-f]{64}\) serves now\.$/);
    assert.ok(!/##vso\[task\.setvariable variable=evil/.test(run.stdout), 'nothing from the container ran as a command');
    const url = run.variables.url?.value;
    assert.equal(url, undefined, 'a failed deployment publishes no url');
    const served = await suite.deployToAks({ inputs: { deploymentName: 'iris', image: v2, ...probe } });
    assert.match(served.message ?? '', /unchanged: revision 4/);
    assert.equal((await get(served.variables.url?.value ?? '')).body.trim(), 'model v2');
  });

  it('explains an image the kubelet identity may not pull, with the AcrPull fix', async () => {
    const other = suite.azure.registries.find((registry) => registry.loginServer !== suite.azure.registry.loginServer);
    assert.ok(other, 'the local Azure has a second registry');
    const privateImage = await suite.images.pushHttpd('private', 'e2e/aks-private', other);
    const run = await suite.deployToAks({ inputs: { deploymentName: 'iris-private', image: privateImage, rolloutTimeoutInMinutes: '0.5' } });
    assert.equal(run.result, 'Failed');
    const message = run.message ?? '';
    assert.match(message, /(ErrImagePull|ImagePullBackOff)/);
    assert.match(message, /kubelet identity \(client id [0-9a-f-]{36}/);
    assert.match(message, new RegExp(`az aks update -g rg-models -n aks-models --attach-acr ${other.loginServer.replace(/[.]/g, '\\.')}|az aks update -g rg-models -n aks-models --attach-acr`));
    assert.match(message, /There is no earlier revision to roll back to/);
  });

  it('keeps the replicas the autoscaler chose when redeploying a new image', async () => {
    const inputs = { deploymentName: 'iris-hpa', ...probe, autoscaling: 'true', minReplicas: '1', maxReplicas: '3', targetCpuUtilization: '50' };
    const first = await suite.deployToAks({ inputs: { ...inputs, image: v1 } });
    assert.equal(first.result, 'Succeeded', first.message);
    // What the autoscaler does when it scales out: it writes the scale subresource.
    await apps.patchNamespacedDeploymentScale({ name: 'iris-hpa', namespace: 'default', body: [{ op: 'replace', path: '/spec/replicas', value: 2 }], fieldManager: 'horizontal-pod-autoscaler' });
    await eventually('2 replicas ready', async () => ((await apps.readNamespacedDeployment({ name: 'iris-hpa', namespace: 'default' })).status?.readyReplicas === 2 ? true : undefined), 120_000);
    const redeploy = await suite.deployToAks({ inputs: { ...inputs, image: v2 } });
    assert.equal(redeploy.result, 'Succeeded', redeploy.message);
    assert.match(redeploy.message ?? '', /rolled out: revision 2, 2 replica\(s\) ready/);
    assert.equal((await apps.readNamespacedDeployment({ name: 'iris-hpa', namespace: 'default' })).spec?.replicas, 2);
  });

  for (const connection of ['spnCertificate', 'workloadIdentity', 'managedIdentity'] as const) {
    it(`signs in to the Entra ID cluster with a ${connection} connection (no kubelogin)`, async () => {
      const run = await suite.deployToAks({ connection, inputs: { deploymentName: 'iris', image: v2, ...probe } });
      assert.equal(run.result, 'Succeeded', run.message);
      assert.match(run.message ?? '', /^Deployment 'iris' unchanged: revision 4/);
    });
  }

  it("signs in to the local-accounts cluster with the admin certificate ('useClusterAdmin')", async () => {
    const run = await suite.deployToAks({ inputs: { kubernetesCluster: LOCAL_CLUSTER, useClusterAdmin: 'true', namespace: 'models', deploymentName: 'iris', image: v1, ...probe } });
    assert.equal(run.result, 'Succeeded', run.message);
    assert.match(run.log, /with the client certificate of 'clusterAdmin_rg-models_aks-models-local'/);
    assert.equal((await get(run.variables.url?.value ?? '')).body.trim(), 'model v1');
  });
});
