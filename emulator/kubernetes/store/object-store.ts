/**
 * The cluster's storage (what etcd plus the API server's registry are to Kubernetes), in memory.
 * The API server and the in-process controllers share it. Objects go in and come out as deep copies;
 * every change gets the next cluster-wide resourceVersion and is delivered, in order, to watchers.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { alreadyExists, conflict, notFound, OBJECT_MODIFIED, resourceVersionTooOld } from '../status-errors';
import { servedTypeOf, type ResourceType } from './resource-types';

export type { ResourceType } from './resource-types';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
  generateName?: string;
  finalizers?: string[];
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** What create (and an unconditional update) accepts: the store fills in uid, resourceVersion, generation, creationTimestamp. */
export type NewKubeObject = Omit<KubeObject, 'metadata'> & { metadata: Partial<ObjectMeta> & { name: string } };

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

export interface ObjectStore {
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  list(type: ResourceType, namespace?: string): { items: KubeObject[]; resourceVersion: string };
  /** Assigns uid, resourceVersion, creationTimestamp, generation 1; throws a Kubernetes AlreadyExists error. */
  create(type: ResourceType, object: NewKubeObject): KubeObject;
  /**
   * Optimistic concurrency when metadata.resourceVersion is set (Conflict error); NotFound when it does
   * not exist. Bumps generation when anything but metadata/status changed.
   * - no subresource: replaces the object; for types with a status subresource (pods, deployments,
   *   replicasets, services, namespaces, HPAs, PDBs) the stored status is kept, as Kubernetes does;
   * - 'status': only replaces status (the rest of the object is the stored one);
   * - 'scale': only takes spec.replicas from the given object.
   */
  update(type: ResourceType, object: NewKubeObject, options?: { subresource?: 'status' | 'scale' }): KubeObject;
  /**
   * Removes it, then garbage-collects dependents by ownerReferences (background propagation: an
   * object whose owners are all gone is deleted, recursively). Deleting a namespace deletes what is in it.
   */
  delete(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  /**
   * Without sinceResourceVersion (or '0'): an ADDED event per existing object first, then every change.
   * With one: every change after it (410 Expired error when it is older than the history kept).
   * Events are delivered synchronously, in resourceVersion order, to each listener; returns the unsubscribe.
   */
  watch(
    type: ResourceType,
    namespace: string | undefined,
    sinceResourceVersion: string | undefined,
    listener: (event: WatchEvent) => void,
  ): () => void;
}

export interface ObjectStoreOptions {
  now?: () => Date;
  /** How many past events a watch can resume from (default 5000). */
  historySize?: number;
}

interface StoredEvent {
  resourceVersion: number;
  typeKey: string;
  event: WatchEvent;
}

interface Watcher {
  typeKey: string;
  namespace: string | undefined;
  listener: (event: WatchEvent) => void;
  active: boolean;
}

const typeKeyOf = (type: ResourceType): string => `${type.group}/${type.resource}`;
const objectKeyOf = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

/** RFC 3339 with seconds precision, as Kubernetes writes metav1.Time. */
export function kubernetesTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function createObjectStore(options: ObjectStoreOptions = {}): ObjectStore {
  const now = options.now ?? (() => new Date());
  const historySize = options.historySize ?? 5000;
  const tables = new Map<string, { type: ResourceType; objects: Map<string, KubeObject> }>();
  const history: StoredEvent[] = [];
  const watchers: Watcher[] = [];
  const pending: StoredEvent[] = [];
  let delivering = false;
  let revision = 1;
  /** The resourceVersion of the newest event dropped from the history. */
  let forgottenUpTo = 0;

  function table(type: ResourceType): Map<string, KubeObject> {
    const key = typeKeyOf(type);
    let entry = tables.get(key);
    if (!entry) {
      entry = { type, objects: new Map() };
      tables.set(key, entry);
    }
    return entry.objects;
  }

  function deliver(): void {
    if (delivering) return;
    delivering = true;
    try {
      for (let next = pending.shift(); next; next = pending.shift()) {
        for (const watcher of [...watchers]) {
          if (!watcher.active || watcher.typeKey !== next.typeKey) continue;
          if (watcher.namespace !== undefined && next.event.object.metadata.namespace !== watcher.namespace) continue;
          watcher.listener(structuredClone(next.event));
        }
      }
    } finally {
      delivering = false;
    }
  }

  function record(type: ResourceType, event: WatchEvent): void {
    const stored: StoredEvent = { resourceVersion: Number(event.object.metadata.resourceVersion), typeKey: typeKeyOf(type), event: structuredClone(event) };
    history.push(stored);
    if (history.length > historySize) {
      const dropped = history.splice(0, history.length - historySize);
      forgottenUpTo = dropped[dropped.length - 1]?.resourceVersion ?? forgottenUpTo;
    }
    pending.push(stored);
  }

  function namespaceOf(type: ResourceType, object: { metadata: { namespace?: string } }): string | undefined {
    return type.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
  }

  function remove(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const objects = table(type);
    const key = objectKeyOf(namespace, name);
    const existing = objects.get(key);
    if (!existing) return undefined;
    objects.delete(key);
    const deleted = structuredClone(existing);
    deleted.metadata.resourceVersion = String(++revision);
    record(type, { type: 'DELETED', object: deleted });
    if (type.group === '' && type.resource === 'namespaces') removeNamespaceContents(name);
    collectDependents(existing.metadata.uid);
    return structuredClone(deleted);
  }

  function removeNamespaceContents(namespace: string): void {
    for (const { type, objects } of tables.values()) {
      if (!type.namespaced) continue;
      for (const object of [...objects.values()]) {
        if (object.metadata.namespace === namespace) remove(type, namespace, object.metadata.name);
      }
    }
  }

  function collectDependents(ownerUid: string): void {
    const liveUids = new Set<string>();
    for (const { objects } of tables.values()) for (const object of objects.values()) liveUids.add(object.metadata.uid);
    for (const { type, objects } of tables.values()) {
      for (const object of [...objects.values()]) {
        const owners = object.metadata.ownerReferences ?? [];
        if (!owners.some((owner) => owner.uid === ownerUid)) continue;
        if (owners.some((owner) => owner.uid !== ownerUid && liveUids.has(owner.uid))) continue;
        remove(type, object.metadata.namespace, object.metadata.name);
      }
    }
  }

  function withoutMetadataAndStatus(object: KubeObject): Record<string, unknown> {
    const rest: Record<string, unknown> = { ...object };
    delete rest.metadata;
    delete rest.status;
    delete rest.apiVersion;
    delete rest.kind;
    return rest;
  }

  const store: ObjectStore = {
    get(type, namespace, name) {
      const object = table(type).get(objectKeyOf(type.namespaced ? namespace : undefined, name));
      return object ? structuredClone(object) : undefined;
    },

    list(type, namespace) {
      const items = [...table(type).values()]
        .filter((object) => namespace === undefined || object.metadata.namespace === namespace)
        .sort((a, b) => objectKeyOf(a.metadata.namespace, a.metadata.name).localeCompare(objectKeyOf(b.metadata.namespace, b.metadata.name)))
        .map((object) => structuredClone(object));
      return { items, resourceVersion: String(revision) };
    },

    create(type, object) {
      const namespace = namespaceOf(type, object);
      const objects = table(type);
      const key = objectKeyOf(namespace, object.metadata.name);
      if (objects.has(key)) throw alreadyExists(type, object.metadata.name);
      const created = structuredClone(object) as KubeObject;
      created.metadata = {
        ...created.metadata,
        ...(namespace !== undefined ? { namespace } : {}),
        uid: randomUUID(),
        resourceVersion: String(++revision),
        generation: 1,
        creationTimestamp: kubernetesTime(now()),
      };
      if (!type.namespaced) delete created.metadata.namespace;
      objects.set(key, created);
      record(type, { type: 'ADDED', object: created });
      deliver();
      return structuredClone(created);
    },

    update(type, object, updateOptions = {}) {
      const namespace = namespaceOf(type, object);
      const objects = table(type);
      const key = objectKeyOf(namespace, object.metadata.name);
      const existing = objects.get(key);
      if (!existing) throw notFound(type, object.metadata.name);
      const given = object.metadata.resourceVersion;
      if (given !== undefined && given !== '' && given !== existing.metadata.resourceVersion) throw conflict(type, object.metadata.name, OBJECT_MODIFIED);
      const incoming = structuredClone(object) as KubeObject;
      let next: KubeObject;
      if (updateOptions.subresource === 'status') {
        next = structuredClone(existing);
        if (incoming.status === undefined) delete next.status;
        else next.status = incoming.status;
      } else if (updateOptions.subresource === 'scale') {
        next = structuredClone(existing);
        const replicas = (incoming.spec as { replicas?: unknown } | undefined)?.replicas;
        next.spec = { ...((next.spec) ?? {}), replicas };
      } else {
        next = incoming;
        if (servedTypeOf(type)?.statusSubresource ?? false) {
          if (existing.status === undefined) delete next.status;
          else next.status = structuredClone(existing.status);
        }
      }
      next.metadata = {
        ...next.metadata,
        ...(namespace !== undefined ? { namespace } : {}),
        name: existing.metadata.name,
        uid: existing.metadata.uid,
        creationTimestamp: existing.metadata.creationTimestamp,
        generation: existing.metadata.generation,
        resourceVersion: existing.metadata.resourceVersion,
      };
      if (!type.namespaced) delete next.metadata.namespace;
      if (existing.metadata.deletionTimestamp !== undefined) next.metadata.deletionTimestamp = existing.metadata.deletionTimestamp;
      if (isDeepStrictEqual(next, existing)) return structuredClone(existing);
      if (!isDeepStrictEqual(withoutMetadataAndStatus(next), withoutMetadataAndStatus(existing))) next.metadata.generation = existing.metadata.generation + 1;
      next.metadata.resourceVersion = String(++revision);
      objects.set(key, next);
      record(type, { type: 'MODIFIED', object: next });
      deliver();
      return structuredClone(next);
    },

    delete(type, namespace, name) {
      const deleted = remove(type, type.namespaced ? namespace : undefined, name);
      deliver();
      return deleted;
    },

    watch(type, namespace, sinceResourceVersion, listener) {
      const typeKey = typeKeyOf(type);
      const watcher: Watcher = { typeKey, namespace: type.namespaced ? namespace : undefined, listener, active: true };
      const replay: WatchEvent[] = [];
      if (sinceResourceVersion === undefined || sinceResourceVersion === '' || sinceResourceVersion === '0') {
        for (const object of store.list(type, watcher.namespace).items) replay.push({ type: 'ADDED', object });
      } else {
        const since = Number(sinceResourceVersion);
        if (!Number.isInteger(since) || since < 0) throw resourceVersionTooOld(sinceResourceVersion, `current ${revision}`);
        if (since < forgottenUpTo) throw resourceVersionTooOld(sinceResourceVersion, String(forgottenUpTo + 1));
        for (const stored of history) {
          if (stored.resourceVersion <= since || stored.typeKey !== typeKey) continue;
          if (watcher.namespace !== undefined && stored.event.object.metadata.namespace !== watcher.namespace) continue;
          if (pending.includes(stored)) continue;
          replay.push(structuredClone(stored.event));
        }
      }
      for (const event of replay) listener(event);
      watchers.push(watcher);
      return () => {
        watcher.active = false;
        const index = watchers.indexOf(watcher);
        if (index >= 0) watchers.splice(index, 1);
      };
    },
  };
  return store;
}
