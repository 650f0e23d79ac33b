/**
 * What a request to the Kubernetes API server asks for, parsed from its method, path and query the way
 * the API server's RequestInfoFactory does (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go):
 * API prefix, group, version, optional `watch/`, namespace, resource, name, subresource, and the verb
 * RBAC sees (get/list/watch/create/update/patch/delete/deletecollection).
 */
export type ResourceVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  kind: 'resource';
  group: string;
  version: string;
  namespace: string | undefined;
  resource: string;
  name: string | undefined;
  subresource: string | undefined;
  verb: ResourceVerb;
}

export interface NonResourceRequest {
  kind: 'nonResource';
  path: string;
  verb: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function isWatch(query: URLSearchParams): boolean {
  const value = query.get('watch');
  return value !== null && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const httpVerb = method.toUpperCase();
  const nonResource = (): NonResourceRequest => ({ kind: 'nonResource', path, verb: httpVerb.toLowerCase() === 'head' ? 'get' : httpVerb.toLowerCase() });
  const parts = path.split('/').filter((part) => part !== '');
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    return nonResource();
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (resource === undefined || rest.length > 3) return nonResource();
  let verb: ResourceVerb;
  switch (httpVerb) {
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      verb = watchPath || isWatch(query) ? 'watch' : name === undefined ? 'list' : 'get';
  }
  return { kind: 'resource', group, version, namespace, resource, name, subresource, verb };
}
