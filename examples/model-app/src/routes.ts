// Maps a request line to one of the v2 endpoints. Pure.
export type Route =
  | { readonly kind: 'server-metadata' }
  | { readonly kind: 'live' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'model-metadata'; readonly model: string; readonly version?: string }
  | { readonly kind: 'model-ready'; readonly model: string; readonly version?: string }
  | { readonly kind: 'infer'; readonly model: string; readonly version?: string };

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route }
  | { readonly kind: 'method-not-allowed'; readonly allow: string }
  | { readonly kind: 'not-found' };

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/;

function withVersion(model: string, version: string | undefined): { model: string; version?: string } {
  return version === undefined ? { model } : { model, version };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function matchRoute(method: string, pathname: string): RouteMatch {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const get = (route: Route): RouteMatch => (method === 'GET' || method === 'HEAD' ? { kind: 'found', route } : { kind: 'method-not-allowed', allow: 'GET, HEAD' });
  if (path === '/v2') return get({ kind: 'server-metadata' });
  if (path === '/v2/health/live') return get({ kind: 'live' });
  if (path === '/v2/health/ready') return get({ kind: 'ready' });
  const match = MODEL_PATH.exec(path);
  if (match === null) return { kind: 'not-found' };
  const model = decode(match[1] ?? '');
  const version = match[2] === undefined ? undefined : decode(match[2]);
  if (model === undefined || (match[2] !== undefined && version === undefined)) return { kind: 'not-found' };
  const target = withVersion(model, version);
  switch (match[3]) {
    case '/infer':
      return method === 'POST' ? { kind: 'found', route: { kind: 'infer', ...target } } : { kind: 'method-not-allowed', allow: 'POST' };
    case '/ready':
      return get({ kind: 'model-ready', ...target });
    default:
      return get({ kind: 'model-metadata', ...target });
  }
}
