import * as assert from 'node:assert/strict';
import { type Cancellation, uncancellable } from '../../../tasks/common/cancellation';
import { TaskError } from '../../../tasks/common/errors';
import type { SetVariableOptions } from '../../../tasks/common/task-runtime';
import type { AksClient, ManagedClusterInfo } from '../../../tasks/DeployToAksV1/src/aks-client';
import { KubeApiError, kubeFailure } from '../../../tasks/DeployToAksV1/src/kube-errors';
import type { Deployment } from '../../../tasks/DeployToAksV1/src/kube-objects';
import type { ClusterAccess } from '../../../tasks/DeployToAksV1/src/kubeconfig';
import { type AksDeps, main } from '../../../tasks/DeployToAksV1/src/main';
import { fakeClock } from '../../support/fake-clock';
import { recordingLog } from '../deploy/fixtures';
import { type FakeCluster, fakeCluster } from './fake-cluster';
import { DIGEST, inputsOf } from './fixtures';

const ENTRA_KUBECONFIG = [
  'apiVersion: v1',
  'clusters: [{name: aks, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: Q0E=}}]',
  'contexts: [{name: aks, context: {cluster: aks, user: u}}]',
  'current-context: aks',
  'users: [{name: u, user: {exec: {command: kubelogin, args: [get-token, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]}}}]',
].join('\n');
const ADMIN_KUBECONFIG = ENTRA_KUBECONFIG.replace(/users: .*/, `users: [{name: clusterAdmin, user: {client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key-data: ${Buffer.from('-----BEGIN PRIVATE KEY-----\nKEYLINE\n-----END PRIVATE KEY-----').toString('base64')}}}]`);

interface Harness {
  deps: AksDeps;
  cluster: FakeCluster;
  log: ReturnType<typeof recordingLog>;
  variables: Map<string, { value: string; options?: SetVariableOptions }>;
  summaries: string[];
  armCalls: string[];
  secrets: string[];
  connected: ClusterAccess[];
}

function harness(options: { cluster?: FakeCluster; info?: Partial<ManagedClusterInfo>; missing?: boolean } = {}): Harness {
  const cluster = options.cluster ?? fakeCluster();
  const log = recordingLog();
  const variables = new Map<string, { value: string; options?: SetVariableOptions }>();
  const summaries: string[] = [];
  const armCalls: string[] = [];
  const secrets: string[] = [];
  const connected: ClusterAccess[] = [];
  const info: ManagedClusterInfo = {
    id: '/subscriptions/s/resourceGroups/rg-models/providers/Microsoft.ContainerService/managedClusters/aks-models',
    name: 'aks-models',
    resourceGroup: 'rg-models',
    kubernetesVersion: '1.33.2',
    entraId: true,
    azureRbac: true,
    disableLocalAccounts: false,
    kubeletIdentity: { clientId: 'kubelet-client', objectId: 'kubelet-object' },
    ...options.info,
  };
  const aks: AksClient = {
    getCluster: (rg, name) => {
      armCalls.push(`get ${rg}/${name}`);
      return Promise.resolve(options.missing ? undefined : info);
    },
    clusterNames: (rg) => {
      armCalls.push(`list ${rg}`);
      return Promise.resolve(['aks-other']);
    },
    kubeconfig: (rg, name, admin) => {
      armCalls.push(`${admin ? 'admin' : 'user'} credentials ${rg}/${name}`);
      return Promise.resolve(admin ? ADMIN_KUBECONFIG : ENTRA_KUBECONFIG);
    },
  };
  const deps: AksDeps = {
    log,
    clock: fakeClock(),
    aks,
    connect: (access) => {
      connected.push(access);
      return cluster;
    },
    images: { inspect: (image) => Promise.resolve({ ...(image.digest ? { digest: image.digest } : {}), model: { name: 'iris', version: '1.0.42' } }) },
    setSecret: (value) => secrets.push(value),
    setVariable: (name, value, variableOptions) => variables.set(name, { value, ...(variableOptions ? { options: variableOptions } : {}) }),
    addSummary: (_title, markdown) => summaries.push(markdown),
    newSalt: () => '0123456789abcdef0123456789abcdef',
    pollIntervalInMs: 0,
  };
  return { deps, cluster, log, variables, summaries, armCalls, secrets, connected };
}

const imageWith = (tag: string): string => `crmodels.azurecr.io/models/iris:${tag}`;

async function failure(promise: Promise<unknown>): Promise<TaskError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TaskError, `not a TaskError: ${String(error)}`);
    return error;
  }
  assert.fail('the task succeeded');
}

describe('DeployToAks main (against a fake cluster)', () => {
  it('tells the cancellation each phase in order, with what a cancel then would leave', async () => {
    const phases: { phase: string; state: string }[] = [];
    const recording: Cancellation = {
      ...uncancellable(),
      // The state asked right away, as a cancellation at that moment would ask it.
      setPhase: (phase, state) => void phases.push({ phase, state: state?.() ?? '' }),
    };
    const h = harness();
    await main(inputsOf(), { ...h.deps, cancellation: recording });
    assert.deepEqual(
      phases.map((p) => p.phase),
      [
        "signing in to AKS cluster 'aks-models'",
        "applying deployment 'iris' to namespace 'default'",
        "waiting for the rollout of deployment 'iris'",
        "waiting for the load balancer address of service 'iris'",
        "finishing deployment 'iris'",
      ],
    );
    assert.equal(phases[1]?.state, 'Nothing was changed in the cluster');
    assert.match(phases[2]?.state ?? '', /^Deployment 'iris' is mid-rollout at revision 1 \(/);
  });

  it('creates the Deployment and Service, waits for the rollout and the address, and publishes the url and outputs', async () => {
    const h = harness();
    const result = await main(inputsOf(), h.deps);
    assert.equal(result, "Deployment 'iris' created: revision 1, 1 replica(s) ready at http://127.0.0.42.");
    assert.deepEqual(h.armCalls, ['get rg-models/aks-models', 'user credentials rg-models/aks-models']);
    assert.deepEqual(h.connected[0]?.auth, { kind: 'entraId', serverAppId: '6dae42f8-4368-4678-94ff-3960e28e3630' });
    assert.deepEqual(h.cluster.requests.filter((r) => r.startsWith('APPLY')), ['APPLY Deployment/iris by ai-model-deploy', 'APPLY Service/iris by ai-model-deploy']);
    const output = (name: string): string | undefined => (h.variables.get(name)?.options?.isOutput ? h.variables.get(name)?.value : undefined);
    assert.equal(output('url'), 'http://127.0.0.42');
    assert.equal(output('namespace'), 'default');
    assert.equal(output('deploymentName'), 'iris');
    assert.equal(output('revision'), '1');
    assert.equal(output('replicas'), '1');
    assert.equal(output('imageDigest'), DIGEST);
    assert.equal(h.variables.get('AiModelDeploy.ModelUrl')?.value, 'http://127.0.0.42');
    assert.match(h.summaries[0] ?? '', /\| Revision \| 1 \|/);
    assert.match(h.summaries[0] ?? '', /\| Objects applied \| Deployment\/iris, Service\/iris \|/);
    const deployment = h.cluster.objects.get('Deployment/default/iris') as Deployment;
    assert.equal(deployment.metadata.labels?.['ai-model-deploy.io/model'], 'iris');
  });

  it('rolls nothing when nothing changed: no new ReplicaSet, the same revision', async () => {
    const h = harness();
    await main(inputsOf(), h.deps);
    const again = harness({ cluster: h.cluster });
    const result = await main(inputsOf(), again.deps);
    assert.equal(result, "Deployment 'iris' unchanged: revision 1, 1 replica(s) ready at http://127.0.0.42.");
    assert.equal(h.cluster.replicaSets('iris').length, 1);
    assert.ok(again.log.lines.some((line) => /nothing is rolled/.test(line)));
    assert.match(again.summaries[0] ?? '', /unchanged \(nothing rolled\)/);
  });

  it('rolls out a new image as a new revision', async () => {
    const h = harness();
    await main(inputsOf({ image: imageWith('1') }), h.deps);
    const result = await main(inputsOf({ image: imageWith('2') }), harness({ cluster: h.cluster }).deps);
    assert.match(result, /rolled out: revision 2/);
    assert.equal(h.cluster.replicaSets('iris').length, 2);
  });

  it('explains a crashing image with its previous log lines (neutralised), rolls back and says which revision serves', async () => {
    const h = harness();
    await main(inputsOf({ image: imageWith('good') }), h.deps);
    const crash = harness({ cluster: h.cluster });
    const error = await failure(main(inputsOf({ image: imageWith('crash') }), crash.deps));
    assert.match(error.message, /^Revision 2 of deployment 'iris' \(image crmodels\.azurecr\.io\/models\/iris:crash\) failed: deployment "iris" exceeded its progress deadline/);
    assert.match(error.message, /Pod iris-[0-9a-f]+-abcde: CrashLoopBackOff \(restarted 3 time\(s\) \(last exit code 1, Error\)\)/);
    assert.match(error.message, /Last log lines of the crashing container: loading model \/models\/iris\.onnx \| ##~vso\[task\.setvariable variable=evil\]1 \| Error: model file not found/);
    assert.match(error.message, /Rolled back: revision 3 \(the former revision 1, image crmodels\.azurecr\.io\/models\/iris:good\) serves now\.$/);
    assert.ok(!error.message.includes('##vso['));
    assert.ok(crash.cluster.requests.includes('PATCH Deployment/iris by ai-model-deploy'));
    assert.ok(crash.cluster.requests.some((r) => /^LOG iris-.* previous$/.test(r)));
    assert.ok(crash.log.lines.every((line) => !line.includes('##vso[')), 'every foreign line is neutralised');
    const served = h.cluster.objects.get('Deployment/default/iris') as Deployment;
    assert.equal(served.spec?.template?.spec?.containers?.[0]?.image, imageWith('good'));
  });

  it("leaves a failed rollout as it is when 'rollbackOnFailure' is false, or when there is no earlier revision", async () => {
    const h = harness();
    await main(inputsOf({ image: imageWith('good') }), h.deps);
    const kept = await failure(main(inputsOf({ image: imageWith('crash'), rollbackOnFailure: 'false' }), harness({ cluster: h.cluster }).deps));
    assert.match(kept.message, /It was left as it is \('rollbackOnFailure' is false\)/);
    assert.ok(!h.cluster.requests.some((r) => r.startsWith('PATCH')));
    const first = await failure(main(inputsOf({ image: imageWith('crash') }), harness().deps));
    assert.match(first.message, /There is no earlier revision to roll back to/);
  });

  it('explains an image the kubelet identity may not pull with the AcrPull fix', async () => {
    const h = harness();
    await main(inputsOf({ image: imageWith('good') }), h.deps);
    const error = await failure(main(inputsOf({ image: imageWith('private') }), harness({ cluster: h.cluster }).deps));
    assert.match(error.message, /ErrImagePull \(failed to pull and unpack image .*401 Unauthorized\)/);
    assert.match(error.message, /kubelet identity \(client id kubelet-client, object id kubelet-object\)/);
    assert.match(error.message, /az aks update -g rg-models -n aks-models --attach-acr crmodels/);
  });

  it("refuses 'useClusterAdmin' on a cluster without local accounts before asking for credentials, and signs in with the admin certificate otherwise", async () => {
    const disabled = harness({ info: { disableLocalAccounts: true } });
    const error = await failure(main(inputsOf({ useClusterAdmin: 'true' }), disabled.deps));
    assert.match(error.message, /has local accounts disabled.*Set 'useClusterAdmin' to false/);
    assert.deepEqual(disabled.armCalls, ['get rg-models/aks-models']);
    assert.deepEqual(disabled.cluster.requests, []);

    const admin = harness();
    await main(inputsOf({ useClusterAdmin: 'true' }), admin.deps);
    assert.deepEqual(admin.armCalls, ['get rg-models/aks-models', 'admin credentials rg-models/aks-models']);
    assert.equal(admin.connected[0]?.auth.kind, 'clientCertificate');
    assert.ok(admin.secrets.includes('KEYLINE'), 'the private key is masked');
  });

  it('names the clusters the resource group has when the cluster does not exist', async () => {
    const error = await failure(main(inputsOf(), harness({ missing: true }).deps));
    assert.equal(error.message, "Input 'kubernetesCluster': there is no AKS cluster 'aks-models' in resource group 'rg-models'. It has: aks-other.");
  });

  it('keeps the replicas the autoscaler chose across redeploys, handing spec.replicas over when autoscaling is switched on', async () => {
    const h = harness();
    await main(inputsOf({ replicas: '2' }), h.deps);
    const on = harness({ cluster: h.cluster });
    await main(inputsOf({ autoscaling: 'true', minReplicas: '1', maxReplicas: '3' }), on.deps);
    assert.ok(on.cluster.requests.includes('APPLY Deployment/iris by ai-model-deploy-handover-to-hpa'));
    assert.equal((h.cluster.objects.get('Deployment/default/iris') as Deployment).spec?.replicas, 2);
    assert.ok(h.cluster.objects.has('HorizontalPodAutoscaler/default/iris'));

    h.cluster.scaleAsAutoscaler('iris', 'default', 3);
    const again = harness({ cluster: h.cluster });
    await main(inputsOf({ autoscaling: 'true', minReplicas: '1', maxReplicas: '3', image: imageWith('2') }), again.deps);
    assert.equal((h.cluster.objects.get('Deployment/default/iris') as Deployment).spec?.replicas, 3);

    const off = harness({ cluster: h.cluster });
    await main(inputsOf({ replicas: '1' }), off.deps);
    assert.ok(!h.cluster.objects.has('HorizontalPodAutoscaler/default/iris'));
    assert.match(off.summaries[0] ?? '', /Objects deleted \| HorizontalPodAutoscaler\/iris/);
  });

  it('puts secure values in a Secret whose name follows them, keeps old ones a ReplicaSet still uses and prunes the rest', async () => {
    const h = harness();
    await main(inputsOf({ secureEnvironmentVariables: 'API_KEY=one' }), h.deps);
    const secretsAfter = (): string[] => [...h.cluster.objects.values()].filter((o) => o.kind === 'Secret').map((o) => o.metadata.name);
    const [first] = secretsAfter();
    assert.match(first ?? '', /^iris-env-[0-9a-f]{10}$/);
    await main(inputsOf({ secureEnvironmentVariables: 'API_KEY=one' }), harness({ cluster: h.cluster }).deps);
    assert.equal(h.cluster.replicaSets('iris').length, 1, 'the same secret value rolls nothing');
    h.cluster.objects.set('Secret/default/iris-env-0000000000', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'iris-env-0000000000', namespace: 'default', labels: { 'ai-model-deploy.io/deployment': 'iris', 'app.kubernetes.io/managed-by': 'ai-model-deploy' } } });
    await main(inputsOf({ secureEnvironmentVariables: 'API_KEY=two' }), harness({ cluster: h.cluster }).deps);
    assert.equal(h.cluster.replicaSets('iris').length, 2, 'a new secret value rolls the pods');
    assert.equal(secretsAfter().length, 2);
    assert.ok(secretsAfter().includes(first ?? ''), 'the old Secret stays for a rollback');
    assert.ok(!JSON.stringify([...h.cluster.objects.values()].filter((o) => o.kind === 'Deployment')).includes('two'));
  });

  it('says what to do when the identity may not create a missing namespace', async () => {
    const h = harness();
    const apply = h.cluster.apply.bind(h.cluster);
    h.cluster.apply = (object, manager) =>
      object.kind === 'Namespace'
        ? Promise.reject(kubeFailure(new KubeApiError(403, { reason: 'Forbidden', message: 'namespaces is forbidden: User does not have access to the resource in Azure.' }), { action: "Applying Namespace 'models'", identity: 'x', namespace: 'models' }))
        : apply(object, manager);
    const error = await failure(main(inputsOf({ namespace: 'models' }), h.deps));
    assert.match(error.message, /^Namespace 'models' does not exist and the task may not create it: Applying Namespace 'models' failed: HTTP 403 Forbidden: .* Create the namespace beforehand .*RBAC Cluster Admin/);
  });

  it('creates a missing namespace, and publishes no url for a ClusterIP service', async () => {
    const h = harness();
    const result = await main(inputsOf({ namespace: 'models', serviceType: 'ClusterIP' }), h.deps);
    assert.ok(h.cluster.requests.includes('APPLY Namespace/models by ai-model-deploy'));
    assert.equal(result, "Deployment 'iris' created: revision 1, 1 replica(s) ready.");
    assert.equal(h.variables.get('url')?.value, '');
    assert.equal(h.variables.has('AiModelDeploy.ModelUrl'), false);
  });
});
