/**
 * The node side of the local cluster: binds new pods to the agent pool's nodes (what the scheduler
 * does, with its Scheduled event), runs a PodWorker per pod bound to them, follows the engine's
 * container events, serves pod logs (current and previous container), reads pod resource usage for
 * the HPA, and removes every container it made when it stops.
 */
import { join } from 'node:path';
import type { DockerEngine } from '../../docker/docker-engine';
import { createEventRecorder } from '../controllers/event-recorder';
import { unconditional } from '../controllers/unconditional';
import { isoSeconds } from '../controllers/clock-format';
import type { Pod } from '../kube-types';
import type { PodLogOptions, PodLogSource } from '../runtime-contract';
import { badRequest, notFound } from '../status-errors';
import type { ObjectStore } from '../store/object-store';
import { PODS } from '../store/resource-types';
import { BackOff, KUBELET_BACK_OFF } from './back-off';
import { KUBELET_LABELS } from './container-plan';
import type { EngineExtras } from './engine-extras';
import type { ImagePuller } from './image-puller';
import { importPauseImage } from './pause-image';
import { PodWorker } from './pod-worker';

export interface KubeletDeps {
  store: ObjectStore;
  docker: DockerEngine;
  extras: EngineExtras;
  puller: ImagePuller;
  socketPath: string;
  clusterPrefix: string;
  /** A folder of the cluster's own (pod volumes are written below it). */
  stateDirectory: string;
  nodeNames: readonly string[];
  crashLoopBaseBackOffInMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export interface Kubelet {
  podLogs: PodLogSource;
  /** Running containers of a pod (for resource usage), by container name. */
  runningContainers(namespace: string, pod: string): Map<string, string> | undefined;
  stop(): Promise<void>;
}

export function startKubelet(deps: KubeletDeps): Kubelet {
  const now = deps.now ?? Date.now;
  const onError = deps.onError ?? (() => undefined);
  const workers = new Map<string, PodWorker>();
  const terminating = new Set<Promise<void>>();
  const scheduler = createEventRecorder(deps.store, { component: 'default-scheduler' }, now);
  const kubeletEvents = new Map(deps.nodeNames.map((node) => [node, createEventRecorder(deps.store, { component: 'kubelet', host: node }, now)]));
  const base = deps.crashLoopBaseBackOffInMs ?? KUBELET_BACK_OFF.initialInMs;
  const crashBackOff = new BackOff({ initialInMs: base, maxInMs: KUBELET_BACK_OFF.maxInMs }, now);
  const pullBackOff = new BackOff({ initialInMs: base, maxInMs: KUBELET_BACK_OFF.maxInMs }, now);
  let pauseImage: Promise<string> | undefined;
  let stopped = false;

  function contextFor(node: string) {
    return {
      store: deps.store,
      docker: deps.docker,
      extras: deps.extras,
      puller: deps.puller,
      events: kubeletEvents.get(node) ?? createEventRecorder(deps.store, { component: 'kubelet', host: node }, now),
      clusterPrefix: deps.clusterPrefix,
      volumesDirectory: join(deps.stateDirectory, 'pods'),
      pauseImage: () => (pauseImage ??= importPauseImage(deps.socketPath, `lazure-${deps.clusterPrefix}-pause`, '3.10')),
      crashBackOff,
      pullBackOff,
      relistPeriodInMs: 1000,
      now,
      onError,
    };
  }

  function bind(pod: Pod): void {
    const fresh = deps.store.get(PODS, pod.metadata.namespace, pod.metadata.name) as unknown as Pod | undefined;
    if (!fresh || fresh.spec.nodeName || fresh.metadata.uid !== pod.metadata.uid) return;
    const load = new Map(deps.nodeNames.map((node) => [node, 0]));
    for (const other of deps.store.list(PODS).items as unknown as Pod[]) {
      const node = other.spec.nodeName;
      if (node && load.has(node)) load.set(node, (load.get(node) ?? 0) + 1);
    }
    const node = [...load].sort((a, b) => a[1] - b[1])[0]?.[0];
    if (!node) return;
    const bound = deps.store.update(PODS, unconditional({ ...fresh, spec: { ...fresh.spec, nodeName: node } })) as unknown as Pod;
    const at = isoSeconds(now());
    deps.store.update(
      PODS,
      unconditional({
        ...bound,
        status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at }], qosClass: bound.status?.qosClass },
      }),
      { subresource: 'status' },
    );
    scheduler.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${bound.metadata.namespace ?? 'default'}/${bound.metadata.name} to ${node}`);
  }

  const unwatchPods = deps.store.watch(PODS, undefined, undefined, (event) => {
    const pod = event.object as unknown as Pod;
    if (stopped) return;
    if (event.type === 'DELETED') {
      const worker = workers.get(pod.metadata.uid);
      if (!worker) return;
      workers.delete(pod.metadata.uid);
      // The endpoints controller and the load balancers drop the pod first (their queues run on the
      // next turn); only then does the kubelet signal the containers.
      const done = new Promise((resolve) => setTimeout(resolve, 100)).then(() => worker.terminate(true)).catch(onError);
      terminating.add(done);
      void done.finally(() => terminating.delete(done));
      return;
    }
    if (!pod.spec.nodeName) {
      setImmediate(() => {
        try {
          if (!stopped) bind(pod);
        } catch (error) {
          onError(error);
        }
      });
      return;
    }
    if (!deps.nodeNames.includes(pod.spec.nodeName)) return;
    const existing = workers.get(pod.metadata.uid);
    if (existing) existing.update(pod);
    else {
      const worker = new PodWorker(contextFor(pod.spec.nodeName), pod);
      workers.set(pod.metadata.uid, worker);
      worker.kick();
    }
  });

  const stopEvents = deps.docker.watchEvents(KUBELET_LABELS.cluster, deps.clusterPrefix, (event) => {
    if (event.Action !== 'die') return;
    const worker = workers.get(event.Actor.Attributes[KUBELET_LABELS.podUid] ?? '');
    if (worker) void worker.onContainerDied(event.Actor.ID).catch(onError);
  });

  function workerFor(namespace: string, name: string): PodWorker | undefined {
    return [...workers.values()].find((worker) => worker.namespace === namespace && worker.name === name);
  }

  const podLogs: PodLogSource = {
    async read(namespace, podName, options: PodLogOptions) {
      const pod = deps.store.get(PODS, namespace, podName) as unknown as Pod | undefined;
      if (!pod) throw notFound(PODS, podName);
      const names = pod.spec.containers.map((container) => container.name);
      const container = options.container ?? (names.length === 1 ? names[0] : undefined);
      if (container === undefined) throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`);
      if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${podName}`);
      const ids = workerFor(namespace, podName)?.containerIds(container);
      if (options.previous) {
        if (!ids?.previous) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
        return deps.docker.logs(ids.previous, logOptions(options));
      }
      if (!ids?.current) {
        const reason = ids?.waiting?.reason === 'ImagePullBackOff' || ids?.waiting?.reason === 'ErrImagePull' ? 'trying and failing to pull image' : (ids?.waiting?.reason ?? 'ContainerCreating');
        throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
      }
      return deps.docker.logs(ids.current, logOptions(options));
    },
  };

  return {
    podLogs,
    runningContainers(namespace, pod) {
      return workerFor(namespace, pod)?.runningContainers();
    },
    async stop() {
      stopped = true;
      unwatchPods();
      stopEvents();
      const all = [...workers.values()];
      workers.clear();
      await Promise.all(all.map((worker) => worker.terminate(false).catch(onError)));
      await Promise.all([...terminating]);
      const leftovers = await deps.docker.listContainers(KUBELET_LABELS.cluster, deps.clusterPrefix);
      await Promise.all(leftovers.map((id) => deps.docker.removeContainer(id)));
      if (pauseImage) await deps.docker.removeImage(await pauseImage.catch(() => '')).catch(() => undefined);
      for (const image of deps.puller.pulled()) await deps.docker.removeImage(image).catch(() => undefined);
    },
  };
}

function logOptions(options: PodLogOptions): { tail?: number; timestamps?: boolean } {
  return { ...(options.tailLines !== undefined ? { tail: options.tailLines } : {}), ...(options.timestamps ? { timestamps: true } : {}) };
}
