/**
 * The local cluster's workloads through Debian's kubectl and @kubernetes/client-node, as users drive
 * a real cluster: a 3-replica rolling update behind a LoadBalancer IP with a request loop that sees no
 * failure, rollout status / history / undo, a crashing image (CrashLoopBackOff, logs --previous,
 * ProgressDeadlineExceeded), env from a Secret and a ConfigMap, a liveness probe's restarts, a registry
 * where the kubelet identity has no AcrPull (ImagePullBackOff), and an HPA scaling 1 -> 3 -> 1 on CPU
 * load. Pods are real containers on the Docker engine, pulled from the local ACR.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { AppsV1Api, CoreV1Api, KubeConfig, Watch, type V1Deployment } from '@kubernetes/client-node';
import { connect } from 'node:net';
import { buildBusyboxImage, containersNamed, docker, removeImage } from './aci-support/test-image';
import { startClusterFixture, type ClusterFixture } from './support/aks-cluster-fixture';
import { eventually } from '../support/eventually';

const LOCAL_TAG = `lazure-aks-runtime-busybox:${process.pid}`;

interface PodJson {
  metadata: { name: string };
  status: { phase: string; containerStatuses?: { restartCount: number; state: { waiting?: { reason: string; message?: string } }; lastState: { terminated?: { exitCode: number } } }[] };
}

function deploymentYaml(name: string, image: string, extra: { replicas?: number; command?: string; container?: string[]; spec?: string[]; pod?: string[]; changeCause?: string } = {}): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(extra.changeCause ? ['  annotations:', `    kubernetes.io/change-cause: "${extra.changeCause}"`] : []),
    'spec:',
    `  replicas: ${extra.replicas ?? 1}`,
    ...(extra.spec ?? []).map((line) => `  ${line}`),
    `  selector: {matchLabels: {app: ${name}}}`,
    '  template:',
    `    metadata: {labels: {app: ${name}}}`,
    '    spec:',
    '      terminationGracePeriodSeconds: 2',
    ...(extra.pod ?? []).map((line) => `      ${line}`),
    '      containers:',
    `      - name: ${name}`,
    `        image: ${image}`,
    ...(extra.command ? [`        command: ["/bin/busybox", "sh", "-c", ${JSON.stringify(extra.command)}]`] : []),
    ...(extra.container ?? []).map((line) => `        ${line}`),
    '',
  ].join('\n');
}

function get(host: string, port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/', timeout: 5_000, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('emulator aks: workloads on the Docker runtime through kubectl and @kubernetes/client-node', function () {
  this.timeout(240_000);
  let cluster: ClusterFixture | undefined;
  let image = '';
  let lbAddress = '';

  const kube = (): ClusterFixture => {
    if (!cluster) throw new Error('The cluster did not start; see the before-all hook failure.');
    return cluster;
  };
  async function kubectl(args: string[], input?: string): Promise<string> {
    const result = await kube().kubectl(args, input === undefined ? {} : { input });
    assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  }
  async function podsOf(app: string): Promise<PodJson[]> {
    const result = await kube().kubectl(['get', 'pods', '-l', `app=${app}`, '-o', 'json']);
    return (JSON.parse(result.stdout) as { items: PodJson[] }).items;
  }

  before(async () => {
    await buildBusyboxImage(LOCAL_TAG);
    cluster = await startClusterFixture({ hpaSyncPeriodInMs: 2_000 });
    await cluster.azure.pushImage(LOCAL_TAG, 'aks-runtime/web', '1');
    await cluster.azure.pushImage(LOCAL_TAG, 'aks-runtime/web', '2');
    image = `${cluster.azure.registry.loginServer}/aks-runtime/web`;
  });

  after(async () => {
    if (cluster) {
      await cluster.stop();
      assert.deepEqual(await containersNamed(`lazure-${cluster.azure.instanceId}-`), [], 'stop() leaves no container behind');
      if (lbAddress) assert.equal(await portOpen(lbAddress, 8080), false, 'stop() closes the load balancer listener');
    }
    await removeImage(LOCAL_TAG);
  });

  it('rolls 3 replicas over behind the LoadBalancer IP without a failed request', async () => {
    const manifest = [
      deploymentYaml('web', `${image}:1`, { replicas: 3, changeCause: 'v1', container: ['ports: [{containerPort: 80}]', 'readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}'] }),
      '---',
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 8080, targetPort: 80}]\n',
    ].join('\n');
    assert.match(await kubectl(['apply', '--server-side', '-f', '-'], manifest), /deployment.apps\/web serverside-applied/);
    assert.match(await kubectl(['rollout', 'status', 'deployment/web', '--timeout=120s']), /successfully rolled out/);
    const service = JSON.parse(await kubectl(['get', 'service', 'web', '-o', 'json'])) as { status: { loadBalancer: { ingress: { ip: string }[] } } };
    lbAddress = service.status.loadBalancer.ingress[0]?.ip ?? '';
    assert.match(lbAddress, /^127\.\d+\.\d+\.\d+$/);
    assert.equal(await get(lbAddress, 8080), 200);

    let running = true;
    const outcomes = { ok: 0, failed: 0 };
    const loop = (async () => {
      while (running) {
        if ((await get(lbAddress, 8080)) === 200) outcomes.ok++;
        else outcomes.failed++;
      }
    })();
    const started = Date.now();
    await kubectl(['set', 'image', 'deployment/web', `web=${image}:2`]);
    await kubectl(['annotate', 'deployment/web', 'kubernetes.io/change-cause=v2', '--overwrite']);
    assert.match(await kubectl(['rollout', 'status', 'deployment/web', '--timeout=120s']), /successfully rolled out/);
    const rolloutInMs = Date.now() - started;
    running = false;
    await loop;
    console.log(`      3-replica rolling update: ${(rolloutInMs / 1000).toFixed(1)} s, ${outcomes.ok} requests answered, ${outcomes.failed} failed`);
    assert.equal(outcomes.failed, 0, 'no request failed during the rollout');
    assert.ok(outcomes.ok > 0);
    const pods = await podsOf('web');
    assert.equal(pods.length, 3);
    const deployment = JSON.parse(await kubectl(['get', 'deployment', 'web', '-o', 'json'])) as { metadata: { annotations: Record<string, string> }; status: { updatedReplicas: number; availableReplicas: number } };
    assert.equal(deployment.metadata.annotations['deployment.kubernetes.io/revision'], '2');
    assert.equal(deployment.status.availableReplicas, 3);
  });

  it('lists the history and rolls back to the previous ReplicaSet with rollout undo', async () => {
    const history = await kubectl(['rollout', 'history', 'deployment/web']);
    assert.match(history, /1\s+v1/);
    assert.match(history, /2\s+v2/);
    await kubectl(['rollout', 'undo', 'deployment/web']);
    assert.match(await kubectl(['rollout', 'status', 'deployment/web', '--timeout=120s']), /successfully rolled out/);
    const sets = (JSON.parse(await kubectl(['get', 'replicasets', '-l', 'app=web', '-o', 'json'])) as {
      items: { metadata: { name: string; annotations: Record<string, string> }; spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } }[];
    }).items;
    assert.equal(sets.length, 2, 'undo reuses the first ReplicaSet instead of making a new one');
    const active = sets.find((set) => set.spec.replicas === 3);
    assert.equal(active?.spec.template.spec.containers[0]?.image, `${image}:1`);
    assert.equal(active?.metadata.annotations['deployment.kubernetes.io/revision'], '3');
    assert.equal(active?.metadata.annotations['deployment.kubernetes.io/revision-history'], '1');
    assert.match(await kubectl(['rollout', 'history', 'deployment/web']), /3\s+v1/);
    assert.equal(await get(lbAddress, 8080), 200);
  });

  it('reports a crashing image as CrashLoopBackOff, keeps the previous logs, and exceeds the progress deadline', async () => {
    await kubectl(['apply', '--server-side', '-f', '-'], deploymentYaml('crash', `${image}:1`, { command: 'echo model failed to load >&2; exit 3', spec: ['progressDeadlineSeconds: 8'] }));
    const status = await kube().kubectl(['rollout', 'status', 'deployment/crash', '--timeout=90s']);
    assert.notEqual(status.code, 0);
    assert.match(status.stderr, /deployment "crash" exceeded its progress deadline/);
    const pod = await eventually('CrashLoopBackOff', async () => (await podsOf('crash')).find((candidate) => candidate.status.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff'), 60_000);
    const container = pod.status.containerStatuses?.[0];
    assert.equal(pod.status.phase, 'Running');
    assert.equal(container?.lastState.terminated?.exitCode, 3);
    assert.ok((container?.restartCount ?? 0) >= 1);
    assert.match(container?.state.waiting?.message ?? '', /^back-off \d+s restarting failed container=crash pod=crash-/);
    assert.match(await kubectl(['logs', pod.metadata.name, '--previous']), /model failed to load/);
    const events = await kubectl(['get', 'events', '--field-selector', `involvedObject.name=${pod.metadata.name}`]);
    assert.match(events, /BackOff\s+pod\/crash-\S+\s+Back-off restarting failed container crash in pod/);
    const deployment = JSON.parse(await kubectl(['get', 'deployment', 'crash', '-o', 'json'])) as { status: { conditions: { type: string; status: string; reason: string }[] } };
    assert.deepEqual(
      deployment.status.conditions.map((condition) => [condition.type, condition.status, condition.reason]).sort(),
      [['Available', 'False', 'MinimumReplicasUnavailable'], ['Progressing', 'False', 'ProgressDeadlineExceeded']],
    );
    await kubectl(['delete', 'deployment', 'crash']);
  });

  it('gives containers env and volumes from a Secret and a ConfigMap, and CreateContainerConfigError without them', async () => {
    await kubectl(['create', 'secret', 'generic', 'model-key', '--from-literal=token=s3cr3t-value']);
    await kubectl(['create', 'configmap', 'model-settings', '--from-literal=greeting=hello']);
    const env = [
      'env:',
      '- {name: GREETING, valueFrom: {configMapKeyRef: {name: model-settings, key: greeting}}}',
      '- {name: TOKEN, valueFrom: {secretKeyRef: {name: model-key, key: token}}}',
      '- {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}',
      '- {name: MESSAGE, value: "$(GREETING) from $(POD)"}',
      'resources: {limits: {cpu: 250m, memory: 64Mi}}',
      'volumeMounts: [{name: settings, mountPath: /etc/model, readOnly: true}, {name: key, mountPath: /var/run/key}]',
    ];
    const volumes = ['volumes:', '- {name: settings, configMap: {name: model-settings}}', '- {name: key, secret: {secretName: model-key, items: [{key: token, path: nested/token.txt}]}}'];
    const command = 'echo "$MESSAGE token=$TOKEN file=$(cat /etc/model/greeting) $(cat /var/run/key/nested/token.txt)"; exec /bin/busybox sleep 3600';
    await kubectl(['apply', '--server-side', '-f', '-'], deploymentYaml('envs', `${image}:1`, { command, container: env, pod: volumes }));
    assert.match(await kubectl(['rollout', 'status', 'deployment/envs', '--timeout=60s']), /successfully rolled out/);
    const [pod] = await podsOf('envs');
    if (!pod) throw new Error('no pod');
    const logs = await eventually('the log line', async () => {
      const text = await kubectl(['logs', pod.metadata.name]);
      return text.includes('token=') ? text : undefined;
    });
    assert.equal(logs, `hello from ${pod.metadata.name} token=s3cr3t-value file=hello s3cr3t-value\n`);
    const ids = (await docker(['ps', '-q', '--filter', `label=io.kubernetes.pod.name=${pod.metadata.name}`, '--filter', 'label=io.kubernetes.container.name=envs'])).trim();
    const limits = JSON.parse(await docker(['inspect', '--format', '{{json .HostConfig}}', ids])) as { NanoCpus: number; Memory: number };
    assert.deepEqual([limits.NanoCpus, limits.Memory], [250_000_000, 64 * 1024 * 1024], 'limits reach the engine');

    await kubectl(['apply', '--server-side', '-f', '-'], deploymentYaml('noenv', `${image}:1`, { command: 'sleep 3600', container: ['env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: missing-secret, key: token}}}]'] }));
    const waiting = await eventually('CreateContainerConfigError', async () => (await podsOf('noenv')).find((candidate) => candidate.status.containerStatuses?.[0]?.state.waiting?.reason === 'CreateContainerConfigError'), 60_000);
    assert.equal(waiting.status.containerStatuses?.[0]?.state.waiting?.message, 'secret "missing-secret" not found');
    await kubectl(['delete', 'deployment', 'envs', 'noenv']);
  });

  it('restarts a container whose liveness probe fails', async () => {
    await kubectl(['apply', '--server-side', '-f', '-'], deploymentYaml('live', `${image}:1`, { container: ['livenessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 1, failureThreshold: 2}'] }));
    const pod = await eventually('a restart', async () => (await podsOf('live')).find((candidate) => (candidate.status.containerStatuses?.[0]?.restartCount ?? 0) >= 1), 60_000);
    const events = await kubectl(['get', 'events', '--field-selector', `involvedObject.name=${pod.metadata.name}`]);
    assert.match(events, /Unhealthy\s+pod\/live-\S+\s+Liveness probe failed: HTTP probe failed with statuscode: 404/);
    assert.match(events, /Killing\s+pod\/live-\S+\s+Container live failed liveness probe, will be restarted/);
    await kubectl(['delete', 'deployment', 'live']);
  });

  it('does the same through @kubernetes/client-node: create, watch the rollout, read logs (current and previous)', async () => {
    const cluster = kube().azure.clusters.find((candidate) => candidate.name === 'aks-models-local');
    const config = new KubeConfig();
    config.loadFromString(cluster?.adminKubeconfig() ?? '');
    const apps = config.makeApiClient(AppsV1Api);
    const core = config.makeApiClient(CoreV1Api);
    const body: V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'sdk' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'sdk' } },
        template: { metadata: { labels: { app: 'sdk' } }, spec: { containers: [{ name: 'sdk', image: `${image}:1`, command: ['/bin/busybox', 'sh', '-c', 'echo attempt; sleep 2; exit 1'] }] } },
      },
    };
    await apps.createNamespacedDeployment({ namespace: 'default', body });
    const seen: string[] = [];
    const watch = await new Watch(config).watch('/apis/apps/v1/namespaces/default/deployments', { fieldSelector: 'metadata.name=sdk' }, (type: string, object: V1Deployment) => {
      seen.push(`${type} updated=${object.status?.updatedReplicas ?? 0}`);
    }, () => undefined);
    try {
      await eventually('the watch to report 2 updated replicas', () => Promise.resolve(seen.some((line) => line.endsWith('updated=2')) ? true : undefined), 30_000);
    } finally {
      watch.abort();
    }
    const pod = await eventually('a restarted pod', async () => (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=sdk' })).items.find((candidate) => (candidate.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1), 60_000);
    const name = pod.metadata?.name ?? '';
    assert.equal(await core.readNamespacedPodLog({ name, namespace: 'default', previous: true }), 'attempt\n');
    const sets = await apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=sdk' });
    assert.equal(sets.items[0]?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
    await apps.deleteNamespacedDeployment({ name: 'sdk', namespace: 'default' });
    await eventually('the pods to go', async () => ((await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=sdk' })).items.length === 0 ? true : undefined), 30_000);
  });

  it('scales with the HPA from 1 to 3 under CPU load and back when it ends', async () => {
    const burn = 'timeout 12 sh -c "while :; do :; done"; exec /bin/busybox httpd -f -p 80 -h /www';
    await kubectl(['apply', '--server-side', '-f', '-'], deploymentYaml('burn', `${image}:1`, { command: burn, container: ['resources: {requests: {cpu: 20m}, limits: {cpu: 400m}}'] }));
    const hpa = [
      'apiVersion: autoscaling/v2',
      'kind: HorizontalPodAutoscaler',
      'metadata: {name: burn}',
      'spec:',
      '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: burn}',
      '  minReplicas: 1',
      '  maxReplicas: 3',
      '  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]',
      '',
    ].join('\n');
    await kubectl(['apply', '--server-side', '-f', '-'], hpa);
    await kubectl(['patch', 'hpa', 'burn', '--type=merge', '-p', '{"spec":{"behavior":{"scaleDown":{"stabilizationWindowSeconds":4}}}}']);
    const scaledUp = await eventually('3 replicas', async () => {
      const hpa = JSON.parse(await kubectl(['get', 'hpa', 'burn', '-o', 'json'])) as { status?: { desiredReplicas: number; currentMetrics?: unknown[] } };
      return hpa.status?.desiredReplicas === 3 ? hpa : undefined;
    }, 90_000);
    assert.ok(scaledUp.status?.currentMetrics);
    await eventually('back to 1 replica', async () => {
      const deployment = JSON.parse(await kubectl(['get', 'deployment', 'burn', '-o', 'json'])) as { spec: { replicas: number } };
      return deployment.spec.replicas === 1 ? deployment : undefined;
    }, 120_000);
    const events = await kubectl(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler']);
    assert.match(events, /SuccessfulRescale\s+horizontalpodautoscaler\/burn\s+New size: 3; reason: cpu resource utilization \(percentage of request\) above target/);
    assert.match(events, /New size: 1; reason: All metrics below target/);
    await kubectl(['delete', 'hpa', 'burn']);
    await kubectl(['delete', 'deployment', 'burn']);
  });

  it('cannot pull from a registry where the kubelet identity has no AcrPull: ErrImagePull, then ImagePullBackOff', async () => {
    const azure = kube().azure;
    const other = azure.registries.find((registry) => registry.loginServer !== azure.registry.loginServer);
    if (!other) throw new Error('The local Azure has a second registry.');
    await azure.pushImage(LOCAL_TAG, 'aks-runtime/web', '1', other.name);
    const privateImage = `${other.loginServer}/aks-runtime/web:1`;
    await kubectl(['apply', '--server-side', '-f', '-'], deploymentYaml('nopull', privateImage));
    const pod = await eventually('ImagePullBackOff', async () => (await podsOf('nopull')).find((candidate) => candidate.status.containerStatuses?.[0]?.state.waiting?.reason === 'ImagePullBackOff'), 60_000);
    assert.equal(pod.status.phase, 'Pending');
    const events = await kubectl(['get', 'events', '--field-selector', `involvedObject.name=${pod.metadata.name}`]);
    assert.ok(events.includes(`Failed to pull image "${privateImage}": rpc error: code = Unknown desc = failed to pull and unpack image "${privateImage}"`), events);
    assert.match(events, /failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https:\/\/\S+\/oauth2\/token\?scope=repository%3Aaks-runtime%2Fweb%3Apull&service=\S+: 401 Unauthorized/);
    assert.match(events, /Error: ErrImagePull/);
    const logs = await kube().kubectl(['logs', pod.metadata.name]);
    assert.match(logs.stderr, /is waiting to start: trying and failing to pull image/);
    await kubectl(['delete', 'deployment', 'nopull']);
  });
});
