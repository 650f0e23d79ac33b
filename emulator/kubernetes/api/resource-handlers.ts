/**
 * The verbs on a resource: get, list (label and field selectors, Table output), create, update (PUT),
 * patch (JSON, merge, strategic merge, server-side apply), delete and deletecollection, with
 * resourceVersion preconditions, dryRun, managedFields and Kubernetes' Status replies.
 */
import { isObject, text } from '../json-values';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ManagedFieldsEntry } from '../store/object-store';
import { matchesRequirements, parseSelector, type Requirement } from '../store/label-selector';
import { apiVersionOf, type ServedResourceType } from '../store/resource-types';
import { badRequest, conflict, KubernetesStatusError, notFound } from '../status-errors';
import { json, type ApiRequest, type ApiResult } from './api-types';
import { generatedName, isDryRun, kindSchema, managerOf, nowTime, requireNamespace, withTypeMeta, type HandlerContext } from './handler-context';
import { fieldValidationOf, parseBody } from './object-writes';
import { applyJsonPatch, applyMergePatch } from './patches';
import { matchesFields, parseFieldSelector, type FieldRequirement } from './field-selectors';
import { toTable } from './table-printing';

type Obj = Record<string, unknown>;

export interface Selectors {
  labels: Requirement[];
  fields: FieldRequirement[];
}

export function selectorsOf(request: ApiRequest): Selectors {
  const labelText = request.query.get('labelSelector') ?? '';
  let labels: Requirement[];
  try {
    labels = parseSelector(labelText);
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : String(error));
  }
  const fields = parseFieldSelector(request.query.get('fieldSelector') ?? '', request.type.group, request.type.kind);
  if (request.info.name !== undefined && request.info.verb === 'watch') fields.push({ field: 'metadata.name', operator: '=', value: request.info.name });
  return { labels, fields };
}

export function matchesSelectors(selectors: Selectors, object: KubeObject): boolean {
  return matchesRequirements(selectors.labels, object.metadata.labels) && matchesFields(selectors.fields, object);
}

export function wantsTable(request: ApiRequest): boolean {
  return String(request.headers.accept ?? '').includes('as=Table');
}

function tableOptions(context: HandlerContext, request: ApiRequest): { includeObject: 'None' | 'Metadata' | 'Object'; now: Date } {
  const include = request.query.get('includeObject');
  return { includeObject: include === 'None' || include === 'Object' ? include : 'Metadata', now: context.now() };
}

export function namespaceOf(request: ApiRequest): string | undefined {
  return request.type.namespaced ? request.info.namespace : undefined;
}

export function requireObject(context: HandlerContext, request: ApiRequest): KubeObject {
  const name = request.info.name ?? '';
  const object = context.store.get(request.type, namespaceOf(request), name);
  if (!object) throw notFound(request.type, name);
  return object;
}

export function handleGet(context: HandlerContext, request: ApiRequest): ApiResult {
  const object = withTypeMeta(request.type, requireObject(context, request));
  if (wantsTable(request)) return json(200, toTable(request.type.group, request.type.kind, [object], { resourceVersion: object.metadata.resourceVersion }, tableOptions(context, request)));
  return json(200, object);
}

export function handleList(context: HandlerContext, request: ApiRequest): ApiResult {
  const selectors = selectorsOf(request);
  const { items, resourceVersion } = context.store.list(request.type, namespaceOf(request));
  const selected = items.filter((item) => matchesSelectors(selectors, item));
  if (wantsTable(request)) {
    return json(200, toTable(request.type.group, request.type.kind, selected.map((item) => withTypeMeta(request.type, item)), { resourceVersion }, tableOptions(context, request)));
  }
  return json(200, {
    kind: `${request.type.kind}List`,
    apiVersion: apiVersionOf(request.type),
    metadata: { resourceVersion },
    items: selected.map((item) => {
      const { apiVersion: _a, kind: _k, ...rest } = withTypeMeta(request.type, item);
      void _a;
      void _k;
      return rest;
    }),
  });
}

function checkNamespaceAndName(request: ApiRequest, object: Obj, purpose: 'create' | 'update' | 'apply'): void {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  object.metadata = metadata;
  const urlNamespace = namespaceOf(request);
  if (request.type.namespaced) {
    if (typeof metadata.namespace === 'string' && metadata.namespace !== '' && metadata.namespace !== urlNamespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    metadata.namespace = urlNamespace;
  } else delete metadata.namespace;
  if (purpose !== 'create') {
    const name = metadata.name;
    if (name === undefined || name === '') metadata.name = request.info.name;
    else if (name !== request.info.name) {
      throw badRequest(
        purpose === 'apply'
          ? `metadata.name: Invalid value: "${text(name)}": field is immutable`
          : `the name of the object (${text(name)}) does not match the name on the URL (${request.info.name ?? ''})`,
      );
    }
  }
}

function stripServerFields(object: Obj): void {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  for (const field of ['uid', 'creationTimestamp', 'generation', 'deletionTimestamp', 'selfLink', 'managedFields']) delete metadata[field];
}

function storeCreate(context: HandlerContext, request: ApiRequest, object: Obj, dryRun: boolean): KubeObject {
  if (request.type.resource === 'services') context.services.allocate(object);
  if (dryRun) {
    const preview = structuredClone(object) as KubeObject;
    preview.metadata = { ...preview.metadata, uid: preview.metadata.uid ?? '', creationTimestamp: nowTime(context), generation: 1, resourceVersion: '' };
    return preview;
  }
  try {
    return context.store.create(request.type, object as KubeObject);
  } catch (error) {
    if (request.type.resource === 'services') context.services.release(object);
    throw error;
  }
}

export function handleCreate(context: HandlerContext, request: ApiRequest): ApiResult {
  const dryRun = isDryRun(request.query);
  const { object, warnings } = context.writes.decode(request.type, parseBody(request.body, request.headers['content-type']), fieldValidationOf(request.query));
  checkNamespaceAndName(request, object, 'create');
  const metadata = object.metadata as Obj;
  if (typeof metadata.resourceVersion === 'string' && metadata.resourceVersion !== '') {
    throw new KubernetesStatusError(500, 'InternalError', 'Internal error occurred: resourceVersion should not be set on objects to be created');
  }
  stripServerFields(object);
  if ((metadata.name === undefined || metadata.name === '') && typeof metadata.generateName === 'string' && metadata.generateName !== '') metadata.name = generatedName(metadata.generateName);
  requireNamespace(context, request.type, namespaceOf(request));
  context.writes.admit(request.type, object);
  metadata.managedFields = context.fieldManager.update({
    before: undefined,
    after: object,
    manager: managerOf(request.query, request.headers, false),
    apiVersion: apiVersionOf(request.type),
    schema: kindSchema(context, request.type),
    time: nowTime(context),
  });
  return json(201, withTypeMeta(request.type, storeCreate(context, request, object, dryRun)), warnings);
}

/** Stores `next` over `existing` (main resource or status): admission, managedFields, optimistic concurrency. */
export function writeUpdate(
  context: HandlerContext,
  request: ApiRequest,
  existing: KubeObject,
  next: Obj,
  options: { manager: string; subresource?: 'status'; managedFields?: ManagedFieldsEntry[]; dryRun: boolean },
): KubeObject {
  const type = request.type;
  if (options.subresource === 'status') {
    const merged = { ...structuredClone(existing), status: next.status } as Obj;
    (merged.metadata as Obj).resourceVersion = (next.metadata as Obj | undefined)?.resourceVersion ?? existing.metadata.resourceVersion;
    next = merged;
  } else {
    context.writes.admit(type, next, existing);
    if (type.statusSubresource) next.status = existing.status;
    if (type.resource === 'services') context.services.allocate(next, existing);
  }
  const metadata = next.metadata as Obj;
  for (const field of ['uid', 'creationTimestamp', 'generation']) metadata[field] = (existing.metadata as Obj)[field];
  const givenVersion = metadata.resourceVersion;
  if (typeof givenVersion === 'string' && givenVersion !== '' && givenVersion !== existing.metadata.resourceVersion) throw conflict(type, existing.metadata.name, 'the object has been modified; please apply your changes to the latest version and try again');
  metadata.managedFields =
    options.managedFields ??
    context.fieldManager.update({
      before: existing,
      after: next,
      manager: options.manager,
      apiVersion: apiVersionOf(type),
      ...(options.subresource ? { subresource: options.subresource } : {}),
      schema: kindSchema(context, type),
      time: nowTime(context),
    });
  const unchanged = isDeepStrictEqual({ ...next, metadata: { ...metadata, managedFields: undefined, resourceVersion: undefined } }, { ...existing, metadata: { ...existing.metadata, managedFields: undefined, resourceVersion: undefined } });
  if (unchanged) return existing;
  metadata.resourceVersion = existing.metadata.resourceVersion;
  if (options.dryRun) return next as KubeObject;
  return context.store.update(type, next as KubeObject, options.subresource ? { subresource: options.subresource } : {});
}

export function handleUpdate(context: HandlerContext, request: ApiRequest, subresource?: 'status'): ApiResult {
  const dryRun = isDryRun(request.query);
  const { object, warnings } = context.writes.decode(request.type, parseBody(request.body, request.headers['content-type']), fieldValidationOf(request.query));
  checkNamespaceAndName(request, object, 'update');
  const existing = requireObject(context, request);
  const stored = writeUpdate(context, request, existing, object, { manager: managerOf(request.query, request.headers, false), ...(subresource ? { subresource } : {}), dryRun });
  return json(200, withTypeMeta(request.type, stored), warnings);
}

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

export function patchKindOf(contentType: string | undefined): PatchKind {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  switch (type) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw new KubernetesStatusError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
}

/** Applies a non-apply patch to a JSON document of the object. */
export function patchDocument(context: HandlerContext, kind: Exclude<PatchKind, 'apply'>, document: unknown, request: ApiRequest, rootSchemaName?: string): unknown {
  const patch = parseBody(request.body, 'application/json');
  if (kind === 'json') return applyJsonPatch(document, patch);
  if (!isObject(patch)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  if (kind === 'merge') return applyMergePatch(document, patch);
  const schema = rootSchemaName ? context.schema.definition(rootSchemaName) : kindSchema(context, request.type);
  return context.strategicMerge(document, patch, schema);
}

function handleApply(context: HandlerContext, request: ApiRequest, existing: KubeObject | undefined, dryRun: boolean, subresource?: 'status'): ApiResult {
  const manager = managerOf(request.query, request.headers, true);
  const forceText = request.query.get('force');
  if (forceText !== null && forceText !== 'true' && forceText !== 'false') throw badRequest(`Invalid value for force: ${forceText}`);
  const { object: applied, warnings } = context.writes.decode(request.type, parseBody(request.body, 'application/yaml'), fieldValidationOf(request.query), 'apply');
  checkNamespaceAndName(request, applied, 'apply');
  const appliedMeta = applied.metadata as Obj;
  const precondition = appliedMeta.resourceVersion;
  delete appliedMeta.resourceVersion;
  stripServerFields(applied);
  if (subresource !== 'status') delete applied.status;
  if (typeof precondition === 'string' && precondition !== '' && existing && precondition !== existing.metadata.resourceVersion) {
    throw conflict(request.type, existing.metadata.name, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  const schema = kindSchema(context, request.type);
  const live = existing ? (structuredClone(existing) as unknown as Obj) : undefined;
  if (live) delete (live.metadata as Obj).managedFields;
  const liveForMerge = existing ? ({ ...live, metadata: { ...(live?.metadata as Obj), managedFields: existing.metadata.managedFields } } as Obj) : undefined;
  const result = context.fieldManager.apply({ live: liveForMerge, applied, manager, force: forceText === 'true', apiVersion: apiVersionOf(request.type), schema, time: nowTime(context) });
  const next = result.object;
  (next.metadata as Obj).managedFields = result.managedFields;
  if (!existing) {
    requireNamespace(context, request.type, namespaceOf(request));
    context.writes.admit(request.type, next);
    (next.metadata as Obj).managedFields = result.managedFields;
    return json(201, withTypeMeta(request.type, storeCreate(context, request, next, dryRun)), warnings);
  }
  const stored = writeUpdate(context, request, existing, next, { manager, managedFields: result.managedFields, dryRun, ...(subresource ? { subresource } : {}) });
  return json(200, withTypeMeta(request.type, stored), warnings);
}

export function handlePatch(context: HandlerContext, request: ApiRequest, subresource?: 'status'): ApiResult {
  const dryRun = isDryRun(request.query);
  const kind = patchKindOf(request.headers['content-type']);
  const name = request.info.name ?? '';
  const existing = context.store.get(request.type, namespaceOf(request), name);
  if (kind === 'apply') return handleApply(context, request, existing, dryRun, subresource);
  if (!existing) throw notFound(request.type, name);
  const document = withTypeMeta(request.type, existing);
  const patched = patchDocument(context, kind, document, request);
  const { object, warnings } = context.writes.decode(request.type, patched, fieldValidationOf(request.query));
  checkNamespaceAndName(request, object, 'update');
  const stored = writeUpdate(context, request, existing, object, { manager: managerOf(request.query, request.headers, false), ...(subresource ? { subresource } : {}), dryRun });
  return json(200, withTypeMeta(request.type, stored), warnings);
}

export type { ServedResourceType };
