/**
 * SelfSubjectAccessReview (authorization.k8s.io/v1; what `kubectl auth can-i` posts): the authorizer's
 * answer for the caller on the given resource or non-resource attributes. Nothing is stored.
 */
import type { Decision } from '../auth/authorization';
import { asObject, text } from '../json-values';
import type { ServedResourceType } from '../store/resource-types';
import { badRequest } from '../status-errors';
import { json, type ApiResult, type UserInfo } from './api-types';
import { parseBody } from './object-writes';
import type { RequestInfo, ResourceVerb } from './request-info';

export const SELF_SUBJECT_ACCESS_REVIEWS: ServedResourceType = {
  group: 'authorization.k8s.io',
  version: 'v1',
  resource: 'selfsubjectaccessreviews',
  kind: 'SelfSubjectAccessReview',
  namespaced: false,
  singular: 'selfsubjectaccessreview',
  shortNames: [],
  verbs: ['create'],
  statusSubresource: false,
  scaleSubresource: false,
};

export function handleSelfSubjectAccessReview(body: Buffer, contentType: string | undefined, user: UserInfo, authorize: (user: UserInfo, info: RequestInfo) => Decision): ApiResult {
  const review = asObject(parseBody(body, contentType));
  const spec = asObject(review.spec);
  const resource = asObject(spec.resourceAttributes);
  const nonResource = asObject(spec.nonResourceAttributes);
  let info: RequestInfo;
  if (spec.resourceAttributes !== undefined) {
    const namespace = text(resource.namespace);
    const name = text(resource.name);
    const subresource = text(resource.subresource);
    info = {
      kind: 'resource',
      group: text(resource.group),
      version: text(resource.version, '*'),
      namespace: namespace === '' ? undefined : namespace,
      resource: text(resource.resource),
      name: name === '' ? undefined : name,
      subresource: subresource === '' ? undefined : subresource,
      verb: text(resource.verb) as ResourceVerb,
    };
  } else if (spec.nonResourceAttributes !== undefined) {
    info = { kind: 'nonResource', path: text(nonResource.path), verb: text(nonResource.verb) };
  } else {
    throw badRequest('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
  }
  const decision = authorize(user, info);
  return json(201, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: decision.allowed ? { allowed: true } : { allowed: false, ...(decision.reason ? { reason: decision.reason } : {}) },
  });
}
