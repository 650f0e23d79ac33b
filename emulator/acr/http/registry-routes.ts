/**
 * The route table of a registry's data plane (its login server), as the Resource Manager routes are
 * tables: each route's name (fault injection, the request log, emulator/README.md), the paths it serves,
 * the ACR scope a request needs (`repository:<name>:pull`, `registry:catalog:*`, ...), and who answers:
 * ACR's token service, the `/acr/v1` metadata API, or the registry behind the front (`/v2` proxied). Pure.
 * Repository names hold '/', so routes match by pattern, first match wins.
 */
import type { ScopeAccess } from '../model/registry-tokens';

export type RegistryAnswer = 'exchange' | 'token' | 'metadata' | 'proxy';

/** 'anonymous': no token needed (the token service itself); [] any valid token; else every scope listed. */
export type RequiredScopes = 'anonymous' | readonly ScopeAccess[] | 'notFound';

export interface RegistryRoute {
  /** e.g. 'acr.v2.manifests' */
  name: string;
  pattern: RegExp;
  /** Only requests with this method take the route (others go on down the table). */
  method?: string;
  scopes(method: string, path: string, query: URLSearchParams): RequiredScopes;
  answer: RegistryAnswer;
}

const CATALOG: ScopeAccess = { type: 'registry', name: 'catalog', actions: ['*'] };

function repositoryScope(method: string, path: string): ScopeAccess[] {
  const name = /^\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(path)?.[1] ?? '';
  const actions = method === 'GET' || method === 'HEAD' ? ['pull'] : method === 'DELETE' ? ['delete'] : ['pull', 'push'];
  return [{ type: 'repository', name, actions }];
}

/**
 * A cross-repository blob mount (`POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<repository>`) also
 * needs pull on the source repository, as the distribution registry's token auth requires: without it the
 * request is refused (401) and clients such as the docker CLI fall back to uploading the blob.
 */
function blobScopes(method: string, path: string, query: URLSearchParams): ScopeAccess[] {
  const from = query.get('from');
  const mount: ScopeAccess[] = method === 'POST' && query.has('mount') && from && /^\/v2\/.+\/blobs\/uploads\/?$/.test(path) ? [{ type: 'repository', name: from, actions: ['pull'] }] : [];
  return [...repositoryScope(method, path), ...mount];
}

function metadataScopes(method: string, path: string): RequiredScopes {
  if (path === '/acr/v1/_catalog') return [CATALOG];
  const name = /^\/acr\/v1\/(.+?)(\/_tags(\/[^/]+)?|\/_manifests(\/[^/]+)?)?$/.exec(path)?.[1];
  if (!name) return 'notFound';
  const actions = method === 'GET' ? ['metadata_read'] : method === 'DELETE' ? ['delete'] : ['metadata_write'];
  return [{ type: 'repository', name, actions }];
}

export const REGISTRY_ROUTES: readonly RegistryRoute[] = [
  { name: 'acr.oauth2.exchange', pattern: /^\/oauth2\/exchange$/, scopes: () => 'anonymous', answer: 'exchange' },
  { name: 'acr.oauth2.token', pattern: /^\/oauth2\/token$/, scopes: () => 'anonymous', answer: 'token' },
  { name: 'acr.v2.base', pattern: /^\/v2\/?$/, scopes: () => [], answer: 'proxy' },
  { name: 'acr.v2.catalog', pattern: /^\/v2\/_catalog$/, scopes: () => [CATALOG], answer: 'proxy' },
  { name: 'acr.v2.blobUploads', pattern: /^\/v2\/.+\/blobs\/uploads\//, scopes: blobScopes, answer: 'proxy' },
  { name: 'acr.v2.blobs', pattern: /^\/v2\/.+\/blobs\//, scopes: blobScopes, answer: 'proxy' },
  { name: 'acr.v2.manifests.put', pattern: /^\/v2\/.+\/manifests\//, method: 'PUT', scopes: repositoryScope, answer: 'proxy' },
  { name: 'acr.v2.manifests', pattern: /^\/v2\/.+\/manifests\//, scopes: repositoryScope, answer: 'proxy' },
  { name: 'acr.v2.tags', pattern: /^\/v2\/.+\/tags\//, scopes: repositoryScope, answer: 'proxy' },
  { name: 'acr.v1.metadata', pattern: /^\/acr\/v1\//, scopes: metadataScopes, answer: 'metadata' },
];

/** The route a request takes, or undefined (404). */
export function matchRegistryRoute(method: string, path: string): RegistryRoute | undefined {
  return REGISTRY_ROUTES.find((route) => route.pattern.test(path) && (route.method === undefined || route.method === method));
}
