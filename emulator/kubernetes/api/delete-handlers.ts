/**
 * delete and deletecollection: DeleteOptions (from the body or the query: preconditions on uid and
 * resourceVersion, propagationPolicy with Orphan detaching dependents, dryRun), garbage collection of
 * dependents by the store, and what kube-apiserver answers: a Success Status, or the object for pods and
 * namespaces (with their deletionTimestamp), or the list of deleted objects.
 */
import type { KubeObject } from '../store/object-store';
import { apiVersionOf, SERVED_RESOURCE_TYPES } from '../store/resource-types';
import { badRequest, conflict } from '../status-errors';
import { isObject } from '../json-values';
import { json, type ApiRequest, type ApiResult } from './api-types';
import { isDryRun, nowTime, withTypeMeta, type HandlerContext } from './handler-context';
import { parseBody } from './object-writes';
import { matchesSelectors, namespaceOf, requireObject, selectorsOf } from './resource-handlers';

type Obj = Record<string, unknown>;

interface DeleteOptions {
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

function deleteOptionsOf(request: ApiRequest): DeleteOptions {
  const options: DeleteOptions = {};
  if (request.body.length > 0 && request.body.toString('utf8').trim() !== '') {
    const parsed = parseBody(request.body, 'application/json');
    if (isObject(parsed)) Object.assign(options, parsed);
  }
  const policy = request.query.get('propagationPolicy');
  if (policy) options.propagationPolicy = policy;
  if (options.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(options.propagationPolicy)) {
    throw badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${options.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  return options;
}

/** propagationPolicy=Orphan: dependents lose their reference to the owner instead of being collected. */
function orphanDependents(context: HandlerContext, owner: KubeObject): void {
  for (const type of SERVED_RESOURCE_TYPES) {
    for (const item of context.store.list(type).items) {
      const references = item.metadata.ownerReferences ?? [];
      if (!references.some((reference) => reference.uid === owner.metadata.uid)) continue;
      const remaining = references.filter((reference) => reference.uid !== owner.metadata.uid);
      const next = structuredClone(item);
      if (remaining.length > 0) next.metadata.ownerReferences = remaining;
      else delete next.metadata.ownerReferences;
      context.store.update(type, next);
    }
  }
}

function deleteOne(context: HandlerContext, request: ApiRequest, existing: KubeObject, options: DeleteOptions, dryRun: boolean): KubeObject {
  const { type } = request;
  const preconditions = options.preconditions ?? {};
  if (preconditions.uid && preconditions.uid !== existing.metadata.uid) {
    throw conflict(type, existing.metadata.name, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${existing.metadata.uid}`);
  }
  if (preconditions.resourceVersion && preconditions.resourceVersion !== existing.metadata.resourceVersion) {
    throw conflict(type, existing.metadata.name, `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`);
  }
  if (dryRun) return existing;
  if (options.propagationPolicy === 'Orphan') orphanDependents(context, existing);
  const deleted = context.store.delete(type, namespaceOf(request), existing.metadata.name) ?? existing;
  if (type.resource === 'services') context.services.release(deleted);
  return deleted;
}

/** dryRun comes as a query parameter or, from kubectl, in the DeleteOptions body. */
function deleteIsDryRun(request: ApiRequest, options: DeleteOptions): boolean {
  const fromBody = options.dryRun ?? [];
  for (const value of fromBody) if (value !== 'All') throw badRequest(`Invalid dry run value "${value}". Valid values are "All".`);
  return isDryRun(request.query) || fromBody.length > 0;
}

export function handleDelete(context: HandlerContext, request: ApiRequest): ApiResult {
  const options = deleteOptionsOf(request);
  const dryRun = deleteIsDryRun(request, options);
  const existing = requireObject(context, request);
  const deleted = deleteOne(context, request, existing, options, dryRun);
  const { type } = request;
  if (type.resource === 'pods' || type.resource === 'namespaces') {
    const shown = withTypeMeta(type, deleted);
    shown.metadata = { ...shown.metadata, deletionTimestamp: nowTime(context) };
    if (type.resource === 'namespaces') shown.status = { ...(shown.status as Obj | undefined), phase: 'Terminating' };
    if (type.resource === 'pods') shown.metadata.deletionGracePeriodSeconds = 30;
    return json(200, shown);
  }
  return json(200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: existing.metadata.name, ...(type.group !== '' ? { group: type.group } : {}), kind: type.resource, uid: existing.metadata.uid },
  });
}

export function handleDeleteCollection(context: HandlerContext, request: ApiRequest): ApiResult {
  const options = deleteOptionsOf(request);
  const dryRun = deleteIsDryRun(request, options);
  const selectors = selectorsOf(request);
  const { items, resourceVersion } = context.store.list(request.type, namespaceOf(request));
  const deleted = items.filter((item) => matchesSelectors(selectors, item)).map((item) => deleteOne(context, { ...request, info: { ...request.info, namespace: item.metadata.namespace } }, item, options, dryRun));
  return json(200, { kind: `${request.type.kind}List`, apiVersion: apiVersionOf(request.type), metadata: { resourceVersion }, items: deleted });
}

