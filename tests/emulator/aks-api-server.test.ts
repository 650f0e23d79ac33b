/**
 * The Kubernetes API server on its own (a cluster without a runtime, so that the test sets status
 * itself): `kubectl rollout status` waiting on a watch until the status says rolled out, kubectl
 * patch with JSON, merge and strategic merge patches, label selectors, the /status subresource and
 * Status bodies for 409 AlreadyExists and 422 Invalid through @kubernetes/client-node.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiException, AppsV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { clientCertificateKubeconfig } from '../../emulator/aks/model/kubeconfig';
import { createFaultRegistry } from '../../emulator/core/faults';
import { startKubernetesCluster, type KubernetesCluster } from '../../emulator/kubernetes/cluster';
import { DEPLOYMENTS } from '../../emulator/kubernetes/store/resource-types';
import { ensureDebianKubectl, runKubectl } from '../support/debian-kubectl';
import { rejectionOf } from './local-azure-fixture';
import { useKubeconfigFolder } from './aks-support/aks-fixture';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: rollout
  labels:
    app: rollout
    tier: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: rollout
  template:
    metadata:
      labels:
        app: rollout
    spec:
      containers:
      - name: web
        image: 127.0.0.1:5000/models/web:1
        env:
        - name: MODE
          value: one
`;

describe('local AKS: the Kubernetes API server with kubectl and client-node', function () {
  this.timeout(120_000);
  const kubeconfigFile = useKubeconfigFolder();
  let cluster: KubernetesCluster;
  let stateDirectory: string;
  let kubeconfig: string;
  let apps: AppsV1Api;

  before(async function () {
    this.timeout(120_000);
    await ensureDebianKubectl();
    stateDirectory = mkdtempSync(join(tmpdir(), 'aks-api-server-'));
    const faults = createFaultRegistry();
    cluster = await startKubernetesCluster({
      info: {
        name: 'aks-test',
        resourceGroup: 'rg-models',
        subscriptionId: '00000000-0000-0000-0000-000000000000',
        location: 'westeurope',
        kubernetesVersion: '1.36.0',
        agentPools: [],
        kubeletIdentity: { resourceId: '', clientId: '', objectId: '' },
        dockerNamePrefix: 'unused',
        dockerSocketPath: '/var/run/docker.sock',
        registryLoginServers: [],
        registryLogins: { canPull: () => Promise.resolve(false), hasImage: () => Promise.resolve(false) },
        faults,
        stateDirectory: join(stateDirectory, 'cluster'),
      },
      fqdn: 'aks-test-dns-00000000.hcp.westeurope.azmk8s.io',
      localAccounts: true,
      faults,
    });
    const text = clientCertificateKubeconfig({ name: 'aks-test', resourceGroup: 'rg-models', server: cluster.server, caCertificatePem: cluster.caCertificatePem, tenantId: 't' }, 'admin', cluster.adminCredential);
    kubeconfig = kubeconfigFile('admin', text);
    const config = new KubeConfig();
    config.loadFromString(text);
    apps = config.makeApiClient(AppsV1Api);
    assert.equal((await runKubectl(kubeconfig, ['apply', '--server-side', '-f', '-'], { input: DEPLOYMENT })).code, 0);
  });

  after(async () => {
    await cluster.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it('kubectl rollout status watches until observedGeneration, updated and available replicas say done', async () => {
    const waiting = runKubectl(kubeconfig, ['rollout', 'status', 'deployment/rollout', '--timeout=60s']);
    const setStatus = (status: Record<string, unknown>): void => {
      const current = cluster.store.get(DEPLOYMENTS, 'default', 'rollout') ?? assert.fail('no deployment');
      cluster.store.update(DEPLOYMENTS, { ...current, status }, { subresource: 'status' });
    };
    setStatus({ observedGeneration: 1, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    setStatus({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
    const result = await waiting;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /deployment "rollout" successfully rolled out/);
  });

  it('kubectl patch: strategic merge (containers by name), merge and JSON patches', async () => {
    const strategic = await runKubectl(kubeconfig, ['patch', 'deployment', 'rollout', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"EXTRA","value":"two"}]}]}}}}']);
    assert.equal(strategic.code, 0, strategic.stderr);
    const merged = await runKubectl(kubeconfig, ['patch', 'deployment', 'rollout', '--type=merge', '-p', '{"metadata":{"labels":{"tier":null,"team":"models"}}}']);
    assert.equal(merged.code, 0, merged.stderr);
    const json = await runKubectl(kubeconfig, ['patch', 'deployment', 'rollout', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']);
    assert.equal(json.code, 0, json.stderr);
    const object = JSON.parse((await runKubectl(kubeconfig, ['get', 'deployment', 'rollout', '-o', 'json'])).stdout) as V1Deployment;
    assert.deepEqual(object.spec?.template.spec?.containers[0]?.env, [{ name: 'MODE', value: 'one' }, { name: 'EXTRA', value: 'two' }]);
    assert.deepEqual(object.metadata?.labels, { app: 'rollout', team: 'models' });
    assert.equal(object.spec?.replicas, 4);
    assert.equal(object.metadata?.generation, 3);
    const bad = await runKubectl(kubeconfig, ['patch', 'deployment', 'rollout', '--type=json', '-p', '[{"op":"replace","path":"/spec/paused2","value":true}]']);
    assert.equal(bad.code, 1);
  });

  it('supports server dry-run as kubectl finds it in the OpenAPI document: diff, apply and delete change nothing', async () => {
    const current = JSON.parse((await runKubectl(kubeconfig, ['get', 'deployment', 'rollout', '-o', 'json'])).stdout) as V1Deployment;
    const changed = DEPLOYMENT.replace('replicas: 2', 'replicas: 9');
    const diff = await runKubectl(kubeconfig, ['diff', '-f', '-'], { input: changed });
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /^\+ {2}replicas: 9$/m);
    const dryApply = await runKubectl(kubeconfig, ['apply', '--server-side', '--force-conflicts', '--dry-run=server', '-f', '-'], { input: changed });
    assert.equal(dryApply.code, 0, dryApply.stderr);
    assert.match(dryApply.stdout, /\(server dry run\)/);
    const dryDelete = await runKubectl(kubeconfig, ['delete', 'deployment', 'rollout', '--dry-run=server']);
    assert.equal(dryDelete.stdout.trim(), 'deployment.apps "rollout" deleted (server dry run)');
    const after = JSON.parse((await runKubectl(kubeconfig, ['get', 'deployment', 'rollout', '-o', 'json'])).stdout) as V1Deployment;
    assert.equal(after.spec?.replicas, current.spec?.replicas);
    assert.equal(after.metadata?.resourceVersion, current.metadata?.resourceVersion);
  });

  it('selects by label and watches with kubectl get -w', async () => {
    const selected = await runKubectl(kubeconfig, ['get', 'deployments', '-l', 'team=models', '-o', 'name']);
    assert.equal(selected.stdout.trim(), 'deployment.apps/rollout');
    const none = await runKubectl(kubeconfig, ['get', 'deployments', '-l', 'team notin (models)', '-o', 'name']);
    assert.equal(none.stdout.trim(), '');
    const badSelector = await runKubectl(kubeconfig, ['get', 'deployments', '-l', 'team in (']);
    assert.notEqual(badSelector.code, 0);
    const watching = runKubectl(kubeconfig, ['get', 'deployment', 'rollout', '-w', '--request-timeout=3s'], { timeoutInMs: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await runKubectl(kubeconfig, ['scale', 'deployment', 'rollout', '--replicas=5']);
    const output = (await watching).stdout;
    assert.match(output, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nrollout\s+2\/4\s+2\s+2\s+\S+\nrollout\s+2\/5\s+2\s+2\s+\S+/);
  });

  it('stores secrets stringData as base64 data, refuses bad base64, and canonicalises quantities', async () => {
    const created = await runKubectl(kubeconfig, ['create', '-f', '-', '-o', 'json'], { input: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: model-key\nstringData:\n  key: s3cret\n' });
    assert.equal(created.code, 0, created.stderr);
    const secret = JSON.parse(created.stdout) as { data: Record<string, string>; stringData?: unknown; type: string; metadata: { generation?: number } };
    assert.deepEqual(secret.data, { key: Buffer.from('s3cret').toString('base64') });
    assert.equal(secret.stringData, undefined);
    assert.equal(secret.type, 'Opaque');
    assert.equal(secret.metadata.generation, undefined);
    const bad = await runKubectl(kubeconfig, ['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: bad\ndata:\n  key: "not base64!"\n' });
    assert.match(bad.stderr, /Error from server \(BadRequest\): error when creating "STDIN": Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3/);
    const scaledDown = await runKubectl(kubeconfig, ['set', 'resources', 'deployment', 'rollout', '--requests=cpu=0.25,memory=0.5Gi', '-o', 'json']);
    assert.equal(scaledDown.code, 0, scaledDown.stderr);
    const resources = (JSON.parse(scaledDown.stdout) as V1Deployment).spec?.template.spec?.containers[0]?.resources;
    assert.deepEqual(resources?.requests, { cpu: '250m', memory: '512Mi' });
  });

  it('writes status only through /status, and answers 409 AlreadyExists and 422 Invalid with Status bodies', async () => {
    const before = await apps.readNamespacedDeployment({ name: 'rollout', namespace: 'default' });
    const patched = await apps.patchNamespacedDeploymentStatus(
      { name: 'rollout', namespace: 'default', body: { status: { observedGeneration: 9, replicas: 7 }, spec: { replicas: 1 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.equal(patched.status?.replicas, 7);
    assert.equal(patched.spec?.replicas, before.spec?.replicas, 'spec is not changed through /status');
    const body = (error: Error): Record<string, unknown> => {
      assert.ok(error instanceof ApiException);
      return JSON.parse(String(error.body)) as Record<string, unknown>;
    };
    const exists = body(await rejectionOf(apps.createNamespacedDeployment({ namespace: 'default', body: { ...before, metadata: { name: 'rollout' } } })));
    assert.deepEqual(exists, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "rollout" already exists',
      reason: 'AlreadyExists',
      details: { name: 'rollout', group: 'apps', kind: 'deployments' },
      code: 409,
    });
    const invalid = body(await rejectionOf(apps.createNamespacedDeployment({ namespace: 'default', body: { metadata: { name: 'Bad_Name' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } } })));
    assert.equal(invalid.code, 422);
    assert.equal(invalid.reason, 'Invalid');
    assert.deepEqual((invalid.details as { causes: { field: string; reason: string }[] }).causes.map((cause) => `${cause.reason} ${cause.field}`), ['FieldValueInvalid metadata.name']);
    assert.match(String(invalid.message), /^Deployment\.apps "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    assert.equal((await apps.readNamespacedDeployment({ name: 'rollout', namespace: 'default' })).status?.replicas, 7);
  });
});
