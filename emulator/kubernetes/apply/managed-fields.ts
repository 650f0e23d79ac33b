/**
 * managedFields bookkeeping, as kube-apiserver's field manager does it
 * (k8s.io/apimachinery/pkg/util/managedfields): who owns which field, applies that conflict with other
 * owners (409 `Apply failed with N conflict(s)` with one FieldManagerConflict cause per field), `force`
 * taking fields over, and updates (PUT, patches, /scale) moving the fields they change to their manager.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ManagedFieldsEntry } from '../store/object-store';
import { KubernetesStatusError } from '../status-errors';
import type { KubernetesSchema, Schema } from '../openapi/kubernetes-schema';
import { createApplyMerge } from './apply-merge';
import { createFieldWalker, FieldSet, formatPath, type FieldPath } from './field-set';

export interface ApplyRequest {
  live: Record<string, unknown> | undefined;
  /** The decoded applied configuration (unknown fields already dropped). */
  applied: Record<string, unknown>;
  manager: string;
  force: boolean;
  apiVersion: string;
  /** The kind's definition schema. */
  schema: Schema | undefined;
  time: string;
}

export interface UpdateRecord {
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown>;
  manager: string;
  apiVersion: string;
  subresource?: string;
  schema: Schema | undefined;
  time: string;
}

/** Parts of an object that are never owned: identity and server-set metadata, and status (its own subresource). */
const UNMANAGED_PATHS: FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata', 'f:name'],
  ['f:metadata', 'f:namespace'],
  ['f:metadata', 'f:uid'],
  ['f:metadata', 'f:resourceVersion'],
  ['f:metadata', 'f:generation'],
  ['f:metadata', 'f:creationTimestamp'],
  ['f:metadata', 'f:managedFields'],
  ['f:metadata', 'f:deletionTimestamp'],
  ['f:metadata', 'f:selfLink'],
];

function isUnmanaged(path: FieldPath, subresource: string | undefined): boolean {
  if (subresource !== 'status' && path[0] === 'f:status') return true;
  if (subresource === 'status' && path[0] !== 'f:status') return true;
  return UNMANAGED_PATHS.some((prefix) => prefix.every((element, index) => path[index] === element));
}

function identity(entry: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([entry.manager, entry.operation, entry.operation === 'Update' ? entry.apiVersion : '', entry.subresource ?? '']);
}

function describeManager(entry: ManagedFieldsEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === 'Update') text += ` using ${entry.apiVersion}`;
  return text;
}

export function applyConflictError(conflicts: { entry: ManagedFieldsEntry; path: FieldPath }[]): KubernetesStatusError {
  const causes = conflicts.map(({ entry, path }) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describeManager(entry)}`, field: formatPath(path) }));
  let message: string;
  const [only] = conflicts;
  if (conflicts.length === 1 && only) {
    message = `Apply failed with 1 conflict: conflict with ${describeManager(only.entry)}: ${formatPath(only.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const { entry, path } of conflicts) {
      const key = describeManager(entry);
      byManager.set(key, [...(byManager.get(key) ?? []), formatPath(path)]);
    }
    const lines: string[] = [];
    for (const manager of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${manager}:`);
      for (const path of byManager.get(manager) ?? []) lines.push(`- ${path}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new KubernetesStatusError(409, 'Conflict', message, { causes });
}

export function createFieldManager(schema: KubernetesSchema) {
  const walker = createFieldWalker(schema);
  const merger = createApplyMerge(schema);

  const ownedFields = (value: unknown, node: Schema | undefined, subresource?: string): FieldSet =>
    FieldSet.of(walker.fieldsOf(value, node).paths().filter((path) => !isUnmanaged(path, subresource)));

  function entriesOf(object: Record<string, unknown> | undefined): ManagedFieldsEntry[] {
    const metadata = object?.metadata as { managedFields?: ManagedFieldsEntry[] } | undefined;
    return structuredClone(metadata?.managedFields ?? []);
  }

  function finish(entries: { entry: ManagedFieldsEntry; fields: FieldSet }[]): ManagedFieldsEntry[] {
    return entries.filter(({ fields }) => fields.size > 0).map(({ entry, fields }) => ({ ...entry, fieldsType: 'FieldsV1', fieldsV1: fields.toFieldsV1() }));
  }

  return {
    /** Server-side apply: the new object (without managedFields) and its managedFields; throws 409 on conflicts. */
    apply(request: ApplyRequest): { object: Record<string, unknown>; managedFields: ManagedFieldsEntry[] } {
      const { live, applied, manager, schema: node } = request;
      const appliedFields = ownedFields(applied, node);
      const entries = entriesOf(live).map((entry) => ({ entry, fields: FieldSet.fromFieldsV1(entry.fieldsV1) }));
      const mine = entries.find(({ entry }) => entry.manager === manager && entry.operation === 'Apply' && !entry.subresource);
      const base = live ? structuredClone(live) : {};
      const merged = merger.merge(base, applied, node) as Record<string, unknown>;

      const conflicts: { entry: ManagedFieldsEntry; path: FieldPath }[] = [];
      for (const other of entries) {
        if (other === mine) continue;
        for (const path of appliedFields.intersection(other.fields).paths()) {
          // A list item itself is shared by whoever sets fields in it; only its fields can conflict.
          const last = path[path.length - 1] ?? '';
          if (last.startsWith('k:') || last.startsWith('v:')) continue;
          const before = walker.valueAt(base, path, node);
          const after = walker.valueAt(merged, path, node);
          if (before.found && after.found && isDeepStrictEqual(before.value, after.value)) continue;
          conflicts.push({ entry: other.entry, path });
        }
      }
      if (conflicts.length > 0 && !request.force) throw applyConflictError(conflicts);
      for (const { entry, path } of conflicts) entries.find((candidate) => candidate.entry === entry)?.fields.delete(path);

      // Fields this applier applied before and no longer applies: removed unless someone else owns them.
      const dropped = (mine?.fields ?? new FieldSet()).difference(appliedFields).paths();
      const ownedByOthers = entries.filter((entry) => entry !== mine).reduce((all, entry) => all.union(entry.fields), new FieldSet());
      const result = merger.removeAll(merged, dropped.filter((path) => !ownedByOthers.has(path) && !ownedByOthers.hasPrefix(path))) as Record<string, unknown>;

      const applyEntry: ManagedFieldsEntry = { manager, operation: 'Apply', apiVersion: request.apiVersion, time: request.time, fieldsType: 'FieldsV1', fieldsV1: {} };
      const kept = entries.filter((entry) => entry !== mine);
      const ordered = mine ? entries.map((entry) => (entry === mine ? { entry: applyEntry, fields: appliedFields } : entry)) : [...kept, { entry: applyEntry, fields: appliedFields }];
      return { object: result, managedFields: finish(ordered) };
    },

    /** Create, update, patch or a subresource write by `manager`: the managedFields after it. */
    update(record: UpdateRecord): ManagedFieldsEntry[] {
      const { before, after, schema: node, subresource } = record;
      const entries = entriesOf(before).map((entry) => ({ entry, fields: FieldSet.fromFieldsV1(entry.fieldsV1) }));
      const { changed, removed } = before ? walker.changedFields(before, after, node) : { changed: ownedFields(after, node, subresource), removed: new FieldSet() };
      const relevantChanged = FieldSet.of(changed.paths().filter((path) => !isUnmanaged(path, subresource)));
      for (const entry of entries) {
        for (const path of relevantChanged.paths()) entry.fields.delete(path);
        for (const path of removed.paths()) entry.fields.delete(path);
      }
      const key = identity({ manager: record.manager, operation: 'Update', apiVersion: record.apiVersion, ...(subresource ? { subresource } : {}) });
      const existing = entries.find(({ entry }) => identity(entry) === key);
      if (relevantChanged.size > 0) {
        if (existing) {
          existing.fields = existing.fields.union(relevantChanged);
          existing.entry.time = record.time;
        } else {
          entries.push({
            entry: { manager: record.manager, operation: 'Update', apiVersion: record.apiVersion, time: record.time, fieldsType: 'FieldsV1', fieldsV1: {}, ...(subresource ? { subresource } : {}) },
            fields: relevantChanged,
          });
        }
      }
      return finish(entries);
    },
  };
}
