/**
 * Decodes a request body against the official schema as kube-apiserver's JSON decoder does: a value of the
 * wrong JSON type fails the request (`json: cannot unmarshal string into Go struct field
 * DeploymentSpec.spec.replicas of type int32`); unknown fields are dropped and reported (the API server
 * then warns or, with `fieldValidation=Strict`, refuses); `null` fields are dropped (Go's zero value).
 */
import { text } from '../json-values';
import type { KubernetesSchema, Schema } from './kubernetes-schema';
import { canonicalQuantity } from './quantity';

export interface DecodeResult {
  value: unknown;
  /** Paths of unknown fields, as Kubernetes prints them: `spec.replicaz`, `spec.template.spec.containers[0].imagez`. */
  unknownFields: string[];
  /** The first type mismatch, worded as Go's encoding/json reports it. */
  typeError?: string;
  /** Values that are not valid for their special type (quantities). */
  invalid: { field: string; value: unknown; message: string }[];
}

/** Where standard base64 (with padding) stops being valid, as Go's encoding/base64 reports it; undefined when valid. */
function invalidBase64At(text: string): number | undefined {
  const match = /^[A-Za-z0-9+/]*/.exec(text);
  const prefix = match?.[0].length ?? 0;
  const rest = text.slice(prefix);
  if (rest === '' || rest === '=' || rest === '==') return (prefix + rest.length) % 4 === 0 ? undefined : Math.max(0, text.length - ((prefix + rest.length) % 4 || 4));
  return prefix;
}
const SPECIAL_ANY = new Set(['RawExtension', 'JSON', 'FieldsV1']);

function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return 'object';
}

export function createSchemaDecoder(schema: KubernetesSchema) {
  function goType(node: Schema | undefined): string {
    const resolved = schema.resolve(node);
    if (!resolved) return 'interface {}';
    const name = schema.nameOf(node);
    const type = resolved.type;
    if (type === 'integer') return text(resolved.format ?? 'int64');
    if (type === 'number') return 'float64';
    if (type === 'boolean') return 'bool';
    if (type === 'string') return name === 'Quantity' || name === 'IntOrString' || name === 'Time' ? `${name}` : 'string';
    if (type === 'array') return `[]${goType(schema.items(resolved))}`;
    if (resolved.properties && name) return `v1.${name}`;
    if (resolved.additionalProperties) return `map[string]${goType(resolved.additionalProperties as Schema)}`;
    return 'interface {}';
  }

  return function decode(rootDefinition: string, body: unknown): DecodeResult {
    const unknownFields: string[] = [];
    const invalid: DecodeResult['invalid'] = [];
    let typeError: string | undefined;
    const rootSchema = schema.definition(rootDefinition);

    function mismatch(value: unknown, structName: string | undefined, path: string, node: Schema | undefined): undefined {
      typeError ??= structName
        ? `json: cannot unmarshal ${jsonTypeOf(value)} into Go struct field ${structName}.${path} of type ${goType(node)}`
        : `json: cannot unmarshal ${jsonTypeOf(value)} into Go value of type ${goType(node)}`;
      return undefined;
    }

    function visit(node: Schema | undefined, value: unknown, path: string, structName: string | undefined): unknown {
      if (value === null) return undefined;
      const resolved = schema.resolve(node);
      if (!resolved) return value;
      const name = schema.nameOf(node);
      if (name && SPECIAL_ANY.has(name)) return value;
      if (name === 'Quantity') {
        if (typeof value !== 'number' && typeof value !== 'string') return mismatch(value, structName, path, node);
        const canonical = canonicalQuantity(String(value));
        if (canonical === undefined) {
          invalid.push({ field: path, value, message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" });
          return value;
        }
        return canonical;
      }
      if (name === 'IntOrString') {
        if (typeof value === 'number' && Number.isInteger(value)) return value;
        if (typeof value === 'string') return value;
        return mismatch(value, structName, path, node);
      }
      switch (resolved.type) {
        case 'string':
          if (typeof value !== 'string') return mismatch(value, structName, path, node);
          if (resolved.format === 'byte') {
            const bad = invalidBase64At(value);
            if (bad !== undefined) typeError ??= `illegal base64 data at input byte ${bad}`;
          }
          return value;
        case 'boolean':
          return typeof value === 'boolean' ? value : mismatch(value, structName, path, node);
        case 'integer':
          return typeof value === 'number' && Number.isInteger(value) ? value : mismatch(value, structName, path, node);
        case 'number':
          return typeof value === 'number' ? value : mismatch(value, structName, path, node);
        case 'array': {
          if (!Array.isArray(value)) return mismatch(value, structName, path, node);
          const items = schema.items(resolved);
          return value.map((item, index) => visit(items, item, `${path}[${index}]`, structName)).filter((item) => item !== undefined);
        }
        default:
          break;
      }
      const properties = resolved.properties as Record<string, Schema> | undefined;
      const additional = resolved.additionalProperties as Schema | boolean | undefined;
      if (!properties && additional === undefined) return value;
      if (typeof value !== 'object' || Array.isArray(value)) return mismatch(value, structName, path, node);
      const out: Record<string, unknown> = {};
      const ownStruct = properties ? (name ?? structName) : structName;
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const childPath = path === '' ? key : `${path}.${key}`;
        const childSchema = properties?.[key] ?? (typeof additional === 'object' ? additional : undefined);
        if (!childSchema) {
          if (additional === true) out[key] = child;
          else unknownFields.push(childPath);
          continue;
        }
        const decoded = visit(childSchema, child, childPath, ownStruct);
        if (decoded !== undefined) out[key] = decoded;
      }
      return out;
    }

    const value = visit(rootSchema, body, '', undefined);
    return { value, unknownFields, ...(typeError ? { typeError } : {}), invalid };
  };
}
