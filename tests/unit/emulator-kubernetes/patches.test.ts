import assert from 'node:assert/strict';
import { applyJsonPatch, applyMergePatch, createStrategicMerge } from '../../../emulator/kubernetes/api/patches';
import { sharedKubernetesSchema } from '../../../emulator/kubernetes/openapi/kubernetes-schema';
import { KubernetesStatusError } from '../../../emulator/kubernetes/status-errors';

const schema = sharedKubernetesSchema();
const strategic = createStrategicMerge(schema);
const deploymentSchema = schema.definition('io.k8s.api.apps.v1.Deployment');

const live = {
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'reg/web:1', env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'reg/side:1' },
        ],
      },
    },
  },
};

describe('Kubernetes patches', () => {
  it('JSON patch: add, replace, remove, test, and 422 on a missing path', () => {
    const patched = applyJsonPatch(live, [
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels/version', value: 'v2' },
      { op: 'remove', path: '/metadata/labels/tier' },
      { op: 'test', path: '/spec/template/spec/containers/1/name', value: 'sidecar' },
    ]) as typeof live;
    assert.equal(patched.spec.replicas, 3);
    assert.deepEqual(patched.metadata.labels, { app: 'web', version: 'v2' });
    assert.throws(() => applyJsonPatch(live, [{ op: 'replace', path: '/spec/paused', value: true }]), (error: unknown) => error instanceof KubernetesStatusError && error.status.code === 422);
  });

  it('merge patch: replaces lists whole and deletes with null', () => {
    const patched = applyMergePatch(live, { metadata: { labels: { tier: null } }, spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }] } } } }) as typeof live;
    assert.deepEqual(patched.metadata.labels, { app: 'web' });
    assert.deepEqual(patched.spec.template.spec.containers, [{ name: 'only', image: 'x' }]);
  });

  it('strategic merge patch: merges containers by name, deletes with $patch, orders with $setElementOrder', () => {
    const patched = strategic(
      live,
      {
        spec: {
          template: {
            spec: {
              $setElementOrder: undefined,
              '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }],
              containers: [{ name: 'web', image: 'reg/web:2', env: [{ name: 'B', value: '2' }] }],
            },
          },
        },
      },
      deploymentSchema,
    ) as typeof live;
    assert.deepEqual(
      patched.spec.template.spec.containers.map((container) => `${container.name}=${container.image}`),
      ['sidecar=reg/side:1', 'web=reg/web:2'],
    );
    assert.deepEqual(patched.spec.template.spec.containers[1]?.env, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    const removed = strategic(live, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }, deploymentSchema) as typeof live;
    assert.deepEqual(removed.spec.template.spec.containers.map((container) => container.name), ['web']);
  });

  it('strategic merge patch: $patch replace on a map and $retainKeys', () => {
    const replaced = strategic(live, { metadata: { labels: { $patch: 'replace', only: 'this' } } }, deploymentSchema) as typeof live;
    assert.deepEqual(replaced.metadata.labels, { only: 'this' });
    const strategy = strategic({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } }, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deploymentSchema);
    assert.deepEqual(strategy, { spec: { strategy: { type: 'Recreate' } } });
  });
});
