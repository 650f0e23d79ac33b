import assert from 'node:assert/strict';
import { parseRequestInfo } from '../../../emulator/kubernetes/api/request-info';
import { applyDefaults } from '../../../emulator/kubernetes/admission/defaulting';
import { validateObject, validateUpdate } from '../../../emulator/kubernetes/admission/validation';
import { hpaV1ToV2, hpaV2ToV1 } from '../../../emulator/kubernetes/api/hpa-v1-conversion';

const q = (text = ''): URLSearchParams => new URLSearchParams(text);

function deployment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'reg/web:1.0' }] } },
      ...overrides,
    },
  };
}

describe('Kubernetes API request parsing', () => {
  it('reads resources, namespaces, names, subresources and verbs as kube-apiserver does', () => {
    assert.deepEqual(parseRequestInfo('GET', '/apis/apps/v1/namespaces/ns/deployments/web/scale', q()), {
      kind: 'resource', group: 'apps', version: 'v1', namespace: 'ns', resource: 'deployments', name: 'web', subresource: 'scale', verb: 'get',
    });
    assert.equal((parseRequestInfo('GET', '/api/v1/namespaces/ns/pods', q('watch=true')) as { verb: string }).verb, 'watch');
    assert.equal((parseRequestInfo('GET', '/api/v1/watch/namespaces/ns/pods/p', q()) as { verb: string }).verb, 'watch');
    assert.equal((parseRequestInfo('DELETE', '/api/v1/namespaces/ns/pods', q()) as { verb: string }).verb, 'deletecollection');
    assert.deepEqual(parseRequestInfo('GET', '/api/v1/namespaces/ns', q()), { kind: 'resource', group: '', version: 'v1', namespace: 'ns', resource: 'namespaces', name: 'ns', subresource: undefined, verb: 'get' });
    assert.deepEqual(parseRequestInfo('GET', '/apis/apps/v1', q()), { kind: 'nonResource', path: '/apis/apps/v1', verb: 'get' });
    assert.equal(parseRequestInfo('GET', '/version', q()).kind, 'nonResource');
  });
});

describe('Kubernetes defaulting and validation', () => {
  it('defaults a Deployment as the API server does', () => {
    const object = deployment();
    applyDefaults('apps', 'Deployment', object);
    const spec = object.spec as Record<string, unknown>;
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.progressDeadlineSeconds, 600);
    const template = spec.template as { metadata: Record<string, unknown>; spec: Record<string, unknown> & { containers: Record<string, unknown>[] } };
    assert.equal(template.metadata.creationTimestamp, null);
    assert.equal(template.spec.restartPolicy, 'Always');
    assert.equal(template.spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
    assert.equal(template.spec.containers[0]?.terminationMessagePath, '/dev/termination-log');
    assert.deepEqual(validateObject('apps', 'Deployment', object), []);
  });

  it('pulls :latest and untagged images Always, and copies limits to missing requests', () => {
    const object = deployment();
    const containers = ((object.spec as Record<string, unknown>).template as { spec: { containers: Record<string, unknown>[] } }).spec.containers;
    containers.push({ name: 'latest', image: 'reg/web', resources: { limits: { cpu: '500m' } } });
    applyDefaults('apps', 'Deployment', object);
    assert.equal(containers[1]?.imagePullPolicy, 'Always');
    assert.deepEqual(containers[1]?.resources, { limits: { cpu: '500m' }, requests: { cpu: '500m' } });
  });

  it('returns the causes kube-apiserver returns for an invalid Deployment', () => {
    const object = deployment({ replicas: -1, selector: { matchLabels: { app: 'other' } } });
    const template = (object.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template;
    template.spec.containers = [{ name: 'Web_1' }];
    assert.deepEqual(validateObject('apps', 'Deployment', object), [
      { reason: 'FieldValueInvalid', message: 'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`', field: 'spec.template.metadata.labels' },
      {
        reason: 'FieldValueInvalid',
        message:
          "Invalid value: \"Web_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        field: 'spec.template.spec.containers[0].name',
      },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers[0].image' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' },
    ]);
  });

  it('refuses a changed Deployment selector as immutable', () => {
    const before = deployment();
    const after = deployment({ selector: { matchLabels: { app: 'web', v: '2' } } });
    assert.deepEqual(validateUpdate('apps', 'Deployment', before, after).map((cause) => `${cause.field ?? ''}: ${cause.message ?? ''}`), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable']);
  });

  it('converts autoscaling/v1 HPAs to v2 and back', () => {
    const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } };
    const v2 = hpaV1ToV2(v1);
    assert.deepEqual((v2.spec as { metrics: unknown }).metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    const back = hpaV2ToV1({ ...v2, status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70 } } }] } });
    assert.deepEqual(back.spec, v1.spec);
    assert.deepEqual(back.status, { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 70 });
  });
});
