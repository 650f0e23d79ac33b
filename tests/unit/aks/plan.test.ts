import * as assert from 'node:assert/strict';
import type { Deployment } from '../../../tasks/DeployToAksV1/src/kube-objects';
import { FIELD_MANAGER, LABEL, needsReplicasHandover, planObjects, replicasHandover, secretName } from '../../../tasks/DeployToAksV1/src/plan';
import { IMAGE, inputsOf } from './fixtures';

const HASH = `scrypt1.${'0'.repeat(32)}.${'9f'.repeat(32)}`;

describe('DeployToAks plan', () => {
  it('builds a Deployment, Service and nothing else from the defaults', () => {
    const plan = planObjects(inputsOf(), { image: IMAGE });
    assert.equal(plan.autoscaler, undefined);
    assert.equal(plan.disruptionBudget, undefined);
    assert.equal(plan.secret, undefined);
    const { deployment, service } = plan;
    assert.deepEqual(deployment.metadata.labels, { [LABEL.name]: 'iris', [LABEL.managedBy]: 'ai-model-deploy' });
    assert.equal(deployment.spec?.replicas, 1);
    assert.deepEqual(deployment.spec?.selector, { matchLabels: { [LABEL.name]: 'iris', [LABEL.managedBy]: 'ai-model-deploy' } });
    assert.equal(deployment.spec?.progressDeadlineSeconds, 600);
    assert.deepEqual(deployment.spec?.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    assert.deepEqual(deployment.spec?.template?.spec?.containers, [
      { name: 'iris', image: IMAGE, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], resources: { requests: { cpu: '250m', memory: '512Mi' } } },
    ]);
    assert.deepEqual(service.spec, { type: 'LoadBalancer', selector: deployment.spec?.selector?.matchLabels, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }] });
  });

  it('gives the same objects for the same inputs (an unchanged redeploy changes nothing)', () => {
    const context = { image: IMAGE, model: { name: 'iris', version: '1.0.42' }, secureEnvHash: HASH };
    const inputs = inputsOf({ secureEnvironmentVariables: 'KEY=v', autoscaling: 'true', minAvailable: '50%' });
    assert.deepEqual(planObjects(inputs, context), planObjects(inputs, context));
  });

  it('leaves spec.replicas to the autoscaler and targets the Deployment with autoscaling/v2', () => {
    const plan = planObjects(inputsOf({ autoscaling: 'true', minReplicas: '1', maxReplicas: '3', targetCpuUtilization: '50' }), { image: IMAGE });
    assert.equal(plan.deployment.spec && 'replicas' in plan.deployment.spec, false);
    assert.deepEqual(plan.autoscaler?.spec, {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'iris' },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    });
    assert.equal(plan.autoscaler?.apiVersion, 'autoscaling/v2');
    const quick = planObjects(inputsOf({ autoscaling: 'true', scaleDownStabilizationWindow: '30s' }), { image: IMAGE });
    assert.deepEqual((quick.autoscaler?.spec as { behavior?: unknown }).behavior, { scaleDown: { stabilizationWindowSeconds: 30 } });
  });

  it('puts secure values in a Secret named after their hash, referenced by the pods', () => {
    const plan = planObjects(inputsOf({ secureEnvironmentVariables: 'API_KEY=s3cr3t' }), { image: IMAGE, secureEnvHash: HASH });
    const name = secretName('iris', HASH);
    assert.equal(name, 'iris-env-9f9f9f9f9f');
    assert.deepEqual(plan.secret?.data, { API_KEY: Buffer.from('s3cr3t').toString('base64') });
    assert.equal(plan.secret?.metadata.labels?.[LABEL.deployment], 'iris');
    assert.deepEqual(plan.deployment.spec?.template?.spec?.containers?.[0]?.envFrom, [{ secretRef: { name } }]);
    assert.ok(!JSON.stringify(plan.deployment).includes('s3cr3t'));
  });

  it('labels every object with the model from the image labels, made valid label values', () => {
    const plan = planObjects(inputsOf({ labels: 'team=ml' }), { image: IMAGE, model: { name: 'Iris classifier', version: '1.0.42+build' } });
    assert.deepEqual(plan.service.metadata.labels, { team: 'ml', [LABEL.name]: 'iris', [LABEL.managedBy]: 'ai-model-deploy', [LABEL.model]: 'Iris-classifier', [LABEL.version]: '1.0.42-build' });
    assert.deepEqual(plan.deployment.spec?.template?.metadata?.labels, plan.service.metadata.labels);
    assert.equal(plan.deployment.metadata.annotations?.['ai-model-deploy.io/model-version'], '1.0.42+build');
  });

  it('asks GPU nodes for GPU pods, an internal load balancer, a PDB, probes and Recreate when told', () => {
    const plan = planObjects(
      inputsOf({ gpuCount: '1', serviceType: 'InternalLoadBalancer', replicas: '2', minAvailable: '1', readinessProbePath: '/ready', strategy: 'Recreate', cpuLimit: '1', memoryLimit: '1Gi' }),
      { image: IMAGE },
    );
    const pod = plan.deployment.spec?.template?.spec ?? {};
    assert.deepEqual(pod.nodeSelector, { 'kubernetes.azure.com/accelerator': 'nvidia' });
    assert.deepEqual(pod.tolerations, [
      { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    assert.deepEqual(pod.containers?.[0]?.resources, { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' } });
    assert.deepEqual(pod.containers?.[0]?.readinessProbe, { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 0, periodSeconds: 5, failureThreshold: 3 });
    assert.equal(plan.service.metadata.annotations?.['service.beta.kubernetes.io/azure-load-balancer-internal'], 'true');
    assert.deepEqual(plan.disruptionBudget?.spec, { minAvailable: 1, selector: { matchLabels: plan.deployment.spec?.selector?.matchLabels } });
    assert.deepEqual(plan.deployment.spec?.strategy, { type: 'Recreate' });
    assert.equal((planObjects(inputsOf({ serviceType: 'ClusterIP' }), { image: IMAGE }).service.spec as { type?: string }).type, 'ClusterIP');
  });

  it("hands spec.replicas over before autoscaling drops it, only when the task's apply owned it", () => {
    const owned: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'iris', namespace: 'models', managedFields: [{ manager: FIELD_MANAGER, operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:template': {} } } }] },
      spec: { replicas: 3 },
    };
    const autoscaling = inputsOf({ autoscaling: 'true' });
    assert.equal(needsReplicasHandover(owned, autoscaling), true);
    assert.equal(needsReplicasHandover(owned, inputsOf()), false);
    assert.equal(needsReplicasHandover(undefined, autoscaling), false);
    const released = { ...owned, metadata: { ...owned.metadata, managedFields: [{ manager: FIELD_MANAGER, operation: 'Apply' as const, fieldsV1: { 'f:spec': { 'f:template': {} } } }] } };
    assert.equal(needsReplicasHandover(released, autoscaling), false);
    assert.deepEqual(replicasHandover(owned), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'iris', namespace: 'models' }, spec: { replicas: 3 } });
  });
});
