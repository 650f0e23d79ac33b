/**
 * The local AKS through @kubernetes/client-node 1.4 (the client the tasks can bundle on Node 20): the
 * admin kubeconfig from listClusterAdminCredential, server-side apply with a field manager, read, the
 * scale subresource, a 409 conflict with its FieldManagerConflict cause, events with a field selector,
 * a watch that sees the changes, delete and 404, and 403 for an Entra ID identity without rights.
 */
import assert from 'node:assert/strict';
import { ApiException, AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, Watch, type V1Deployment } from '@kubernetes/client-node';
import { API_SERVER_ONLY } from '../../emulator/kubernetes/runtime/api-server-only';
import { rejectionOf, useLocalAzure } from './local-azure-fixture';
import { aksToken, clusterNamed, containerServiceClient, decodeKubeconfig, ENTRA_CLUSTER, LOCAL_CLUSTER, RESOURCE_GROUP } from './aks-support/aks-fixture';
import { eventually } from '../support/eventually';

const NAMESPACE = 'default';
const APPLY = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

function manifest(name: string, replicas: number): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: '127.0.0.1:5000/models/web:1', ports: [{ containerPort: 8080 }] }] } },
    },
  };
}

function statusOf(error: Error): { code: number; body: Record<string, unknown> } {
  assert.ok(error instanceof ApiException, `expected an ApiException, got ${error.name}: ${error.message}`);
  const body = typeof error.body === 'string' ? (JSON.parse(error.body) as Record<string, unknown>) : (error.body as Record<string, unknown>);
  return { code: error.code, body };
}

describe('local AKS: @kubernetes/client-node', function () {
  this.timeout(120_000);
  // The API server alone (as envtest runs it): no controller adds status updates or events to what these tests expect.
  const azure = useLocalAzure({ kubernetesRuntime: API_SERVER_ONLY });
  let apps: AppsV1Api;
  let core: CoreV1Api;
  let config: KubeConfig;

  before(async () => {
    const result = await containerServiceClient(azure()).managedClusters.listClusterAdminCredentials(RESOURCE_GROUP, LOCAL_CLUSTER);
    config = new KubeConfig();
    config.loadFromString(decodeKubeconfig(result.kubeconfigs?.[0]?.value));
    assert.equal(config.getCurrentContext(), `${LOCAL_CLUSTER}-admin`);
    apps = config.makeApiClient(AppsV1Api);
    core = config.makeApiClient(CoreV1Api);
  });

  it('applies server-side, reads the defaulted object and scales it', async () => {
    const applied = await apps.patchNamespacedDeployment({ name: 'api', namespace: NAMESPACE, body: manifest('api', 2), fieldManager: 'deployer' }, APPLY);
    assert.equal(applied.spec?.replicas, 2);
    assert.equal(applied.metadata?.managedFields?.[0]?.manager, 'deployer');
    assert.equal(applied.metadata?.managedFields?.[0]?.operation, 'Apply');
    const read = await apps.readNamespacedDeployment({ name: 'api', namespace: NAMESPACE });
    assert.equal(read.spec?.strategy?.type, 'RollingUpdate');
    assert.equal(read.spec?.template.spec?.containers[0]?.imagePullPolicy, 'IfNotPresent');
    assert.equal(read.spec?.template.spec?.restartPolicy, 'Always');
    const scale = await apps.readNamespacedDeploymentScale({ name: 'api', namespace: NAMESPACE });
    assert.equal(scale.spec?.replicas, 2);
    assert.equal(scale.status?.selector, 'app=api');
    const scaled = await apps.replaceNamespacedDeploymentScale({ name: 'api', namespace: NAMESPACE, body: { metadata: { name: 'api', namespace: NAMESPACE }, spec: { replicas: 3 } } });
    assert.equal(scaled.spec?.replicas, 3);
    const after = await apps.readNamespacedDeployment({ name: 'api', namespace: NAMESPACE });
    assert.equal(after.spec?.replicas, 3);
    assert.equal(after.metadata?.generation, 2);
  });

  it('answers a second field manager with a 409 Conflict and its FieldManagerConflict cause; force takes over', async () => {
    await apps.patchNamespacedDeployment({ name: 'shared', namespace: NAMESPACE, body: manifest('shared', 1), fieldManager: 'team-a' }, APPLY);
    const error = await rejectionOf(apps.patchNamespacedDeployment({ name: 'shared', namespace: NAMESPACE, body: manifest('shared', 5), fieldManager: 'team-b' }, APPLY));
    const { code, body } = statusOf(error);
    assert.equal(code, 409);
    assert.deepEqual(body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "team-a": .spec.replicas',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "team-a"', field: '.spec.replicas' }] },
      code: 409,
    });
    const forced = await apps.patchNamespacedDeployment({ name: 'shared', namespace: NAMESPACE, body: manifest('shared', 5), fieldManager: 'team-b', force: true }, APPLY);
    assert.equal(forced.spec?.replicas, 5);
  });

  it('creates and lists events with a field selector', async () => {
    await core.createNamespacedEvent({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'api.event-1' },
        involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: NAMESPACE },
        reason: 'ScalingReplicaSet',
        message: 'Scaled up replica set api-1 to 3',
        type: 'Normal',
      },
    });
    const events = await core.listNamespacedEvent({ namespace: NAMESPACE, fieldSelector: 'involvedObject.kind=Deployment,involvedObject.name=api' });
    assert.deepEqual(events.items.map((event) => event.reason), ['ScalingReplicaSet']);
    const none = await core.listNamespacedEvent({ namespace: NAMESPACE, fieldSelector: 'involvedObject.name=other' });
    assert.deepEqual(none.items, []);
  });

  it('watches deployments: ADDED, MODIFIED on scale, DELETED', async () => {
    const seen: string[] = [];
    const request = await new Watch(config).watch(
      `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`,
      { labelSelector: 'app=watched' },
      (type: string, object: V1Deployment) => seen.push(`${type} ${object.metadata?.name ?? ''} ${object.spec?.replicas ?? ''}`),
      () => undefined,
    );
    try {
      await apps.patchNamespacedDeployment({ name: 'watched', namespace: NAMESPACE, body: manifest('watched', 1), fieldManager: 'deployer' }, APPLY);
      await apps.patchNamespacedDeploymentScale({ name: 'watched', namespace: NAMESPACE, body: { spec: { replicas: 2 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await apps.deleteNamespacedDeployment({ name: 'watched', namespace: NAMESPACE });
      // The runtime's status writes add MODIFIED events of their own; the watch must show these three, in order.
      await eventually('the watch to see the deletion', () => Promise.resolve(seen.some((line) => line.startsWith('DELETED')) ? true : undefined), { timeoutInMs: 10_000, lastSeen: () => seen.join('; ') });
      assert.equal(seen[0], 'ADDED watched 1');
      assert.equal(seen[seen.length - 1], 'DELETED watched 2');
      assert.ok(seen.includes('MODIFIED watched 2'), seen.join('; '));
      assert.equal(seen.filter((line) => line.startsWith('ADDED')).length, 1);
    } finally {
      request.abort();
    }
  });

  it('deletes, then reads 404 NotFound', async () => {
    const status = await apps.deleteNamespacedDeployment({ name: 'api', namespace: NAMESPACE });
    assert.equal(status.status, 'Success');
    const { code, body } = statusOf(await rejectionOf(apps.readNamespacedDeployment({ name: 'api', namespace: NAMESPACE })));
    assert.equal(code, 404);
    assert.equal(body.reason, 'NotFound');
    assert.equal(body.message, 'deployments.apps "api" not found');
  });

  it('gives an Entra ID identity without Kubernetes rights 403 Forbidden', async () => {
    const cluster = clusterNamed(azure(), ENTRA_CLUSTER);
    const entra = new KubeConfig();
    entra.loadFromString(cluster.tokenKubeconfig(await aksToken(azure(), 'spnPullOnly')));
    const { code, body } = statusOf(await rejectionOf(entra.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: NAMESPACE })));
    assert.equal(code, 403);
    assert.equal(body.reason, 'Forbidden');
    assert.match(String(body.message), /^pods is forbidden: User "[0-9a-f-]{36}" cannot list resource "pods" in API group "" in the namespace "default": User does not have access to the resource in Azure\. Update role assignment to allow access\.$/);
    const writer = new KubeConfig();
    writer.loadFromString(cluster.tokenKubeconfig(await aksToken(azure(), 'spnKey')));
    const pods = await writer.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: NAMESPACE });
    assert.deepEqual(pods.items, []);
  });
});
