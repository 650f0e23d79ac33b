/** Which ACR scope a data-plane request needs (`repository:<name>:pull`, `registry:catalog:*`, ...). Pure. */
import type { ScopeAccess } from '../model/registry-tokens';

/** undefined: any valid token will do (the `/v2/` base endpoint). */
export function requiredScope(method: string, path: string): ScopeAccess | undefined | 'notFound' {
  if (path === '/v2/' || path === '/v2') return undefined;
  if (path === '/v2/_catalog' || path === '/acr/v1/_catalog') return { type: 'registry', name: 'catalog', actions: ['*'] };
  const v2 = /^\/v2\/(.+?)\/(manifests|blobs|tags)\/.*$/.exec(path);
  if (v2?.[1]) {
    const actions = method === 'GET' || method === 'HEAD' ? ['pull'] : method === 'DELETE' ? ['delete'] : ['pull', 'push'];
    return { type: 'repository', name: v2[1], actions };
  }
  const metadata = /^\/acr\/v1\/(.+?)(\/_tags(\/[^/]+)?|\/_manifests(\/[^/]+)?)?$/.exec(path);
  if (metadata?.[1]) {
    const actions = method === 'GET' ? ['metadata_read'] : method === 'DELETE' ? ['delete'] : ['metadata_write'];
    return { type: 'repository', name: metadata[1], actions };
  }
  return 'notFound';
}

/**
 * A cross-repository blob mount (`POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<repository>`) also
 * needs pull on the source repository, as the distribution registry's token auth requires: without it the
 * request is refused (401) and clients such as the docker CLI fall back to uploading the blob.
 */
export function mountSourceScope(method: string, path: string, query: URLSearchParams): ScopeAccess | undefined {
  const from = query.get('from');
  if (method !== 'POST' || !query.has('mount') || !from || !/^\/v2\/.+\/blobs\/uploads\/?$/.test(path)) return undefined;
  return { type: 'repository', name: from, actions: ['pull'] };
}

/** The route name a request is logged and fault-injected under. */
export function registryRouteName(method: string, path: string): string {
  if (path === '/oauth2/exchange') return 'acr.oauth2.exchange';
  if (path === '/oauth2/token') return 'acr.oauth2.token';
  if (path === '/v2/' || path === '/v2') return 'acr.v2.base';
  if (path === '/v2/_catalog') return 'acr.v2.catalog';
  if (/^\/v2\/.+\/blobs\/uploads\//.test(path)) return 'acr.v2.blobUploads';
  if (/^\/v2\/.+\/blobs\//.test(path)) return 'acr.v2.blobs';
  if (/^\/v2\/.+\/manifests\//.test(path)) return method === 'PUT' ? 'acr.v2.manifests.put' : 'acr.v2.manifests';
  if (/^\/v2\/.+\/tags\/list$/.test(path)) return 'acr.v2.tags';
  if (path.startsWith('/acr/v1/')) return 'acr.v1.metadata';
  return 'acr.unmatched';
}
