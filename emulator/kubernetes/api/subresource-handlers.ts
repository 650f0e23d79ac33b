/**
 * Subresources: `/status` (reads the object, writes only its status), `/scale` (autoscaling/v1 Scale over
 * spec.replicas of Deployments and ReplicaSets; GET, PUT, PATCH) and `pods/<name>/log` (from the
 * runtime's PodLogSource, with the API server's checks of the container name).
 */
import { isObject } from '../json-values';
import type { KubeObject } from '../store/object-store';
import { formatSelector } from '../store/label-selector';
import { apiVersionOf } from '../store/resource-types';
import { badRequest, conflict, invalid, KubernetesStatusError, notFound } from '../status-errors';
import { json, type ApiRequest, type ApiResult } from './api-types';
import { isDryRun, kindSchema, managerOf, nowTime, withTypeMeta, type HandlerContext } from './handler-context';
import { fieldValidationOf, parseBody } from './object-writes';
import { handleGet, handlePatch, handleUpdate, namespaceOf, patchDocument, patchKindOf } from './resource-handlers';

type Obj = Record<string, unknown>;
const SCALE_TYPE = { group: 'autoscaling', version: 'v1', resource: 'scale', kind: 'Scale' };

function requireExisting(context: HandlerContext, request: ApiRequest): KubeObject {
  const name = request.info.name ?? '';
  const object = context.store.get(request.type, namespaceOf(request), name);
  if (!object) throw notFound(request.type, name);
  return object;
}

export function scaleOf(object: KubeObject): Obj {
  const spec = isObject(object.spec) ? object.spec : {};
  const status = isObject(object.status) ? object.status : {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 0 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      selector: isObject(spec.selector) ? formatSelector(spec.selector) : '',
    },
  };
}

function writeScale(context: HandlerContext, request: ApiRequest, existing: KubeObject, scale: unknown): ApiResult {
  if (!isObject(scale)) throw badRequest('the body of the request was not a Scale');
  const metadata = isObject(scale.metadata) ? scale.metadata : {};
  const spec = isObject(scale.spec) ? scale.spec : {};
  const replicas = spec.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    throw badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
  }
  if (replicas < 0) throw invalid(SCALE_TYPE, existing.metadata.name, [{ reason: 'FieldValueInvalid', message: `Invalid value: ${replicas}: must be greater than or equal to 0`, field: 'spec.replicas' }]);
  const given = metadata.resourceVersion;
  if (typeof given === 'string' && given !== '' && given !== existing.metadata.resourceVersion) {
    throw conflict(request.type, existing.metadata.name, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  const next = structuredClone(existing);
  next.spec = { ...(isObject(next.spec) ? next.spec : {}), replicas };
  next.metadata.managedFields = context.fieldManager.update({
    before: existing,
    after: next,
    manager: managerOf(request.query, request.headers, false),
    apiVersion: apiVersionOf(request.type),
    subresource: 'scale',
    schema: kindSchema(context, request.type),
    time: nowTime(context),
  });
  const stored = isDryRun(request.query) || replicas === (existing.spec as Obj | undefined)?.replicas ? next : context.store.update(request.type, next);
  return json(200, scaleOf(stored));
}

export function handleScale(context: HandlerContext, request: ApiRequest): ApiResult {
  if (!request.type.scaleSubresource) throw notFound(request.type, request.info.name ?? '');
  const existing = requireExisting(context, request);
  switch (request.info.verb) {
    case 'get':
      return json(200, scaleOf(existing));
    case 'update':
      fieldValidationOf(request.query);
      return writeScale(context, request, existing, parseBody(request.body, request.headers['content-type']));
    case 'patch': {
      const kind = patchKindOf(request.headers['content-type']);
      if (kind === 'apply') {
        const applied = parseBody(request.body, 'application/yaml');
        return writeScale(context, request, existing, applied);
      }
      return writeScale(context, request, existing, patchDocument(context, kind, scaleOf(existing), request, 'io.k8s.api.autoscaling.v1.Scale'));
    }
    default:
      throw new KubernetesStatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }
}

export function handleStatus(context: HandlerContext, request: ApiRequest): ApiResult {
  if (!request.type.statusSubresource) throw notFound(request.type, request.info.name ?? '');
  switch (request.info.verb) {
    case 'get':
      return handleGet(context, request);
    case 'update':
      return handleUpdate(context, request, 'status');
    case 'patch':
      return handlePatch(context, request, 'status');
    default:
      throw new KubernetesStatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
}

function positiveInteger(request: ApiRequest, name: string): number | undefined {
  const text = request.query.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw badRequest(`PodLogOptions "" is invalid: ${name}: Invalid value: "${text}": must be an integer`);
  if (value < 0) throw invalid({ group: '', kind: 'PodLogOptions' }, '', [{ reason: 'FieldValueInvalid', message: `Invalid value: ${value}: must be greater than or equal to 0`, field: name }]);
  return value;
}

export async function handleLog(context: HandlerContext, request: ApiRequest): Promise<ApiResult> {
  if (request.info.verb !== 'get') throw new KubernetesStatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const pod = requireExisting(context, request);
  const containers = (isObject(pod.spec) && Array.isArray(pod.spec.containers) ? pod.spec.containers : []).filter(isObject).map((container) => String(container.name));
  let container = request.query.get('container') ?? undefined;
  if (container === undefined || container === '') {
    if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]`);
    container = containers[0];
  } else if (!containers.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  }
  const source = context.podLogs();
  if (!source) throw badRequest(`container "${container ?? ''}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
  const tailLines = positiveInteger(request, 'tailLines');
  const text = await source.read(pod.metadata.namespace ?? 'default', pod.metadata.name, {
    ...(container !== undefined ? { container } : {}),
    ...(tailLines !== undefined ? { tailLines } : {}),
    previous: request.query.get('previous') === 'true',
    timestamps: request.query.get('timestamps') === 'true',
  });
  return { kind: 'text', status: 200, body: text };
}

export { withTypeMeta };
