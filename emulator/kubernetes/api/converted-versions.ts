/**
 * Versions served by conversion over another version's storage, as kube-apiserver serves several
 * versions of one resource: autoscaling/v1 HorizontalPodAutoscalers over the autoscaling/v2 objects.
 * A v1 request is decoded against the v1 schema, converted, handled as v2, and its reply (object, list,
 * watch events) converted back.
 */
import { asArray, asObject, isObject, type JsonObject } from '../json-values';
import { HORIZONTAL_POD_AUTOSCALERS, type ServedResourceType } from '../store/resource-types';
import { notFound } from '../status-errors';
import type { ApiRequest, ApiResult, WatchSink } from './api-types';
import { withTypeMeta, type HandlerContext } from './handler-context';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa-v1-conversion';
import { fieldValidationOf, parseBody } from './object-writes';
import { namespaceOf, patchDocument, patchKindOf } from './resource-handlers';

export const HORIZONTAL_POD_AUTOSCALERS_V1: ServedResourceType = { ...HORIZONTAL_POD_AUTOSCALERS, version: 'v1', scaleSubresource: false };
const V1_DEFINITION = 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler';

export const CONVERTED_RESOURCE_TYPES: readonly ServedResourceType[] = [HORIZONTAL_POD_AUTOSCALERS_V1];

export function findConvertedType(group: string, version: string, resource: string): ServedResourceType | undefined {
  return CONVERTED_RESOURCE_TYPES.find((type) => type.group === group && type.version === version && type.resource === resource);
}

function toV1Body(body: unknown): unknown {
  if (!isObject(body)) return body;
  if (body.kind === 'HorizontalPodAutoscaler') return hpaV2ToV1(body);
  if (body.kind === 'HorizontalPodAutoscalerList') {
    return {
      ...body,
      apiVersion: 'autoscaling/v1',
      items: asArray(body.items).map((item) => {
        const { apiVersion: _a, kind: _k, ...rest } = hpaV2ToV1(asObject(item));
        void _a;
        void _k;
        return rest;
      }),
    };
  }
  return body;
}

function convertResult(result: ApiResult): ApiResult {
  if (result.kind === 'json') return { ...result, body: toV1Body(result.body) };
  if (result.kind !== 'watch') return result;
  return {
    kind: 'watch',
    start(sink: WatchSink) {
      result.start({ ...sink, send: (event) => sink.send({ ...event, object: toV1Body(event.object) }), end: () => sink.end(), onClose: (listener) => sink.onClose(listener) });
    },
  };
}

function asV2Request(request: ApiRequest, body: JsonObject | undefined, verb = request.info.verb, contentType?: string): ApiRequest {
  return {
    ...request,
    type: HORIZONTAL_POD_AUTOSCALERS,
    info: { ...request.info, version: HORIZONTAL_POD_AUTOSCALERS.version, verb },
    ...(body ? { body: Buffer.from(JSON.stringify(body)), headers: { ...request.headers, 'content-type': contentType ?? 'application/json' } } : {}),
  };
}

export async function dispatchConverted(context: HandlerContext, request: ApiRequest, dispatch: (request: ApiRequest) => Promise<ApiResult>): Promise<ApiResult> {
  const { verb } = request.info;
  if (verb === 'create' || verb === 'update') {
    const { object } = context.writes.decode(request.type, parseBody(request.body, request.headers['content-type']), fieldValidationOf(request.query));
    return convertResult(await dispatch(asV2Request(request, hpaV1ToV2(object))));
  }
  if (verb === 'patch') {
    const kind = patchKindOf(request.headers['content-type']);
    if (kind === 'apply') {
      const { object } = context.writes.decode(request.type, parseBody(request.body, 'application/yaml'), fieldValidationOf(request.query), 'apply');
      return convertResult(await dispatch(asV2Request(request, hpaV1ToV2(object), 'patch', 'application/apply-patch+yaml')));
    }
    const name = request.info.name ?? '';
    const existing = context.store.get(HORIZONTAL_POD_AUTOSCALERS, namespaceOf(request), name);
    if (!existing) throw notFound(request.type, name);
    const v1 = hpaV2ToV1(withTypeMeta(HORIZONTAL_POD_AUTOSCALERS, existing));
    const patched = asObject(patchDocument(context, kind, v1, request, V1_DEFINITION));
    const v2 = hpaV1ToV2(patched);
    asObject(v2.metadata).resourceVersion = existing.metadata.resourceVersion;
    return convertResult(await dispatch(asV2Request(request, v2, 'update')));
  }
  return convertResult(await dispatch(asV2Request(request, undefined)));
}
