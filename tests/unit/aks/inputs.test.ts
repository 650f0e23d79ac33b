import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePipeline } from '../../../scripts/pipeline/parse';
import { InputError } from '../../../tasks/common/errors';
import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import { readInputs } from '../../../tasks/DeployToAksV1/src/inputs';
import { IMAGE, inputsOf } from './fixtures';

function refusal(overrides: Record<string, string | undefined>, context: { pipelineImage?: string } = {}): InputError {
  try {
    inputsOf(overrides, context);
  } catch (error) {
    assert.ok(error instanceof InputError, `not an InputError: ${String(error)}`);
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(overrides)}`);
}

describe('DeployToAks inputs', () => {
  it('reads the defaults into a typed object', () => {
    const inputs = inputsOf();
    assert.equal(inputs.namespace, 'default');
    assert.equal(inputs.deploymentName, 'iris');
    assert.equal(inputs.image.reference, IMAGE);
    assert.equal(inputs.imageSource, 'input');
    assert.equal(inputs.containerPort, 8080);
    assert.deepEqual(inputs.scaling, { kind: 'fixed', replicas: 1 });
    assert.deepEqual(inputs.strategy, { kind: 'RollingUpdate', maxSurge: '25%', maxUnavailable: '25%' });
    assert.deepEqual(inputs.resources, { cpuRequest: '250m', memoryRequest: '512Mi', gpuCount: 0 });
    assert.equal(inputs.serviceType, 'LoadBalancer');
    assert.equal(inputs.rolloutTimeoutInMs, 600_000);
    assert.equal(inputs.rollbackOnFailure, true);
    assert.equal(inputs.useClusterAdmin, false);
    assert.equal(inputs.minAvailable, undefined);
  });

  it("takes the image BuildAndPushAiImage pushed when 'image' is empty, and says so when it is missing", () => {
    const inputs = inputsOf({ image: undefined }, { pipelineImage: IMAGE });
    assert.equal(inputs.imageSource, 'pipeline');
    assert.match(refusal({ image: undefined }).message, /^Input 'image' is required.*AiModelDeploy\.ImageUri/);
    assert.match(refusal({ image: undefined }, { pipelineImage: 'Not An Image' }).message, /^Input 'image' must be .*the variable AiModelDeploy\.ImageUri/);
  });

  it('masks secure environment values the moment they are read', () => {
    const secrets: string[] = [];
    const inputs = inputsOf({ secureEnvironmentVariables: 'API_KEY=s3cr3t=x\nTOKEN=abc' }, { secrets });
    assert.deepEqual(secrets, ['s3cr3t=x', 'abc']);
    assert.deepEqual(inputs.secureEnvironmentVariables, [{ key: 'API_KEY', value: 's3cr3t=x' }, { key: 'TOKEN', value: 'abc' }]);
  });

  it('reads autoscaling, and refuses a maximum below the minimum or no target', () => {
    const inputs = inputsOf({ autoscaling: 'true', minReplicas: '2', maxReplicas: '5', targetCpuUtilization: '50', targetMemoryUtilization: '80' });
    assert.deepEqual(inputs.scaling, { kind: 'autoscaling', minReplicas: 2, maxReplicas: 5, targetCpuUtilization: 50, targetMemoryUtilization: 80 });
    assert.equal(refusal({ autoscaling: 'true', minReplicas: '3', maxReplicas: '2' }).message, "Input 'maxReplicas' must be a whole number not below 'minReplicas' (3); got '2'.");
    assert.match(refusal({ autoscaling: 'true', targetCpuUtilization: undefined }).message, /^Input 'targetCpuUtilization' is required/);
    assert.match(refusal({ autoscaling: 'true', cpuRequest: undefined }).message, /^Input 'cpuRequest' is required.*percentage of the pods' cpu request/);
    assert.match(refusal({ autoscaling: 'yes' }).message, /^Input 'autoscaling' must be 'true' or 'false'; got 'yes'/);
    assert.deepEqual(inputsOf({ autoscaling: 'true', scaleDownStabilizationWindow: '2m' }).scaling, { kind: 'autoscaling', minReplicas: 1, maxReplicas: 3, targetCpuUtilization: 70, scaleDownStabilizationSeconds: 120 });
    assert.match(refusal({ autoscaling: 'true', scaleDownStabilizationWindow: '2 hours' }).message, /^Input 'scaleDownStabilizationWindow' must be a duration from 0s to 1h/);
  });

  it('checks Kubernetes quantities and that a limit is not below its request', () => {
    assert.equal(inputsOf({ cpuRequest: '0.5', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '1536Mi' }).resources.cpuLimit, '2');
    assert.match(refusal({ cpuRequest: 'two' }).message, /^Input 'cpuRequest' must be a cpu quantity.*got 'two'/);
    assert.match(refusal({ cpuRequest: '1.5m' }).message, /^Input 'cpuRequest'/);
    assert.match(refusal({ memoryRequest: '512' }).message, /^Input 'memoryRequest' must be a memory quantity from 4Mi/);
    assert.match(refusal({ cpuRequest: '500m', cpuLimit: '250m' }).message, /^Input 'cpuLimit' must be at least 'cpuRequest' \(500m\)/);
    assert.match(refusal({ memoryRequest: '1Gi', memoryLimit: '512Mi' }).message, /^Input 'memoryLimit' must be at least 'memoryRequest'/);
  });

  it('checks names as Kubernetes does', () => {
    assert.match(refusal({ deploymentName: 'Iris_Model' }).message, /^Input 'deploymentName' must be 1 to 47 lowercase letters/);
    assert.match(refusal({ deploymentName: 'a'.repeat(48) }).message, /^Input 'deploymentName'/);
    assert.match(refusal({ namespace: 'Models' }).message, /^Input 'namespace' must be a Kubernetes namespace name/);
    assert.match(refusal({ kubernetesCluster: '-aks' }).message, /^Input 'kubernetesCluster' must be an AKS cluster name/);
    assert.match(refusal({ resourceGroup: 'rg.' }).message, /^Input 'resourceGroup'/);
  });

  it('reads labels and annotations with Kubernetes key rules, keeping the keys the task sets', () => {
    const inputs = inputsOf({ labels: 'team=ml\napp.kubernetes.io/part-of=iris', annotations: 'owner=ml team <ml@example.com>' });
    assert.deepEqual(inputs.labels, { team: 'ml', 'app.kubernetes.io/part-of': 'iris' });
    assert.deepEqual(inputs.annotations, { owner: 'ml team <ml@example.com>' });
    assert.match(refusal({ labels: 'team=machine learning' }).message, /^Input 'labels' must be label values of at most 63/);
    assert.match(refusal({ labels: 'app.kubernetes.io/name=x' }).message, /^Input 'labels' must be keys other than 'app\.kubernetes\.io\/name'/);
    assert.match(refusal({ annotations: 'ai-model-deploy.io/image=x' }).message, /^Input 'annotations' must be keys other than 'ai-model-deploy\.io\/\.\.\.'/);
    assert.match(refusal({ labels: 'Bad Key=x' }).message, /^Input 'labels' must be KEY=VALUE lines with Kubernetes keys/);
  });

  it('reads probes, defaulting their port to the container port', () => {
    const inputs = inputsOf({ readinessProbePath: '/v2/health/ready', readinessProbePeriod: '2s', livenessProbePath: '/v2/health/live', livenessProbePort: '9000' });
    assert.deepEqual(inputs.readinessProbe, { path: '/v2/health/ready', port: 8080, initialDelaySeconds: 0, periodSeconds: 2, failureThreshold: 3 });
    assert.deepEqual(inputs.livenessProbe, { path: '/v2/health/live', port: 9000, initialDelaySeconds: 60, periodSeconds: 10, failureThreshold: 3 });
    assert.match(refusal({ readinessProbePath: 'health' }).message, /^Input 'readinessProbePath' must be an HTTP path starting with '\/'/);
  });

  it('reads the strategy and the disruption budget, refusing what could never work', () => {
    assert.deepEqual(inputsOf({ strategy: 'recreate' }).strategy, { kind: 'Recreate' });
    assert.deepEqual(inputsOf({ maxSurge: '1', maxUnavailable: '0' }).strategy, { kind: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 });
    assert.match(refusal({ maxSurge: '0', maxUnavailable: '0%' }).message, /^Input 'maxUnavailable' must be more than 0 when 'maxSurge' is 0/);
    assert.match(refusal({ maxSurge: '150%' }).message, /^Input 'maxSurge' must be a number of pods/);
    assert.equal(inputsOf({ replicas: '3', minAvailable: '2' }).minAvailable, 2);
    assert.equal(inputsOf({ minAvailable: '50%' }).minAvailable, '50%');
    assert.match(refusal({ replicas: '2', minAvailable: '2' }).message, /^Input 'minAvailable' must be fewer pods than the 'replicas' \(2\)/);
  });

  it('refuses other bad values with the input, what it got and what it accepts', () => {
    assert.equal(refusal({ serviceType: 'NodePort' }).message, "Input 'serviceType' must be one of 'LoadBalancer', 'InternalLoadBalancer', 'ClusterIP'; got 'NodePort'.");
    assert.equal(refusal({ containerPort: '0' }).message, "Input 'containerPort' must be a whole number from 1 to 65535; got '0'.");
    assert.equal(refusal({ rolloutTimeoutInMinutes: '0.1' }).message, "Input 'rolloutTimeoutInMinutes' must be a number from 0.25 to 360; got '0.1'.");
    assert.match(refusal({ environmentVariables: 'A=1', secureEnvironmentVariables: 'A=2' }).message, /^Input 'environmentVariables' must be names that are not also in secureEnvironmentVariables; got 'A in both'/);
    assert.match(refusal({ gpuCount: '17' }).message, /^Input 'gpuCount' must be a whole number from 0 to 16/);
    assert.match(refusal({ azureSubscription: undefined }).message, /^Input 'azureSubscription' is required/);
  });
});

describe('examples/aks-pipelines.yml', () => {
  it("DeployToAks step's inputs are accepted by the task", () => {
    const file = path.join(__dirname, '..', '..', '..', 'examples', 'aks-pipelines.yml');
    const pipeline = parsePipeline(fs.readFileSync(file, 'utf8'), 'aks-pipelines.yml');
    const step = pipeline.steps.find((candidate) => candidate.task === 'DeployToAksV1');
    assert.ok(step, 'the example has a DeployToAks step');
    const variables = Object.fromEntries(pipeline.variables.map((variable) => [variable.name, variable.value]));
    const expanded = Object.fromEntries(Object.entries(step.inputs).map(([name, value]) => [name, value.replace(/\$\((\w+)\)/g, (macro, variable: string) => variables[variable] ?? macro)]));
    const inputs = readInputs(inputSourceFromRecord(expanded), { pipelineImage: IMAGE, setSecret: () => undefined });
    assert.deepEqual(inputs.scaling, { kind: 'autoscaling', minReplicas: 1, maxReplicas: 3, targetCpuUtilization: 50, scaleDownStabilizationSeconds: 30 });
    assert.equal(inputs.imageSource, 'pipeline');
    assert.equal(inputs.kubernetesCluster, 'aks-models');
  });
});
