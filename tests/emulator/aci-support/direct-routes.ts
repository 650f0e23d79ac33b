/** Calls a hosted service's routes in-process, without the https front (the core's router matches). */
import { createRouter } from '../../../emulator/core/router';
import type { EmulatorResponse, Principal, Route } from '../../../emulator/core/http-types';

export type Caller = (method: string, pathAndQuery: string, body?: unknown) => Promise<EmulatorResponse>;

export const TEST_PRINCIPAL: Principal = { objectId: 'o', clientId: 'c', tenantId: '72f988bf-0000-0000-0000-000000000000', audience: 'https://management.azure.com/' };

export function createCaller(routes: Route[], host = 'management.local.test', principal: Principal = TEST_PRINCIPAL): Caller {
  const router = createRouter(routes);
  return async (method, pathAndQuery, body) => {
    const [path = '', query = ''] = pathAndQuery.split('?');
    const match = router.match(method, path);
    if (match.kind !== 'found') return { status: 404, body: { error: { code: 'NoRoute', message: `${method} ${path}` } } };
    return match.route.handle({
      method,
      path,
      params: match.params,
      query: new URLSearchParams(query),
      headers: { host },
      body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      principal,
    });
  };
}
