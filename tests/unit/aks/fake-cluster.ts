/**
 * An in-memory Kubernetes API for main()'s tests, with just enough of the API server and the Deployment
 * controller: server-side apply that resets `spec.replicas` when the only manager that owned it drops
 * it (as the real one does), generations, ReplicaSets per template with revisions, a rollout that
 * completes one read after it starts, pods that crash (image containing 'crash') or cannot be pulled
 * (image containing 'private'), and a progress deadline after a few reads.
 */
import { createHash } from 'node:crypto';
import type { KubeApi, ResourceKind } from '../../../tasks/DeployToAksV1/src/kube-client';
import type { Deployment, KubeEvent, KubeObject, Pod, PodTemplate, ReplicaSet } from '../../../tasks/DeployToAksV1/src/kube-objects';

interface DeploymentState {
  readsSinceChange: number;
  /** Managers (other than the task's) that own spec.replicas. */
  replicasOwners: Set<string>;
}

export interface FakeCluster extends KubeApi {
  objects: Map<string, KubeObject>;
  /** `APPLY Deployment/iris by ai-model-deploy`, `GET Deployment/iris`, `PATCH Deployment/iris`, `DELETE ...`, `LIST Pod`, `LOG iris-x`. */
  requests: string[];
  /** Reads of a failing rollout before its progress deadline passes. */
  deadlineAfterReads: number;
  /** What the autoscaler does: sets spec.replicas as its own manager would. */
  scaleAsAutoscaler(name: string, namespace: string, replicas: number): void;
  replicaSets(name: string): ReplicaSet[];
  get<T extends KubeObject>(kind: ResourceKind, namespace: string, name: string): Promise<T | undefined>;
}

const key = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const REVISION = 'deployment.kubernetes.io/revision';

export function fakeCluster(options: { namespaces?: string[] } = {}): FakeCluster {
  const objects = new Map<string, KubeObject>();
  const states = new Map<string, DeploymentState>();
  const requests: string[] = [];
  let uid = 0;
  for (const ns of options.namespaces ?? ['default']) objects.set(key('Namespace', '', ns), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, uid: `uid-${++uid}` } });

  const isDeployment = (object: KubeObject | undefined): object is Deployment => object?.kind === 'Deployment';
  const deploymentAt = (k: string): Deployment | undefined => {
    const object = objects.get(k);
    return isDeployment(object) ? object : undefined;
  };

  const replicaSetsOf = (deployment: Deployment): ReplicaSet[] =>
    [...objects.values()].filter((o): o is ReplicaSet => o.kind === 'ReplicaSet' && o.metadata.ownerReferences?.[0]?.uid === deployment.metadata.uid);

  const templateHash = (template: PodTemplate | undefined): string => createHash('sha256').update(JSON.stringify(template ?? {})).digest('hex').slice(0, 10);

  /** The Deployment controller's reaction to a new template: find or create its ReplicaSet, give it the next revision. */
  const rollTemplate = (deployment: Deployment): void => {
    const hash = templateHash(deployment.spec?.template);
    const all = replicaSetsOf(deployment);
    const next = Math.max(0, ...all.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0))) + 1;
    let rs = all.find((candidate) => candidate.metadata.labels?.['pod-template-hash'] === hash);
    if (rs === undefined) {
      rs = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `${deployment.metadata.name}-${hash}`, namespace: deployment.metadata.namespace ?? '', uid: `uid-${++uid}`, labels: { ...(deployment.spec?.selector?.matchLabels ?? {}), 'pod-template-hash': hash }, annotations: {}, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name, uid: deployment.metadata.uid ?? '', controller: true }] },
        spec: { template: clone({ ...deployment.spec?.template, metadata: { ...deployment.spec?.template?.metadata, labels: { ...(deployment.spec?.template?.metadata?.labels ?? {}), 'pod-template-hash': hash } } }) },
      };
      objects.set(key('ReplicaSet', rs.metadata.namespace ?? '', rs.metadata.name), rs);
    }
    rs.metadata.annotations = { ...rs.metadata.annotations, [REVISION]: String(next) };
    deployment.metadata.annotations = { ...deployment.metadata.annotations, [REVISION]: String(next) };
  };

  const imageOf = (deployment: Deployment): string => deployment.spec?.template?.spec?.containers?.[0]?.image ?? '';

  /** The controller's progress, one step per read of the Deployment. */
  const progress = (deployment: Deployment): void => {
    const state = states.get(key('Deployment', deployment.metadata.namespace ?? '', deployment.metadata.name));
    if (state === undefined) return;
    state.readsSinceChange += 1;
    const replicas = deployment.spec?.replicas ?? 1;
    const broken = /crash|private/.test(imageOf(deployment));
    const status = deployment.status ?? {};
    status.observedGeneration = deployment.metadata.generation ?? 1;
    if (!broken) {
      Object.assign(status, { replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] });
    } else {
      const old = replicaSetsOf(deployment).length > 1 ? replicas : 0;
      Object.assign(status, { replicas: old + 1, updatedReplicas: 1, readyReplicas: old, availableReplicas: old });
      status.conditions =
        state.readsSinceChange > fake.deadlineAfterReads
          ? [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet has timed out progressing.` }]
          : [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }];
    }
    deployment.status = status;
  };

  const podsOf = (deployment: Deployment): Pod[] => {
    const revision = deployment.metadata.annotations?.[REVISION];
    const rs = replicaSetsOf(deployment).find((candidate) => candidate.metadata.annotations?.[REVISION] === revision);
    if (rs === undefined) return [];
    const image = imageOf(deployment);
    const containerName = deployment.spec?.template?.spec?.containers?.[0]?.name ?? 'c';
    const status = image.includes('crash')
      ? { name: containerName, ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }
      : image.includes('private')
        ? { name: containerName, ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull', message: `failed to pull and unpack image "${image}": 401 Unauthorized` } } }
        : { name: containerName, ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } };
    return [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${rs.metadata.name}-abcde`, namespace: deployment.metadata.namespace ?? '', labels: rs.metadata.labels ?? {} }, status: { phase: status.ready ? 'Running' : 'Pending', containerStatuses: [status] } }];
  };

  const setTemplate = (deployment: Deployment, template: PodTemplate | undefined): void => {
    if (JSON.stringify(deployment.spec?.template) === JSON.stringify(template)) return;
    deployment.spec = { ...deployment.spec, template: clone(template) };
    deployment.metadata.generation = (deployment.metadata.generation ?? 0) + 1;
    const state = states.get(key('Deployment', deployment.metadata.namespace ?? '', deployment.metadata.name));
    if (state) state.readsSinceChange = 0;
    rollTemplate(deployment);
  };

  const applyDeployment = (config: Deployment, manager: string): Deployment => {
    const k = key('Deployment', config.metadata.namespace ?? '', config.metadata.name);
    const existing = deploymentAt(k);
    const state = states.get(k) ?? { readsSinceChange: 0, replicasOwners: new Set<string>() };
    states.set(k, state);
    const configOwnsReplicas = config.spec !== undefined && 'replicas' in config.spec;
    if (manager !== 'ai-model-deploy') {
      if (configOwnsReplicas && existing) {
        state.replicasOwners.add(manager);
        existing.spec = { ...existing.spec, replicas: config.spec?.replicas ?? 1 };
      }
      return clone(existing ?? config);
    }
    if (existing === undefined) {
      const created: Deployment = clone({ ...config, metadata: { ...config.metadata, uid: `uid-${++uid}`, generation: 1 }, spec: { replicas: 1, ...config.spec } });
      created.metadata.managedFields = [{ manager, operation: 'Apply', fieldsV1: { 'f:spec': configOwnsReplicas ? { 'f:replicas': {}, 'f:template': {} } : { 'f:template': {} } } }];
      objects.set(k, created);
      rollTemplate(created);
      return clone(created);
    }
    const { template, replicas, ...restOfSpec } = config.spec ?? {};
    const specBefore = JSON.stringify({ ...existing.spec, template: undefined });
    // Server-side apply: a field the manager drops and nobody else owns is removed (replicas then defaults to 1).
    const nextReplicas = configOwnsReplicas ? replicas : state.replicasOwners.size > 0 ? existing.spec?.replicas : 1;
    existing.metadata = { ...existing.metadata, labels: config.metadata.labels ?? {}, annotations: { ...(existing.metadata.annotations?.[REVISION] ? { [REVISION]: existing.metadata.annotations[REVISION] } : {}), ...config.metadata.annotations } };
    existing.spec = { ...existing.spec, ...restOfSpec, ...(nextReplicas !== undefined ? { replicas: nextReplicas } : {}) };
    existing.metadata.managedFields = [{ manager, operation: 'Apply', fieldsV1: { 'f:spec': configOwnsReplicas ? { 'f:replicas': {}, 'f:template': {} } : { 'f:template': {} } } }];
    if (JSON.stringify({ ...existing.spec, template: undefined }) !== specBefore) existing.metadata.generation = (existing.metadata.generation ?? 1) + 1;
    setTemplate(existing, template);
    return clone(existing);
  };

  const fake: FakeCluster = {
    objects,
    requests,
    deadlineAfterReads: 3,
    scaleAsAutoscaler(name, namespace, replicas) {
      const deployment = objects.get(key('Deployment', namespace, name)) as Deployment;
      deployment.spec = { ...deployment.spec, replicas };
      states.get(key('Deployment', namespace, name))?.replicasOwners.add('horizontal-pod-autoscaler');
      deployment.metadata.generation = (deployment.metadata.generation ?? 1) + 1;
    },
    replicaSets: (name) => [...objects.values()].filter((o): o is ReplicaSet => o.kind === 'ReplicaSet' && o.metadata.ownerReferences?.[0]?.name === name),
    get<T extends KubeObject>(kind: ResourceKind, namespace: string, name: string) {
      requests.push(`GET ${kind}/${name}`);
      const object = objects.get(key(kind, kind === 'Namespace' ? '' : namespace, name));
      if (object?.kind === 'Deployment') progress(object);
      if (object?.kind === 'Service' && (object.spec as { type?: string }).type === 'LoadBalancer') object.status = { loadBalancer: { ingress: [{ ip: '127.0.0.42' }] } };
      return Promise.resolve(object === undefined ? undefined : (clone(object) as T));
    },
    list<T extends KubeObject>(kind: ResourceKind, namespace: string, listOptions: { labelSelector?: string } = {}) {
      requests.push(`LIST ${kind}${listOptions.labelSelector ? ` ${listOptions.labelSelector}` : ''}`);
      const wanted = (listOptions.labelSelector ?? '').split(',').filter(Boolean).map((term) => term.split('=') as [string, string]);
      const matches = (o: KubeObject): boolean => wanted.every(([k, v]) => o.metadata.labels?.[k] === v);
      if (kind === 'Pod') {
        const pods = [...objects.values()].filter((o): o is Deployment => o.kind === 'Deployment' && o.metadata.namespace === namespace).flatMap(podsOf);
        return Promise.resolve(clone(pods.filter(matches)) as unknown as T[]);
      }
      if (kind === 'Event') {
        const events: KubeEvent[] = [...objects.values()]
          .filter((o): o is Deployment => o.kind === 'Deployment')
          .flatMap(podsOf)
          .map((pod) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: `${pod.metadata.name}.1` }, involvedObject: { kind: 'Pod', name: pod.metadata.name }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container ##vso[task.setvariable variable=evil]1', lastTimestamp: '2026-01-01T00:00:00Z' }));
        return Promise.resolve(events as unknown as T[]);
      }
      return Promise.resolve(clone([...objects.values()].filter((o) => o.kind === kind && o.metadata.namespace === namespace && matches(o))) as T[]);
    },
    apply<T extends KubeObject>(object: KubeObject, fieldManager: string) {
      requests.push(`APPLY ${object.kind}/${object.metadata.name} by ${fieldManager}`);
      if (object.kind === 'Deployment') return Promise.resolve(applyDeployment(clone(object) as Deployment, fieldManager) as unknown as T);
      const k = key(object.kind, object.metadata.namespace ?? '', object.metadata.name);
      const stored = { ...clone(object), metadata: { ...clone(object.metadata), uid: (objects.get(k)?.metadata.uid) ?? `uid-${++uid}` } };
      objects.set(k, stored);
      return Promise.resolve(clone(stored) as T);
    },
    patch<T extends KubeObject>(kind: ResourceKind, namespace: string, name: string, operations: readonly unknown[], fieldManager: string) {
      requests.push(`PATCH ${kind}/${name} by ${fieldManager}`);
      const deployment = objects.get(key(kind, namespace, name)) as Deployment;
      const [operation] = operations as { op: string; path: string; value: PodTemplate }[];
      if (operation?.op !== 'replace' || operation.path !== '/spec/template') throw new Error(`the fake cluster does not do ${JSON.stringify(operations)}`);
      setTemplate(deployment, operation.value);
      return Promise.resolve(clone(deployment) as unknown as T);
    },
    delete(kind, namespace, name) {
      requests.push(`DELETE ${kind}/${name}`);
      objects.delete(key(kind, namespace, name));
      return Promise.resolve();
    },
    podLog(_namespace, pod, logOptions) {
      requests.push(`LOG ${pod}${logOptions.previous ? ' previous' : ''}`);
      return Promise.resolve('loading model /models/iris.onnx\n##vso[task.setvariable variable=evil]1\nError: model file not found\n');
    },
  };
  return fake;
}
