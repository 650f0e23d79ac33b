/**
 * The official Kubernetes OpenAPI v2 document (spec/kubernetes-openapi-v2.json, see spec/SOURCES.txt),
 * loaded once, and navigation over it: the definition of a kind, the schema of a field, and the list
 * and map semantics (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`,
 * `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`) that patches and server-side apply follow.
 */
import { text } from '../json-values';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Schema = Record<string, unknown>;

export interface OpenApiDocument {
  swagger: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, unknown>>;
  definitions: Record<string, Schema>;
  parameters?: Record<string, unknown>;
  security?: unknown;
  securityDefinitions?: unknown;
}

export const OPENAPI_V2_PATH = join(__dirname, '..', 'spec', 'kubernetes-openapi-v2.json');

let loaded: OpenApiDocument | undefined;

export function kubernetesOpenApi(): OpenApiDocument {
  loaded ??= JSON.parse(readFileSync(OPENAPI_V2_PATH, 'utf8')) as OpenApiDocument;
  return loaded;
}

export type ListSemantics = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: string[] };

export interface KubernetesSchema {
  document: OpenApiDocument;
  /** The definition name of a kind, e.g. io.k8s.api.apps.v1.Deployment for apps/v1 Deployment. */
  definitionOf(group: string, version: string, kind: string): string | undefined;
  /** Follows `$ref` (and a lone allOf of one $ref, as the v2 document writes referenced fields with descriptions). */
  resolve(schema: Schema | undefined): Schema | undefined;
  definition(name: string): Schema | undefined;
  /** The schema of property `name` of an object schema (resolved), or of its additionalProperties. */
  property(schema: Schema | undefined, name: string): Schema | undefined;
  items(schema: Schema | undefined): Schema | undefined;
  listSemantics(schema: Schema | undefined): ListSemantics;
  /** True for a struct or map whose fields are managed one by one (not `x-kubernetes-map-type: atomic`). */
  isGranularMap(schema: Schema | undefined): boolean;
  /** The name of a resolved schema's definition, for messages (DeploymentSpec). */
  nameOf(schema: Schema | undefined): string | undefined;
}

const asSchema = (value: unknown): Schema | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : undefined);
const REF_PREFIX = '#/definitions/';

export function createKubernetesSchema(document: OpenApiDocument = kubernetesOpenApi()): KubernetesSchema {
  const byGvk = new Map<string, string>();
  const names = new Map<Schema, string>();
  for (const [name, schema] of Object.entries(document.definitions)) {
    names.set(schema, name);
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const gvk of gvks) {
      const entry = asSchema(gvk);
      if (entry) byGvk.set(`${String(entry.group)}/${String(entry.version)}/${String(entry.kind)}`, name);
    }
  }
  const self: KubernetesSchema = {
    document,
    definitionOf(group, version, kind) {
      return byGvk.get(`${group}/${version}/${kind}`);
    },
    definition(name) {
      return document.definitions[name];
    },
    resolve(schema) {
      let current = schema;
      for (let depth = 0; current && depth < 10; depth++) {
        const ref = current.$ref;
        if (typeof ref === 'string' && ref.startsWith(REF_PREFIX)) {
          current = document.definitions[ref.slice(REF_PREFIX.length)];
          continue;
        }
        const allOf = current.allOf;
        if (Array.isArray(allOf) && allOf.length === 1) {
          current = asSchema(allOf[0]);
          continue;
        }
        return current;
      }
      return current;
    },
    property(schema, name) {
      const resolved = self.resolve(schema);
      if (!resolved) return undefined;
      const properties = asSchema(resolved.properties);
      const direct = properties ? asSchema(properties[name]) : undefined;
      if (direct) return direct;
      return asSchema(resolved.additionalProperties);
    },
    items(schema) {
      return asSchema(self.resolve(schema)?.items);
    },
    listSemantics(schema) {
      const listType = schema?.['x-kubernetes-list-type'];
      const keys = schema?.['x-kubernetes-list-map-keys'];
      if (listType === 'map' && Array.isArray(keys)) return { type: 'map', keys: keys.map(String) };
      if (listType === 'set') return { type: 'set' };
      if (listType === 'atomic') return { type: 'atomic' };
      const mergeKey = schema?.['x-kubernetes-patch-merge-key'];
      const strategy = text(schema?.['x-kubernetes-patch-strategy'] ?? '');
      if (typeof mergeKey === 'string' && strategy.includes('merge')) return { type: 'map', keys: [mergeKey] };
      if (strategy.includes('merge')) return { type: 'set' };
      return { type: 'atomic' };
    },
    isGranularMap(schema) {
      if (!schema) return false;
      const resolved = self.resolve(schema);
      if (schema['x-kubernetes-map-type'] === 'atomic' || resolved?.['x-kubernetes-map-type'] === 'atomic') return false;
      return resolved?.type === 'object' && (resolved.properties !== undefined || resolved.additionalProperties !== undefined);
    },
    nameOf(schema) {
      const resolved = self.resolve(schema);
      const name = resolved ? names.get(resolved) : undefined;
      return name?.split('.').pop();
    },
  };
  return self;
}

let shared: KubernetesSchema | undefined;

export function sharedKubernetesSchema(): KubernetesSchema {
  shared ??= createKubernetesSchema();
  return shared;
}
