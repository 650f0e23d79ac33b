/**
 * The three patch types of PATCH requests: JSON patch (RFC 6902, `application/json-patch+json`), JSON
 * merge patch (RFC 7386, `application/merge-patch+json`) and Kubernetes' strategic merge patch
 * (`application/strategic-merge-patch+json`: lists merged by `x-kubernetes-patch-merge-key`, and the
 * `$patch`, `$setElementOrder/`, `$deleteFromPrimitiveList/`, `$retainKeys` directives).
 */
import { isObject } from '../json-values';
import { text } from '../json-values';
import { isDeepStrictEqual } from 'node:util';
import type { KubernetesSchema, Schema } from '../openapi/kubernetes-schema';
import { badRequest, KubernetesStatusError } from '../status-errors';

type Json = unknown;

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request`);
  return pointer.slice(1).split('/').map(unescapePointer);
}

interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function jsonPatchError(message: string): KubernetesStatusError {
  return new KubernetesStatusError(422, 'Invalid', message);
}

function getAt(document: Json, path: string[]): { found: boolean; value?: Json } {
  let current: Json = document;
  for (const segment of path) {
    if (Array.isArray(current)) {
      const index = Number(segment);
      if (!/^\d+$/.test(segment) || index >= current.length) return { found: false };
      current = current[index] as Json;
    } else if (isObject(current)) {
      if (!(segment in current)) return { found: false };
      current = current[segment];
    } else return { found: false };
  }
  return { found: true, value: current };
}

function setAt(document: Json, path: string[], value: Json, mode: 'add' | 'replace', pointer: string): Json {
  if (path.length === 0) return structuredClone(value);
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1] ?? '';
  const parent = getAt(document, parentPath);
  if (!parent.found) throw jsonPatchError(`doc is missing path: "${pointer}": missing value`);
  if (Array.isArray(parent.value)) {
    const list = parent.value;
    if (last === '-' && mode === 'add') list.push(structuredClone(value));
    else {
      const index = Number(last);
      if (!/^\d+$/.test(last) || index > list.length || (mode === 'replace' && index >= list.length)) throw jsonPatchError(`Unable to access invalid index: ${last}`);
      if (mode === 'add') list.splice(index, 0, structuredClone(value));
      else list[index] = structuredClone(value);
    }
  } else if (isObject(parent.value)) {
    if (mode === 'replace' && !(last in parent.value)) throw jsonPatchError(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
    parent.value[last] = structuredClone(value);
  } else throw jsonPatchError(`doc is missing path: "${pointer}": missing value`);
  return document;
}

function removeAt(document: Json, path: string[], pointer: string): Json {
  const parent = getAt(document, path.slice(0, -1));
  const last = path[path.length - 1] ?? '';
  if (Array.isArray(parent.value)) {
    const index = Number(last);
    if (!/^\d+$/.test(last) || index >= parent.value.length) throw jsonPatchError(`Unable to remove nonexistent key: ${last}: missing value`);
    parent.value.splice(index, 1);
  } else if (isObject(parent.value) && last in parent.value) delete parent.value[last];
  else throw jsonPatchError(`Unable to remove nonexistent key: ${last}: missing value`);
  void pointer;
  return document;
}

export function applyJsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let document = structuredClone(target);
  for (const raw of operations) {
    const operation = raw as JsonPatchOperation;
    const path = parsePointer(operation.path);
    switch (operation.op) {
      case 'add':
        document = setAt(document, path, operation.value, 'add', operation.path);
        break;
      case 'replace':
        document = setAt(document, path, operation.value, 'replace', operation.path);
        break;
      case 'remove':
        document = removeAt(document, path, operation.path);
        break;
      case 'move':
      case 'copy': {
        const from = parsePointer(operation.from ?? '');
        const source = getAt(document, from);
        if (!source.found) throw jsonPatchError(`doc is missing from path: "${operation.from ?? ''}": missing value`);
        const value = structuredClone(source.value);
        if (operation.op === 'move') document = removeAt(document, from, operation.from ?? '');
        document = setAt(document, path, value, 'add', operation.path);
        break;
      }
      case 'test': {
        const current = getAt(document, path);
        if (!current.found || !isDeepStrictEqual(current.value, operation.value)) throw jsonPatchError(`testing value ${operation.path} failed: test failed`);
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${String(operation.op)}`);
    }
  }
  return document;
}

const DIRECTIVE = '$patch';
const ORDER_PREFIX = '$setElementOrder/';
const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList/';
const RETAIN_KEYS = '$retainKeys';

export function createStrategicMerge(schema: KubernetesSchema) {
  function mergeKeyOf(node: Schema | undefined): { strategy: string; key: string | undefined } {
    const strategy = text(node?.['x-kubernetes-patch-strategy'] ?? '');
    const key = node?.['x-kubernetes-patch-merge-key'];
    return { strategy, key: typeof key === 'string' ? key : undefined };
  }

  function mergeList(original: unknown[], patch: unknown[], node: Schema | undefined): unknown[] {
    const { strategy, key } = mergeKeyOf(node);
    if (!strategy.includes('merge')) return patch.filter((item) => !(isObject(item) && item[DIRECTIVE] !== undefined)).map((item) => structuredClone(item));
    if (patch.some((item) => isObject(item) && item[DIRECTIVE] === 'replace')) return patch.filter((item) => !(isObject(item) && item[DIRECTIVE] === 'replace')).map((item) => structuredClone(item));
    if (!key) {
      const out = [...original];
      for (const item of patch) if (!out.some((existing) => isDeepStrictEqual(existing, item))) out.push(structuredClone(item));
      return out;
    }
    const items = schema.items(node);
    const out = original.map((item) => structuredClone(item));
    for (const item of patch) {
      if (!isObject(item)) continue;
      const index = out.findIndex((existing) => isObject(existing) && isDeepStrictEqual(existing[key], item[key]));
      if (item[DIRECTIVE] === 'delete') {
        if (index >= 0) out.splice(index, 1);
        continue;
      }
      if (index >= 0) out[index] = mergeValue(out[index], item, items);
      else out.push(mergeValue(undefined, item, items));
    }
    return out;
  }

  function order(list: unknown[], wanted: unknown[], key: string | undefined): unknown[] {
    const position = (item: unknown): number => wanted.findIndex((entry) => (key && isObject(entry) && isObject(item) ? isDeepStrictEqual(entry[key], item[key]) : isDeepStrictEqual(entry, item)));
    const known = list.filter((item) => position(item) >= 0).sort((a, b) => position(a) - position(b));
    const unknown = list.filter((item) => position(item) < 0);
    return [...known, ...unknown];
  }

  function mergeValue(original: unknown, patch: unknown, node: Schema | undefined): unknown {
    if (!isObject(patch)) return structuredClone(patch);
    if (patch[DIRECTIVE] === 'replace') {
      const rest = { ...patch };
      delete rest[DIRECTIVE];
      return rest;
    }
    if (patch[DIRECTIVE] === 'delete') return undefined;
    const out: Record<string, unknown> = isObject(original) ? { ...original } : {};
    const retain = patch[RETAIN_KEYS];
    for (const [field, value] of Object.entries(patch)) {
      if (field === DIRECTIVE || field === RETAIN_KEYS || field.startsWith(ORDER_PREFIX) || field.startsWith(DELETE_PRIMITIVE_PREFIX)) continue;
      const child = schema.property(node, field);
      if (value === null) {
        delete out[field];
        continue;
      }
      if (Array.isArray(value)) {
        const current = out[field];
        out[field] = mergeList(Array.isArray(current) ? current : [], value, child);
        continue;
      }
      if (isObject(value)) {
        const merged = mergeValue(out[field], value, child);
        if (merged === undefined) delete out[field];
        else out[field] = merged;
        continue;
      }
      out[field] = value;
    }
    for (const [directive, value] of Object.entries(patch)) {
      if (directive.startsWith(DELETE_PRIMITIVE_PREFIX) && Array.isArray(value)) {
        const field = directive.slice(DELETE_PRIMITIVE_PREFIX.length);
        const current = out[field];
        if (Array.isArray(current)) out[field] = current.filter((item) => !value.some((removed) => isDeepStrictEqual(removed, item)));
      }
      if (directive.startsWith(ORDER_PREFIX) && Array.isArray(value)) {
        const field = directive.slice(ORDER_PREFIX.length);
        const current = out[field];
        if (Array.isArray(current)) out[field] = order(current, value, mergeKeyOf(schema.property(node, field)).key);
      }
    }
    if (Array.isArray(retain)) for (const field of Object.keys(out)) if (!retain.includes(field)) delete out[field];
    return out;
  }

  return function applyStrategicMergePatch(original: Json, patch: Json, rootSchema: Schema | undefined): Json {
    if (!isObject(patch)) throw badRequest('unable to find api field in struct: the patch is not a JSON object');
    return mergeValue(original, patch, rootSchema);
  };
}
