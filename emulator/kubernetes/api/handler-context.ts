/** What the verb handlers share: the store, the schema and the write pipeline, the clock and the runtime's log source. */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ServiceAllocator } from '../admission/service-allocation';
import type { createFieldManager } from '../apply/managed-fields';
import type { KubernetesSchema, Schema } from '../openapi/kubernetes-schema';
import type { PodLogSource } from '../runtime-contract';
import { kubernetesTime, type KubeObject, type ObjectStore } from '../store/object-store';
import { apiVersionOf, NAMESPACES, type ResourceType } from '../store/resource-types';
import { badRequest, KubernetesStatusError, notFound } from '../status-errors';
import type { ObjectWrites } from './object-writes';

export interface HandlerContext {
  store: ObjectStore;
  schema: KubernetesSchema;
  writes: ObjectWrites;
  fieldManager: ReturnType<typeof createFieldManager>;
  strategicMerge: (original: unknown, patch: unknown, schema: Schema | undefined) => unknown;
  services: ServiceAllocator;
  now: () => Date;
  podLogs: () => PodLogSource | undefined;
}

export function kindSchema(context: HandlerContext, type: ResourceType): Schema | undefined {
  const name = context.schema.definitionOf(type.group, type.version, type.kind);
  return name ? context.schema.definition(name) : undefined;
}

/** The manager of a write: `fieldManager`, else the User-Agent up to its first '/' (as kube-apiserver does). */
export function managerOf(query: URLSearchParams, headers: IncomingHttpHeaders, required: boolean): string {
  const given = query.get('fieldManager');
  if (given !== null && given !== '') {
    if (given.length > 128) throw badRequest(`fieldManager: Too long: may not be longer than 128`);
    return given;
  }
  if (required) {
    throw new KubernetesStatusError(400, 'BadRequest', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
      causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
    });
  }
  const agent = String(headers['user-agent'] ?? '');
  const prefix = agent.split('/')[0]?.trim() ?? '';
  return prefix === '' ? 'unknown' : prefix.slice(0, 128);
}

export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const value of values) if (value !== 'All') throw badRequest(`Invalid dry run value "${value}". Valid values are "All".`);
  return values.length > 0;
}

/** Kinds whose registry strategy keeps metadata.generation (the store gives every object one). */
const GENERATION_TRACKED = new Set(['apps/deployments', 'apps/replicasets', 'autoscaling/horizontalpodautoscalers', 'policy/poddisruptionbudgets', '/pods']);

/** An object as the API returns it: with its apiVersion and kind, and a generation only where Kubernetes tracks one. */
export function withTypeMeta(type: ResourceType, object: KubeObject): KubeObject {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  void _apiVersion;
  void _kind;
  const presented: KubeObject = { apiVersion: apiVersionOf(type), kind: type.kind, ...rest };
  if (!GENERATION_TRACKED.has(`${type.group}/${type.resource}`)) {
    const metadata: Partial<KubeObject['metadata']> = { ...presented.metadata };
    delete metadata.generation;
    presented.metadata = metadata as KubeObject['metadata'];
  }
  return presented;
}

export function requireNamespace(context: HandlerContext, type: ResourceType, namespace: string | undefined): void {
  if (!type.namespaced || namespace === undefined) return;
  if (!context.store.get(NAMESPACES, undefined, namespace)) throw notFound(NAMESPACES, namespace);
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generatedName(prefix: string): string {
  const bytes = randomBytes(5);
  return prefix + [...bytes].map((byte) => GENERATE_ALPHABET[byte % GENERATE_ALPHABET.length] ?? 'x').join('');
}

export function nowTime(context: HandlerContext): string {
  return kubernetesTime(context.now());
}
