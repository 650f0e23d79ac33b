import assert from 'node:assert/strict';
import { createObjectStore, type KubeObject, type NewKubeObject, type WatchEvent } from '../../../emulator/kubernetes/store/object-store';
import { CONFIG_MAPS, DEPLOYMENTS, NAMESPACES, PODS, REPLICA_SETS } from '../../../emulator/kubernetes/store/resource-types';
import { isStatusError, KubernetesStatusError } from '../../../emulator/kubernetes/status-errors';

const fixedNow = (): Date => new Date('2026-12-07T01:02:03.456Z');

function deployment(name: string, replicas = 1, namespace = 'default'): NewKubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: { replicas, selector: { matchLabels: { app: name } } },
  };
}

function owned(kind: string, name: string, owner: KubeObject): NewKubeObject {
  return {
    apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true }],
    },
    spec: {},
  };
}

function statusErrorOf(action: () => unknown): KubernetesStatusError {
  try {
    action();
  } catch (error) {
    if (error instanceof KubernetesStatusError) return error;
    throw error;
  }
  assert.fail('expected a KubernetesStatusError');
}

describe('Kubernetes object store', () => {
  it('create assigns uid, resourceVersion, generation 1, creationTimestamp and the default namespace', () => {
    const store = createObjectStore({ now: fixedNow });
    const input = deployment('web');
    delete input.metadata.namespace;
    const created = store.create(DEPLOYMENTS, input);
    assert.match(created.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.equal(created.metadata.generation, 1);
    assert.equal(created.metadata.creationTimestamp, '2026-12-07T01:02:03Z');
    assert.equal(created.metadata.namespace, 'default');
    assert.match(created.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(store.get(DEPLOYMENTS, 'default', 'web'), created);
  });

  it('create of a cluster-scoped object drops a namespace', () => {
    const store = createObjectStore();
    const ns = store.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'models', namespace: 'x' } });
    assert.equal(ns.metadata.namespace, undefined);
    assert.equal(store.get(NAMESPACES, 'anything', 'models')?.metadata.name, 'models');
  });

  it('create of an existing name throws AlreadyExists with the Kubernetes Status body', () => {
    const store = createObjectStore();
    store.create(DEPLOYMENTS, deployment('web'));
    const error = statusErrorOf(() => store.create(DEPLOYMENTS, deployment('web')));
    assert.deepEqual(error.status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "web" already exists',
      reason: 'AlreadyExists',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
      code: 409,
    });
  });

  it('the same name in another namespace is another object', () => {
    const store = createObjectStore();
    store.create(DEPLOYMENTS, deployment('web', 1, 'a'));
    store.create(DEPLOYMENTS, deployment('web', 2, 'b'));
    assert.equal(store.list(DEPLOYMENTS).items.length, 2);
    assert.deepEqual(
      store.list(DEPLOYMENTS, 'b').items.map((item) => (item.spec as { replicas: number }).replicas),
      [2],
    );
  });

  it('returns copies: changing a returned object does not change the store', () => {
    const store = createObjectStore();
    const created = store.create(DEPLOYMENTS, deployment('web'));
    (created.spec as { replicas: number }).replicas = 9;
    assert.equal((store.get(DEPLOYMENTS, 'default', 'web')?.spec as { replicas: number }).replicas, 1);
  });

  it('update bumps generation for a spec change but not for a label change, and always bumps resourceVersion', () => {
    const store = createObjectStore();
    const created = store.create(DEPLOYMENTS, deployment('web'));
    const relabelled = store.update(DEPLOYMENTS, { ...created, metadata: { ...created.metadata, labels: { app: 'web', tier: 'front' } } });
    assert.equal(relabelled.metadata.generation, 1);
    assert.ok(Number(relabelled.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
    const scaled = store.update(DEPLOYMENTS, { ...relabelled, spec: { ...(relabelled.spec as object), replicas: 3 } });
    assert.equal(scaled.metadata.generation, 2);
    assert.equal(scaled.metadata.uid, created.metadata.uid);
    assert.equal(scaled.metadata.creationTimestamp, created.metadata.creationTimestamp);
  });

  it('update with a stale resourceVersion is a Conflict; without one it is unconditional', () => {
    const store = createObjectStore();
    const created = store.create(DEPLOYMENTS, deployment('web'));
    store.update(DEPLOYMENTS, { ...created, spec: { replicas: 2 } });
    const error = statusErrorOf(() => store.update(DEPLOYMENTS, { ...created, spec: { replicas: 5 } }));
    assert.equal(error.status.code, 409);
    assert.equal(error.status.reason, 'Conflict');
    assert.equal(
      error.message,
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
    const unconditional = { ...created, metadata: { ...created.metadata, resourceVersion: '' }, spec: { replicas: 5 } };
    assert.equal((store.update(DEPLOYMENTS, unconditional).spec as { replicas: number }).replicas, 5);
  });

  it('update of a missing object is NotFound', () => {
    const store = createObjectStore();
    const error = statusErrorOf(() => store.update(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } }));
    assert.equal(error.status.code, 404);
    assert.equal(error.message, 'pods "p" not found');
    assert.deepEqual(error.status.details, { name: 'p', kind: 'pods' });
  });

  it('an update that changes nothing keeps the resourceVersion and sends no event', () => {
    const store = createObjectStore();
    const created = store.create(DEPLOYMENTS, deployment('web'));
    const events: WatchEvent[] = [];
    store.watch(DEPLOYMENTS, 'default', created.metadata.resourceVersion, (event) => events.push(event));
    const same = store.update(DEPLOYMENTS, created);
    assert.equal(same.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(events.length, 0);
  });

  it('status subresource replaces only status; the main resource keeps the stored status', () => {
    const store = createObjectStore();
    const created = store.create(DEPLOYMENTS, deployment('web'));
    const withStatus = store.update(DEPLOYMENTS, { ...created, spec: { replicas: 7 }, status: { replicas: 1, observedGeneration: 1 } }, { subresource: 'status' });
    assert.deepEqual(withStatus.status, { replicas: 1, observedGeneration: 1 });
    assert.equal((withStatus.spec as { replicas: number }).replicas, 1, 'spec is not written through /status');
    assert.equal(withStatus.metadata.generation, 1);
    const mainUpdate = store.update(DEPLOYMENTS, { ...withStatus, status: { replicas: 99 } });
    assert.deepEqual(mainUpdate.status, { replicas: 1, observedGeneration: 1 });
  });

  it('a type without a status subresource stores what it is given', () => {
    const store = createObjectStore();
    const created = store.create(CONFIG_MAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } });
    const updated = store.update(CONFIG_MAPS, { ...created, data: { a: '2' } });
    assert.deepEqual(updated.data, { a: '2' });
  });

  it('scale subresource takes only spec.replicas and bumps generation', () => {
    const store = createObjectStore();
    const created = store.create(DEPLOYMENTS, deployment('web'));
    const scaled = store.update(DEPLOYMENTS, { ...created, metadata: { ...created.metadata, labels: { x: 'y' } }, spec: { replicas: 4, selector: {} } }, { subresource: 'scale' });
    assert.deepEqual(scaled.spec, { replicas: 4, selector: { matchLabels: { app: 'web' } } });
    assert.deepEqual(scaled.metadata.labels, { app: 'web' });
    assert.equal(scaled.metadata.generation, 2);
  });

  it('delete returns the last state, then get is undefined; deleting again returns undefined', () => {
    const store = createObjectStore();
    store.create(DEPLOYMENTS, deployment('web'));
    const deleted = store.delete(DEPLOYMENTS, 'default', 'web');
    assert.equal(deleted?.metadata.name, 'web');
    assert.equal(store.get(DEPLOYMENTS, 'default', 'web'), undefined);
    assert.equal(store.delete(DEPLOYMENTS, 'default', 'web'), undefined);
  });

  it('delete garbage-collects dependents by ownerReferences, recursively, and spares objects with another live owner', () => {
    const store = createObjectStore();
    const web = store.create(DEPLOYMENTS, deployment('web'));
    const other = store.create(DEPLOYMENTS, deployment('other'));
    const rs = store.create(REPLICA_SETS, owned('ReplicaSet', 'web-abc', web));
    store.create(PODS, owned('Pod', 'web-abc-1', rs));
    const shared = owned('Pod', 'shared', rs);
    shared.metadata.ownerReferences?.push({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'other', uid: other.metadata.uid });
    store.create(PODS, shared);
    store.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely', namespace: 'default' } });
    store.delete(DEPLOYMENTS, 'default', 'web');
    assert.deepEqual(store.list(REPLICA_SETS).items, []);
    assert.deepEqual(store.list(PODS).items.map((pod) => pod.metadata.name), ['lonely', 'shared']);
  });

  it('deleting a namespace deletes what is in it', () => {
    const store = createObjectStore();
    store.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'models' } });
    store.create(DEPLOYMENTS, deployment('web', 1, 'models'));
    store.create(DEPLOYMENTS, deployment('web', 1, 'default'));
    store.delete(NAMESPACES, undefined, 'models');
    assert.deepEqual(store.list(DEPLOYMENTS).items.map((item) => item.metadata.namespace), ['default']);
  });

  it('list is sorted by namespace and name and carries the current resourceVersion', () => {
    const store = createObjectStore();
    store.create(DEPLOYMENTS, deployment('b', 1, 'x'));
    store.create(DEPLOYMENTS, deployment('a', 1, 'y'));
    const last = store.create(DEPLOYMENTS, deployment('a', 1, 'x'));
    const list = store.list(DEPLOYMENTS);
    assert.deepEqual(list.items.map((item) => `${item.metadata.namespace ?? ''}/${item.metadata.name}`), ['x/a', 'x/b', 'y/a']);
    assert.equal(list.resourceVersion, last.metadata.resourceVersion);
  });

  describe('watch', () => {
    it('without a resourceVersion: ADDED for what exists, then the changes in order, filtered by type and namespace', () => {
      const store = createObjectStore();
      store.create(DEPLOYMENTS, deployment('existing'));
      const events: string[] = [];
      const stop = store.watch(DEPLOYMENTS, 'default', undefined, (event) => events.push(`${event.type} ${event.object.metadata.name} ${event.object.metadata.generation}`));
      const web = store.create(DEPLOYMENTS, deployment('web'));
      store.create(DEPLOYMENTS, deployment('elsewhere', 1, 'other'));
      store.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } });
      store.update(DEPLOYMENTS, { ...web, spec: { replicas: 2 } });
      store.delete(DEPLOYMENTS, 'default', 'web');
      stop();
      store.create(DEPLOYMENTS, deployment('after-stop'));
      assert.deepEqual(events, ['ADDED existing 1', 'ADDED web 1', 'MODIFIED web 2', 'DELETED web 2']);
    });

    it('from a resourceVersion: replays only later changes, then continues', () => {
      const store = createObjectStore();
      const first = store.create(DEPLOYMENTS, deployment('one'));
      store.create(DEPLOYMENTS, deployment('two'));
      const events: string[] = [];
      store.watch(DEPLOYMENTS, undefined, first.metadata.resourceVersion, (event) => events.push(`${event.type} ${event.object.metadata.name}`));
      store.create(DEPLOYMENTS, deployment('three', 1, 'other'));
      assert.deepEqual(events, ['ADDED two', 'ADDED three']);
    });

    it('a DELETED event carries a newer resourceVersion than the last write', () => {
      const store = createObjectStore();
      const web = store.create(DEPLOYMENTS, deployment('web'));
      let deleted: WatchEvent | undefined;
      store.watch(DEPLOYMENTS, 'default', web.metadata.resourceVersion, (event) => (deleted = event));
      store.delete(DEPLOYMENTS, 'default', 'web');
      assert.equal(deleted?.type, 'DELETED');
      assert.ok(Number(deleted.object.metadata.resourceVersion) > Number(web.metadata.resourceVersion));
    });

    it('a resourceVersion older than the history kept is 410 Expired', () => {
      const store = createObjectStore({ historySize: 2 });
      const first = store.create(DEPLOYMENTS, deployment('a'));
      store.create(DEPLOYMENTS, deployment('b'));
      store.create(DEPLOYMENTS, deployment('c'));
      store.create(DEPLOYMENTS, deployment('d'));
      const error = statusErrorOf(() => store.watch(DEPLOYMENTS, undefined, first.metadata.resourceVersion, () => undefined));
      assert.ok(isStatusError(error, 'Expired'));
      assert.equal(error.status.code, 410);
    });

    it('a listener that writes to the store does not reorder what other listeners see', () => {
      const store = createObjectStore();
      const seenBySecond: string[] = [];
      store.watch(DEPLOYMENTS, undefined, undefined, (event) => {
        if (event.type === 'ADDED' && event.object.metadata.name === 'web') store.create(DEPLOYMENTS, deployment('web-child'));
      });
      store.watch(DEPLOYMENTS, undefined, undefined, (event) => seenBySecond.push(`${event.type} ${event.object.metadata.name}`));
      store.create(DEPLOYMENTS, deployment('web'));
      assert.deepEqual(seenBySecond, ['ADDED web', 'ADDED web-child']);
    });

    it('GC deletions are delivered as DELETED events', () => {
      const store = createObjectStore();
      const web = store.create(DEPLOYMENTS, deployment('web'));
      store.create(REPLICA_SETS, owned('ReplicaSet', 'web-1', web));
      const events: string[] = [];
      store.watch(REPLICA_SETS, 'default', undefined, (event) => events.push(`${event.type} ${event.object.metadata.name}`));
      store.delete(DEPLOYMENTS, 'default', 'web');
      assert.deepEqual(events, ['ADDED web-1', 'DELETED web-1']);
    });
  });
});
