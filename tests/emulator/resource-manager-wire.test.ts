/**
 * Resource Manager's wire details as clients see them: the reply headers (request, correlation and
 * routing ids, the remaining rate-limit budget), Retry-After honoured by the SDK on 429, expired and
 * wrong-audience tokens refused at Resource Manager and at the registry, case-insensitive paths, and
 * the 404 codes for a missing resource group and a missing resource.
 */
import assert from 'node:assert/strict';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { ResourceManagementClient } from '@azure/arm-resources';
import type { TokenCredential } from '@azure/identity';
import { rejectionOf, useLocalAzure } from './local-azure-fixture';

const ARM_AUDIENCE = 'https://management.core.windows.net/';
const NO_RETRY_DELAY = { retryDelayInMs: 0, maxRetryDelayInMs: 0 };

describe('local Azure: Resource Manager wire details', function () {
  this.timeout(60_000);
  const azure = useLocalAzure();

  const fixed = (token: string): TokenCredential => ({ getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) });
  const validToken = (): string => azure().issueAccessToken(ARM_AUDIENCE);
  const resources = (credential: TokenCredential = fixed(validToken())) =>
    new ResourceManagementClient(credential, azure().subscriptionId, { endpoint: azure().armUrl, retryOptions: NO_RETRY_DELAY });
  const registries = (credential: TokenCredential = fixed(validToken())) =>
    new ContainerRegistryManagementClient(credential, azure().subscriptionId, { endpoint: azure().armUrl });
  const groupUrl = (): string => `${azure().armUrl}subscriptions/${azure().subscriptionId}/resourcegroups/rg-models?api-version=2021-04-01`;

  afterEach(function () {
    azure().faults.clear();
  });

  it('sends request, correlation (the caller\'s own) and routing ids, no-cache headers and the remaining read and write budget', async function () {
    const headers = { authorization: `Bearer ${validToken()}`, 'x-ms-correlation-request-id': 'a1b2c3d4-0000-4000-8000-000000000001' };
    const first = await fetch(groupUrl(), { headers });
    const second = await fetch(groupUrl(), { headers });
    assert.equal(first.status, 200);
    assert.match(first.headers.get('x-ms-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.notEqual(first.headers.get('x-ms-request-id'), second.headers.get('x-ms-request-id'));
    assert.equal(first.headers.get('x-ms-correlation-request-id'), 'a1b2c3d4-0000-4000-8000-000000000001');
    assert.match(first.headers.get('x-ms-routing-request-id') ?? '', /^WESTEUROPE:\d{8}T\d{6}Z:[0-9a-f-]{36}$/);
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    const reads = (response: Response): number => Number(response.headers.get('x-ms-ratelimit-remaining-subscription-reads'));
    assert.ok(reads(first) > 0 && reads(first) < 12_000, `reads budget ${reads(first)}`);
    assert.equal(reads(second), reads(first) - 1);

    const created = await fetch(groupUrl().replace('rg-models', 'rg-wire'), { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ location: 'westeurope' }) });
    assert.equal(created.status, 201);
    assert.match(created.headers.get('x-ms-ratelimit-remaining-subscription-writes') ?? '', /^\d+$/);
    const anonymous = await fetch(groupUrl());
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('x-ms-correlation-request-id') ?? '', /^[0-9a-f-]{36}$/, 'a refusal carries the ids too');
  });

  it('has the SDK wait for Retry-After on 429 before it retries', async function () {
    azure().faults.addHttpFault({ route: 'arm.resourceGroups.get', kind: 'status', status: 429, retryAfterInSeconds: 1, count: 1 });
    azure().clearRequests();
    const group = await resources().resourceGroups.get('rg-models');
    assert.equal(group.name, 'rg-models');
    const attempts = azure().requests().filter((entry) => entry.route === 'arm.resourceGroups.get');
    assert.deepEqual(attempts.map((entry) => entry.status), [429, 200]);
    const [throttled, retried] = attempts;
    if (!throttled || !retried) throw new Error('two attempts expected');
    // A lower bound only (the client's own retry delay is 0 here): the wait can only come from Retry-After.
    const waitedInMs = retried.at.getTime() - throttled.at.getTime();
    assert.ok(waitedInMs >= 950, `the SDK retried after ${waitedInMs} ms, before Retry-After (1 s) had passed`);
  });

  it('refuses an expired token with ExpiredAuthenticationToken, through the SDK', async function () {
    const expired = azure().issueAccessToken(ARM_AUDIENCE, -600);
    const error = await rejectionOf(resources(fixed(expired)).resourceGroups.get('rg-models'));
    assert.equal(error.statusCode, 401);
    assert.equal(error.code, 'ExpiredAuthenticationToken');
    const withinSkew = azure().issueAccessToken(ARM_AUDIENCE, -60);
    assert.equal((await resources(fixed(withinSkew)).resourceGroups.get('rg-models')).name, 'rg-models', '5 minutes of clock skew are allowed');
  });

  it('refuses expired and wrong-audience Entra tokens at the registry token exchange, and Entra tokens on /v2/', async function () {
    const loginServer = azure().registry.loginServer;
    const exchange = (accessToken: string): Promise<Response> =>
      fetch(`https://${loginServer}/oauth2/exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'access_token', service: loginServer, tenant: azure().tenantId, access_token: accessToken }).toString(),
      });
    assert.equal((await exchange(azure().issueAccessToken('https://containerregistry.azure.net'))).status, 200);
    assert.equal((await exchange(azure().issueAccessToken(ARM_AUDIENCE))).status, 200, 'ACR takes Resource Manager tokens too');
    for (const [what, token] of [
      ['expired', azure().issueAccessToken('https://containerregistry.azure.net', -600)],
      ['wrong audience', azure().issueAccessToken('https://vault.azure.net')],
    ] as const) {
      const refused = await exchange(token);
      assert.equal(refused.status, 401, what);
      assert.equal(((await refused.json()) as { errors: { code: string }[] }).errors[0]?.code, 'UNAUTHORIZED', what);
    }
    const direct = await fetch(`https://${loginServer}/v2/`, { headers: { authorization: `Bearer ${azure().issueAccessToken('https://containerregistry.azure.net')}` } });
    assert.equal(direct.status, 401, 'the data plane takes only ACR access tokens');
  });

  it('matches paths case-insensitively and tells a missing resource group from a missing resource', async function () {
    const registry = azure().registry;
    const path = `${azure().armUrl}SUBSCRIPTIONS/${azure().subscriptionId.toUpperCase()}/resourcegroups/RG-Models/providers/microsoft.containerregistry/REGISTRIES/${registry.name.toUpperCase()}?api-version=2023-07-01`;
    const response = await fetch(path, { headers: { authorization: `Bearer ${validToken()}` } });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { name: string }).name, registry.name);

    const missingGroup = await rejectionOf(registries().registries.get('rg-missing', registry.name));
    assert.equal(missingGroup.statusCode, 404);
    assert.equal(missingGroup.code, 'ResourceGroupNotFound');
    assert.equal(missingGroup.message, "Resource group 'rg-missing' could not be found.");
    const missingRegistry = await rejectionOf(registries().registries.get('rg-models', 'crmissing'));
    assert.equal(missingRegistry.statusCode, 404);
    assert.equal(missingRegistry.code, 'ResourceNotFound');
    assert.match(missingRegistry.message, /^The Resource 'Microsoft\.ContainerRegistry\/registries\/crmissing' under resource group 'rg-models' was not found\./);
  });

  it('answers api-version problems with ARM\'s codes', async function () {
    const headers = { authorization: `Bearer ${validToken()}` };
    const code = async (url: string): Promise<string> => ((await (await fetch(url, { headers })).json()) as { error: { code: string } }).error.code;
    assert.equal(await code(groupUrl().replace('api-version=2021-04-01', 'api-version=latest')), 'InvalidApiVersionParameter');
    assert.equal(await code(groupUrl().replace('api-version=2021-04-01', 'api-version=2099-01-01')), 'NoRegisteredProviderFound');
    assert.equal(await code(groupUrl().replace('?api-version=2021-04-01', '')), 'MissingApiVersionParameter');
  });
});
