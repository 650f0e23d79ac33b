import { type HttpClient, type PipelineRequest, type PipelineResponse, createHttpHeaders } from '@azure/core-rest-pipeline';

export interface TokenRequest {
  url: string;
  form: URLSearchParams;
}

/** A fake Entra ID behind @azure/identity's HttpClient: openid-configuration and the v2 token endpoint. */
export function fakeEntra(options: { fail?: { error: string; description: string } } = {}): { httpClient: HttpClient; tokenRequests: TokenRequest[] } {
  const tokenRequests: TokenRequest[] = [];
  const reply = (request: PipelineRequest, status: number, body: unknown): PipelineResponse => ({
    request,
    status,
    headers: createHttpHeaders({ 'content-type': 'application/json' }),
    bodyAsText: JSON.stringify(body),
  });
  const httpClient: HttpClient = {
    sendRequest: (request) => {
      const url = new URL(request.url);
      const tenant = url.pathname.split('/')[1] ?? 'tenant';
      const base = `${url.origin}/${tenant}`;
      if (url.pathname.endsWith('/.well-known/openid-configuration')) {
        return Promise.resolve(
          reply(request, 200, {
            token_endpoint: `${base}/oauth2/v2.0/token`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            issuer: `${base}/v2.0`,
            jwks_uri: `${base}/discovery/v2.0/keys`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            response_types_supported: ['code'],
          }),
        );
      }
      if (url.pathname.endsWith('/oauth2/v2.0/token')) {
        const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
        tokenRequests.push({ url: request.url, form });
        if (options.fail) {
          return Promise.resolve(reply(request, 401, { error: options.fail.error, error_description: options.fail.description, error_codes: [7000215] }));
        }
        return Promise.resolve(
          reply(request, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: `access-token-${tokenRequests.length}` }),
        );
      }
      return Promise.resolve(reply(request, 404, { error: 'not_found' }));
    },
  };
  return { httpClient, tokenRequests };
}
