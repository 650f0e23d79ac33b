import type { HttpMethod, Preset } from './types';

/** Generic HTTP: the user names the readiness path, method, request path and body. */
export function httpPreset(method: HttpMethod, requestPath: string): Preset {
  return {
    protocol: 'http',
    title: 'generic HTTP',
    modelName: 'unused',
    // Without a readinessPath the canary request itself is retried until the deadline.
    readiness: () => [],
    inference: () => ({ method, path: requestPath }),
    defaultBody: () => ({ ok: true, body: undefined }),
    bodyExample: 'any body',
    protocolAssertions: () => [],
    authHint: 'Check the authentication inputs: the server refused the credentials.',
  };
}
