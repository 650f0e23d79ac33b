import assert from 'node:assert/strict';
import { createFieldManager } from '../../../emulator/kubernetes/apply/managed-fields';
import { FieldSet, formatPath } from '../../../emulator/kubernetes/apply/field-set';
import { sharedKubernetesSchema } from '../../../emulator/kubernetes/openapi/kubernetes-schema';
import { KubernetesStatusError } from '../../../emulator/kubernetes/status-errors';

const schema = sharedKubernetesSchema();
const deploymentSchema = schema.definition('io.k8s.api.apps.v1.Deployment');
const manager = createFieldManager(schema);
const TIME = '2026-12-07T01:00:00Z';

function config(replicas: number, image = 'reg/web:1', extraEnv: { name: string; value: string }[] = []): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, env: extraEnv, ports: [{ containerPort: 8080 }] }] } },
    },
  };
}

function apply(live: Record<string, unknown> | undefined, applied: Record<string, unknown>, who: string, force = false) {
  const result = manager.apply({ live, applied, manager: who, force, apiVersion: 'apps/v1', schema: deploymentSchema, time: TIME });
  return { ...result.object, metadata: { ...(result.object.metadata as object), managedFields: result.managedFields } } as Record<string, unknown>;
}

function conflictOf(action: () => unknown): KubernetesStatusError {
  try {
    action();
  } catch (error) {
    if (error instanceof KubernetesStatusError) return error;
    throw error;
  }
  assert.fail('expected a conflict');
}

describe('server-side apply field management', () => {
  it('records the applier as owner of leaves and keyed list items, as FieldsV1', () => {
    const object = apply(undefined, config(2), 'kubectl');
    const [entry] = (object.metadata as { managedFields: { manager: string; operation: string; fieldsV1: Record<string, unknown> }[] }).managedFields;
    assert.equal(entry?.manager, 'kubectl');
    assert.equal(entry?.operation, 'Apply');
    const fields = entry?.fieldsV1 as { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': Record<string, Record<string, unknown>> } } } };
    const container = fields['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}'];
    assert.deepEqual(Object.keys(container ?? {}), ['.', 'f:env', 'f:image', 'f:name', 'f:ports']);
    assert.deepEqual(Object.keys(container?.['f:ports'] ?? {}), ['k:{"containerPort":8080,"protocol":"TCP"}']);
  });

  it('lets another manager apply the same value (shared ownership) but not a different one', () => {
    const first = apply(undefined, config(2), 'a');
    const shared = apply(first, config(2), 'b');
    assert.equal((shared.metadata as { managedFields: unknown[] }).managedFields.length, 2);
    const error = conflictOf(() => apply(shared, config(3, 'reg/web:2'), 'b'));
    assert.equal(error.status.code, 409);
    assert.equal(error.status.reason, 'Conflict');
    assert.equal(error.message, 'Apply failed with 2 conflicts: conflicts with "a":\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image');
    assert.deepEqual(error.status.details?.causes?.map((cause) => cause.field), ['.spec.replicas', '.spec.template.spec.containers[name="web"].image']);
  });

  it('with force moves the conflicting fields to the applier', () => {
    const first = apply(undefined, config(2), 'a');
    const forced = apply(first, config(5), 'b', true);
    const entries = (forced.metadata as { managedFields: { manager: string; fieldsV1: unknown }[] }).managedFields;
    const ownersOfReplicas = entries.filter((entry) => FieldSet.fromFieldsV1(entry.fieldsV1).has(['f:spec', 'f:replicas'])).map((entry) => entry.manager);
    assert.deepEqual(ownersOfReplicas, ['b']);
    assert.equal((forced.spec as { replicas: number }).replicas, 5);
  });

  it('removes a field the applier stops applying, unless another manager owns it', () => {
    const withEnv = apply(undefined, config(1, 'reg/web:1', [{ name: 'MODE', value: 'x' }]), 'a');
    const withoutEnv = apply(withEnv, config(1), 'a');
    const containers = (withoutEnv.spec as { template: { spec: { containers: { env?: unknown[] }[] } } }).template.spec.containers;
    assert.deepEqual(containers[0]?.env, []);
    const replicasKept = apply(apply(apply(undefined, config(1), 'a'), config(1), 'b'), { ...config(1), spec: { ...(config(1).spec as object), replicas: undefined } }, 'a');
    assert.equal((replicasKept.spec as { replicas?: number }).replicas, 1);
  });

  it('an update moves the fields it changes to its manager (Update operation, with subresource)', () => {
    const applied = apply(undefined, config(2), 'kubectl');
    const scaled = structuredClone(applied);
    (scaled.spec as { replicas: number }).replicas = 4;
    const entries = manager.update({ before: applied, after: scaled, manager: 'kubectl', apiVersion: 'apps/v1', subresource: 'scale', schema: deploymentSchema, time: TIME });
    const scaleEntry = entries.find((entry) => entry.subresource === 'scale');
    assert.deepEqual(scaleEntry?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.equal(scaleEntry?.operation, 'Update');
    const applyEntry = entries.find((entry) => entry.operation === 'Apply');
    assert.equal(FieldSet.fromFieldsV1(applyEntry?.fieldsV1).has(['f:spec', 'f:replicas']), false);
    const error = conflictOf(() => manager.apply({ live: { ...scaled, metadata: { ...(scaled.metadata as object), managedFields: entries } }, applied: config(2), manager: 'kubectl', force: false, apiVersion: 'apps/v1', schema: deploymentSchema, time: TIME }));
    assert.equal(error.message, 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  });

  it('formats paths as Kubernetes prints them', () => {
    assert.equal(formatPath(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:ports', 'k:{"containerPort":80,"protocol":"TCP"}', 'f:name']), '.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].name');
    assert.equal(formatPath(['f:metadata', 'f:finalizers', 'v:"x"']), '.metadata.finalizers[="x"]');
  });
});
