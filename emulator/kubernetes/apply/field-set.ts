/**
 * Field sets as server-side apply tracks them (sigs.k8s.io/structured-merge-diff fieldpath): a path is a
 * list of elements (`f:<field>`, `k:<json keys>` for an item of a list-map, `v:<json value>` for a set
 * item, `i:<index>` for an item of an atomic list's parent), serialised in managedFields as FieldsV1
 * trees, where `.` marks a node that is itself a member.
 */
import { isObject } from '../json-values';
import { isDeepStrictEqual } from 'node:util';
import type { KubernetesSchema, Schema } from '../openapi/kubernetes-schema';

export type PathElement = string; // 'f:name' | 'k:{"name":"web"}' | 'v:"x"' | 'i:0'
export type FieldPath = readonly PathElement[];

export const pathKey = (path: FieldPath): string => JSON.stringify(path);
export const pathFromKey = (key: string): PathElement[] => JSON.parse(key) as PathElement[];

export class FieldSet {
  private readonly members = new Set<string>();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.add(path);
    return set;
  }

  add(path: FieldPath): void {
    this.members.add(pathKey(path));
  }

  has(path: FieldPath): boolean {
    return this.members.has(pathKey(path));
  }

  delete(path: FieldPath): void {
    this.members.delete(pathKey(path));
  }

  get size(): number {
    return this.members.size;
  }

  paths(): PathElement[][] {
    return [...this.members].map(pathFromKey);
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.of([...this.paths(), ...other.paths()]);
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((path) => other.has(path)));
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((path) => !other.has(path)));
  }

  /** True when some member lies below `prefix` (or is it). */
  hasPrefix(prefix: FieldPath): boolean {
    return this.paths().some((path) => prefix.every((element, index) => path[index] === element));
  }

  toFieldsV1(): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    const sorted = this.paths().sort((a, b) => a.length - b.length);
    for (const path of sorted) {
      let node = root;
      path.forEach((element, index) => {
        const existing = node[element] as Record<string, unknown> | undefined;
        const child = existing ?? {};
        node[element] = child;
        if (index === path.length - 1 && path.length > 0 && Object.keys(child).length > 0) child['.'] = {};
        node = child;
      });
    }
    // A member that later got children needs its '.' marker.
    for (const path of sorted) {
      let node: Record<string, unknown> | undefined = root;
      for (const element of path) node = node?.[element] as Record<string, unknown> | undefined;
      if (node && Object.keys(node).some((key) => key !== '.')) node['.'] = {};
    }
    return sortTree(root);
  }

  static fromFieldsV1(tree: unknown): FieldSet {
    const set = new FieldSet();
    const walk = (node: unknown, prefix: PathElement[]): void => {
      if (typeof node !== 'object' || node === null) return;
      const entries = Object.entries(node as Record<string, unknown>);
      if (entries.length === 0 && prefix.length > 0) set.add(prefix);
      for (const [key, child] of entries) {
        if (key === '.') set.add(prefix);
        else walk(child, [...prefix, key]);
      }
    };
    walk(tree, []);
    return set;
  }
}

function sortTree(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(node).sort((a, b) => (a === '.' ? -1 : b === '.' ? 1 : a < b ? -1 : a > b ? 1 : 0))) {
    const child = node[key];
    out[key] = typeof child === 'object' && child !== null ? sortTree(child as Record<string, unknown>) : child;
  }
  return out;
}

/** `.spec.template.spec.containers[name="web"].image`, as conflicts print paths. */
export function formatPath(path: FieldPath): string {
  return path
    .map((element) => {
      const value = element.slice(2);
      if (element.startsWith('f:')) return `.${value}`;
      if (element.startsWith('k:')) {
        const keys = JSON.parse(value) as Record<string, unknown>;
        return `[${Object.entries(keys)
          .map(([key, keyValue]) => `${key}=${JSON.stringify(keyValue)}`)
          .join(',')}]`;
      }
      if (element.startsWith('v:')) return `[=${value}]`;
      return `[${value}]`;
    })
    .join('');
}

export type Json = unknown;

/**
 * Defaults of list-map key fields, from the OpenAPI v3 schema (`default: "TCP"` on the `protocol` key of
 * container, service and endpoint ports), which the v2 document does not carry: an applied port without a
 * protocol is the same item as the stored, defaulted one.
 */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

export function keyElement(item: Record<string, unknown>, keys: readonly string[]): PathElement {
  const picked: Record<string, unknown> = {};
  for (const key of [...keys].sort()) {
    const value = item[key] ?? KEY_DEFAULTS[key];
    if (value !== undefined) picked[key] = value;
  }
  return `k:${JSON.stringify(picked)}`;
}

export interface FieldWalker {
  /**
   * Leaves and keyed list items of `value` (what an applier owns): scalars, atomic lists and maps, empty
   * objects, and each list-map or set item (items are members, with their fields below).
   */
  fieldsOf(value: Json, schema: Schema | undefined): FieldSet;
  /** The value at a path, or undefined. */
  valueAt(value: Json, path: FieldPath, schema: Schema | undefined): { found: boolean; value?: Json };
  /** Paths whose value differs between two objects (added, changed or removed), plus new map/list-item nodes. */
  changedFields(before: Json, after: Json, schema: Schema | undefined): { changed: FieldSet; removed: FieldSet };
}

export function createFieldWalker(schema: KubernetesSchema): FieldWalker {
  function walk(value: Json, node: Schema | undefined, prefix: PathElement[], out: FieldSet): void {
    if (isObject(value) && schema.isGranularMap(node)) {
      const entries = Object.entries(value);
      if (entries.length === 0 && prefix.length > 0) out.add(prefix);
      for (const [key, child] of entries) if (child !== undefined) walk(child, schema.property(node, key), [...prefix, `f:${key}`], out);
      return;
    }
    if (Array.isArray(value)) {
      const semantics = schema.listSemantics(schema.resolve(node) ? node : undefined);
      if (semantics.type === 'map') {
        const items = schema.items(node);
        for (const item of value) {
          if (!isObject(item)) continue;
          const itemPath = [...prefix, keyElement(item, semantics.keys)];
          out.add(itemPath);
          walk(item, items, itemPath, out);
        }
        if (value.length === 0) out.add(prefix);
        return;
      }
      if (semantics.type === 'set') {
        for (const item of value) out.add([...prefix, `v:${JSON.stringify(item)}`]);
        if (value.length === 0) out.add(prefix);
        return;
      }
    }
    if (prefix.length > 0) out.add(prefix);
  }

  function step(value: Json, element: PathElement, node: Schema | undefined): { found: boolean; value?: Json; schema?: Schema } {
    const raw = element.slice(2);
    if (element.startsWith('f:')) {
      if (!isObject(value) || !(raw in value)) return { found: false };
      const child = schema.property(node, raw);
      return { found: true, value: value[raw], ...(child ? { schema: child } : {}) };
    }
    if (!Array.isArray(value)) return { found: false };
    const items = schema.items(node);
    if (element.startsWith('k:')) {
      const keys = JSON.parse(raw) as Record<string, unknown>;
      const item: unknown = value.find((candidate) => isObject(candidate) && Object.entries(keys).every(([key, keyValue]) => isDeepStrictEqual(candidate[key] ?? KEY_DEFAULTS[key], keyValue)));
      return item === undefined ? { found: false } : { found: true, value: item, ...(items ? { schema: items } : {}) };
    }
    if (element.startsWith('v:')) {
      const wanted: unknown = JSON.parse(raw);
      return value.some((candidate) => isDeepStrictEqual(candidate, wanted)) ? { found: true, value: wanted } : { found: false };
    }
    const index = Number(raw);
    return index < value.length ? { found: true, value: value[index] as Json, ...(items ? { schema: items } : {}) } : { found: false };
  }

  const self: FieldWalker = {
    fieldsOf(value, node) {
      const out = new FieldSet();
      walk(value, node, [], out);
      return out;
    },
    valueAt(value, path, node) {
      let current: { found: boolean; value?: Json; schema?: Schema } = { found: true, value, ...(node ? { schema: node } : {}) };
      for (const element of path) {
        current = step(current.value, element, current.schema);
        if (!current.found) return { found: false };
      }
      return { found: true, value: current.value };
    },
    changedFields(before, after, node) {
      const beforeFields = self.fieldsOf(before, node);
      const afterFields = self.fieldsOf(after, node);
      const changed = new FieldSet();
      for (const path of afterFields.paths()) {
        const old = self.valueAt(before, path, node);
        if (!old.found) {
          changed.add(path);
          continue;
        }
        const last = path[path.length - 1] ?? '';
        if (last.startsWith('k:') || last.startsWith('v:')) continue;
        if (!isDeepStrictEqual(old.value, self.valueAt(after, path, node).value)) changed.add(path);
      }
      // New map nodes (labels, annotations, ...) are members too, as an Update records them.
      const addNewMaps = (value: Json, sub: Schema | undefined, prefix: PathElement[]): void => {
        if (!isObject(value)) return;
        for (const [key, child] of Object.entries(value)) {
          const childSchema = schema.property(sub, key);
          const path = [...prefix, `f:${key}`];
          if (isObject(child) && schema.isGranularMap(childSchema)) {
            const resolved = schema.resolve(childSchema);
            const isMap = resolved?.additionalProperties !== undefined && resolved.properties === undefined;
            if (isMap && Object.keys(child).length > 0 && !self.valueAt(before, path, node).found) changed.add(path);
            addNewMaps(child, childSchema, path);
          }
        }
      };
      addNewMaps(after, node, []);
      const removed = FieldSet.of(beforeFields.paths().filter((path) => !self.valueAt(after, path, node).found));
      return { changed, removed };
    },
  };
  return self;
}
