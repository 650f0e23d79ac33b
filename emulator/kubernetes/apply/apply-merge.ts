/**
 * The object side of server-side apply: merging an applied configuration into the live object along the
 * schema (structs and granular maps field by field, list-maps item by key, sets by value, everything else
 * replaced), and removing the fields an applier stopped applying that nobody else owns.
 */
import { isObject } from '../json-values';
import { isDeepStrictEqual } from 'node:util';
import type { KubernetesSchema, Schema } from '../openapi/kubernetes-schema';
import { keyElement, type FieldPath } from './field-set';


export function createApplyMerge(schema: KubernetesSchema) {
  function merge(live: unknown, applied: unknown, node: Schema | undefined): unknown {
    if (isObject(live) && isObject(applied) && schema.isGranularMap(node)) {
      const out: Record<string, unknown> = { ...live };
      for (const [key, value] of Object.entries(applied)) {
        if (value === undefined) continue;
        out[key] = key in live ? merge(live[key], value, schema.property(node, key)) : structuredClone(value);
      }
      return out;
    }
    if (Array.isArray(live) && Array.isArray(applied)) {
      return mergeLists(live, applied, node);
    }
    return structuredClone(applied);
  }

  function mergeLists(live: unknown[], applied: unknown[], node: Schema | undefined): unknown {
    {
      const semantics = schema.listSemantics(node);
      if (semantics.type === 'map') {
        const items = schema.items(node);
        const keyOf = (item: unknown): string => (isObject(item) ? keyElement(item, semantics.keys) : JSON.stringify(item));
        const appliedByKey = new Map(applied.map((item) => [keyOf(item), item]));
        const out: unknown[] = live.map((item) => (appliedByKey.has(keyOf(item)) ? merge(item, appliedByKey.get(keyOf(item)), items) : item));
        const liveKeys = new Set(live.map(keyOf));
        for (const item of applied) if (!liveKeys.has(keyOf(item))) out.push(structuredClone(item));
        return out;
      }
      if (semantics.type === 'set') {
        const out = [...live];
        for (const item of applied) if (!out.some((existing) => isDeepStrictEqual(existing, item))) out.push(structuredClone(item));
        return out;
      }
    }
    return structuredClone(applied);
  }

  function remove(value: unknown, path: FieldPath): unknown {
    const [head, ...rest] = path;
    if (head === undefined) return undefined;
    const raw = head.slice(2);
    if (head.startsWith('f:') && isObject(value)) {
      if (!(raw in value)) return value;
      const out = { ...value };
      if (rest.length === 0) delete out[raw];
      else {
        const child = remove(out[raw], rest);
        if (child === undefined) delete out[raw];
        else out[raw] = child;
      }
      return out;
    }
    if (Array.isArray(value) && (head.startsWith('k:') || head.startsWith('v:'))) {
      const wanted = JSON.parse(raw) as unknown;
      const matches = (item: unknown): boolean =>
        head.startsWith('v:') ? isDeepStrictEqual(item, wanted) : isObject(item) && head === keyElement(item, Object.keys(wanted as Record<string, unknown>));
      const items: unknown[] = value;
      if (rest.length === 0) return items.filter((item) => !matches(item));
      return items.map((item) => (matches(item) ? remove(item, rest) : item));
    }
    return value;
  }

  return {
    merge,
    /** Removes each path (fields, list-map items, set values) from a copy of `value`. */
    removeAll(value: unknown, paths: readonly FieldPath[]): unknown {
      let current = value;
      for (const path of [...paths].sort((a, b) => a.length - b.length)) current = remove(current, path);
      return current;
    },
  };
}
