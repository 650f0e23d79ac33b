/**
 * The ReplicaSet controller (kubernetes/pkg/controller/replicaset): keeps as many active pods as
 * spec.replicas (creating them from the template, named `<set>-<5 characters>`, or deleting the
 * least valuable ones first), records SuccessfulCreate / SuccessfulDelete events, and writes
 * status: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration.
 */
import { randomInt } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Pod, ReplicaSet } from '../kube-types';
import type { ObjectStore } from '../store/object-store';
import { PODS, REPLICA_SETS } from '../store/resource-types';
import { matchesSelector } from '../store/label-selector';
import { isStatusError } from '../status-errors';
import type { Controller } from './deployment-controller';
import type { EventRecorder } from './event-recorder';
import { availableAt, comparePodsForDeletion, controllerOf, isPodActive, isPodAvailable, isPodReady } from './pod-state';
import { unconditional } from './unconditional';
import { createWorkQueue, objectKey, splitKey } from './work-queue';

export interface ReplicaSetControllerDeps {
  store: ObjectStore;
  events: EventRecorder;
  now?: () => number;
  onError?: (error: unknown) => void;
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** utilrand.String(5), as generateName appends it. */
export function randomSuffix(length = 5): string {
  let text = '';
  for (let index = 0; index < length; index++) text += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)] ?? 'x';
  return text;
}

/** The pod a ReplicaSet creates from its template (controller.GetPodFromTemplate). */
export function podFromTemplate(set: ReplicaSet, name: string): Pod {
  const template = set.spec.template;
  const metadata = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${set.metadata.name}-`,
      namespace: set.metadata.namespace ?? 'default',
      uid: '',
      labels: { ...(metadata.labels ?? {}) },
      ...(metadata.annotations ? { annotations: { ...metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: set.metadata.name, uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: withPodDefaults(structuredClone(template.spec)),
  };
}

/** What admission and defaulting add to a pod created through the API (service account, tolerations, priority). */
function withPodDefaults(spec: Pod['spec']): Pod['spec'] {
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.tolerations ??= [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ];
  return spec;
}

export function startReplicaSetController(deps: ReplicaSetControllerDeps): Controller {
  const { store, events } = deps;
  const now = deps.now ?? Date.now;
  const queue = createWorkQueue((key) => sync(key), (_key, error) => deps.onError?.(error));
  const unwatch = [
    store.watch(REPLICA_SETS, undefined, undefined, (event) => queue.add(objectKey(event.object.metadata.namespace, event.object.metadata.name))),
    store.watch(PODS, undefined, undefined, (event) => {
      const owner = controllerOf(event.object);
      if (owner?.kind === 'ReplicaSet') queue.add(objectKey(event.object.metadata.namespace, owner.name));
    }),
  ];

  function sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const set = store.get(REPLICA_SETS, namespace, name) as unknown as ReplicaSet | undefined;
    if (!set || set.metadata.deletionTimestamp) return;
    const owned = (): Pod[] => (store.list(PODS, namespace).items as unknown as Pod[]).filter((pod) => controllerOf(pod)?.uid === set.metadata.uid);
    const active = owned().filter(isPodActive);
    const want = set.spec.replicas ?? 1;
    let failure: string | undefined;
    if (active.length < want) {
      for (let count = active.length; count < want; count++) {
        try {
          const pod = createPod(set);
          events.record(set, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        } catch (error) {
          failure = (error as Error).message;
          events.record(set, 'Warning', 'FailedCreate', `Error creating: ${failure}`);
          break;
        }
      }
    } else if (active.length > want) {
      const victims = [...active].sort(comparePodsForDeletion).slice(0, active.length - want);
      for (const pod of victims) {
        store.delete(PODS, namespace, pod.metadata.name);
        events.record(set, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      }
    }
    writeStatus(set, owned().filter(isPodActive), failure);
  }

  function createPod(set: ReplicaSet): Pod {
    for (let attempt = 0; ; attempt++) {
      const pod = podFromTemplate(set, `${set.metadata.name}-${randomSuffix()}`);
      const { uid: _uid, ...metadata } = pod.metadata;
      try {
        return store.create(PODS, { ...pod, metadata }) as unknown as Pod;
      } catch (error) {
        if (!isStatusError(error, 'AlreadyExists') || attempt > 5) throw error;
      }
    }
  }

  function writeStatus(set: ReplicaSet, pods: Pod[], failure: string | undefined): void {
    const minReady = set.spec.minReadySeconds ?? 0;
    const at = now();
    const templateLabels = set.spec.template.metadata?.labels ?? {};
    const ready = pods.filter(isPodReady).length;
    const available = pods.filter((pod) => isPodAvailable(pod, minReady, at)).length;
    const fullyLabeled = pods.filter((pod) => matchesSelector({ matchLabels: templateLabels }, pod.metadata.labels)).length;
    const conditions = failure
      ? [{ type: 'ReplicaFailure', status: 'True' as const, lastTransitionTime: new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z'), reason: 'FailedCreate', message: failure }]
      : undefined;
    const status: NonNullable<ReplicaSet['status']> = {
      replicas: pods.length,
      ...(fullyLabeled > 0 ? { fullyLabeledReplicas: fullyLabeled } : {}),
      ...(ready > 0 ? { readyReplicas: ready } : {}),
      ...(available > 0 ? { availableReplicas: available } : {}),
      observedGeneration: set.metadata.generation ?? 1,
      ...(conditions ? { conditions } : {}),
    };
    if (!isDeepStrictEqual(set.status, status)) {
      store.update(REPLICA_SETS, unconditional({ ...set, status }), { subresource: 'status' });
    }
    const next = pods.map((pod) => availableAt(pod, minReady)).filter((time): time is number => time !== undefined && time > at);
    if (next.length > 0) queue.addAfter(objectKey(set.metadata.namespace, set.metadata.name), Math.min(...next) - at + 50);
  }

  return {
    queue,
    stop() {
      for (const stop of unwatch) stop();
      queue.stop();
    },
  };
}
