import assert from 'node:assert/strict';
import { createDiscovery } from '../../../emulator/kubernetes/api/discovery';
import { kubernetesOpenApi } from '../../../emulator/kubernetes/openapi/kubernetes-schema';
import { createOpenApiDocuments } from '../../../emulator/kubernetes/openapi/openapi-documents';
import { ProtobufWriter } from '../../../emulator/kubernetes/openapi/protobuf-writer';
import { encodeOpenApiV2 } from '../../../emulator/kubernetes/openapi/openapi-v2-protobuf';

describe('Kubernetes discovery and OpenAPI documents', () => {
  it('lists the served groups with preferred versions and the scale and status subresources', () => {
    const discovery = createDiscovery({ major: '1', minor: '36', gitVersion: 'v1.36.0' });
    const groups = (discovery.groupList() as { groups: { name: string; preferredVersion: { groupVersion: string } }[] }).groups;
    assert.deepEqual(groups.map((group) => group.preferredVersion.groupVersion), ['apps/v1', 'events.k8s.io/v1', 'autoscaling/v2', 'policy/v1', 'discovery.k8s.io/v1']);
    const apps = discovery.resourceList('apps', 'v1') as { resources: { name: string; kind: string; group?: string; version?: string; verbs: string[] }[] };
    assert.deepEqual(apps.resources.find((resource) => resource.name === 'deployments/scale'), { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    assert.ok(apps.resources.some((resource) => resource.name === 'deployments/status'));
    assert.equal(discovery.resourceList('apps', 'v2'), undefined);
    assert.equal((discovery.version() as { gitVersion: string }).gitVersion, 'v1.36.0');
  });

  it('writes protobuf varints and length-delimited fields', () => {
    const bytes = new ProtobufWriter().string(1, '2.0').int64(2, 300).message(3, (inner) => inner.bool(1, true)).finish();
    assert.deepEqual([...bytes], [0x0a, 0x03, 0x32, 0x2e, 0x30, 0x10, 0xac, 0x02, 0x1a, 0x02, 0x08, 0x01]);
  });

  it('encodes the v2 document as gnostic protobuf: swagger, info and every definition', () => {
    const document = kubernetesOpenApi();
    const encoded = encodeOpenApiV2(document as unknown as Record<string, unknown>);
    assert.deepEqual([...encoded.subarray(0, 5)], [0x0a, 0x03, 0x32, 0x2e, 0x30]);
    const text = encoded.toString('latin1');
    for (const name of ['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.core.v1.PodSpec', 'x-kubernetes-patch-merge-key']) assert.ok(text.includes(name), name);
  });

  it('serves OpenAPI v3 per group-version with components and the fieldValidation parameter', () => {
    const documents = createOpenApiDocuments(kubernetesOpenApi());
    const index = documents.v3Index() as { paths: Record<string, { serverRelativeURL: string }> };
    assert.ok(index.paths['apis/apps/v1']?.serverRelativeURL.startsWith('/openapi/v3/apis/apps/v1?hash='));
    const apps = documents.v3('apis/apps/v1') as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: unknown }>>; components: { schemas: Record<string, unknown> } };
    assert.equal(apps.openapi, '3.0.0');
    const patch = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.patch;
    assert.ok(patch?.parameters?.some((parameter) => parameter.name === 'fieldValidation'));
    assert.ok(patch?.requestBody);
    assert.ok(apps.components.schemas['io.k8s.api.apps.v1.Deployment']);
    assert.ok(!JSON.stringify(apps).includes('#/definitions/'));
  });
});
