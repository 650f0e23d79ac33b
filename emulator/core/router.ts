/** Matches a request to a route: literal segments case-insensitively (as ARM does), `:name` segments captured. */
import type { Route } from './http-types';

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'methodNotAllowed'; allowed: string[] }
  | { kind: 'notFound' };

export interface Router {
  match(method: string, path: string): RouteMatch;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index++) {
    const expected = pattern[index] ?? '';
    const got = actual[index] ?? '';
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(got);
      } catch {
        return undefined;
      }
    } else if (expected.toLowerCase() !== got.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

export function createRouter(routes: readonly Route[]): Router {
  const literalCount = (segments: string[]): number => segments.filter((segment) => !segment.startsWith(':')).length;
  // Routes with more literal segments win over ones with parameters in the same place.
  const compiled: CompiledRoute[] = routes
    .map((route) => ({ route, segments: splitPath(route.path) }))
    .sort((a, b) => literalCount(b.segments) - literalCount(a.segments));
  return {
    match(method, path) {
      const actual = splitPath(path);
      const allowed: string[] = [];
      for (const { route, segments } of compiled) {
        const params = matchSegments(segments, actual);
        if (!params) continue;
        if (route.method === method.toUpperCase()) return { kind: 'found', route, params };
        allowed.push(route.method);
      }
      return allowed.length > 0 ? { kind: 'methodNotAllowed', allowed } : { kind: 'notFound' };
    },
  };
}
