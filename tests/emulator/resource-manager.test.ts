/** Resource Manager through the real SDK clients: resource groups, Container Registry, authentication, faults. */
import assert from 'node:assert/strict';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { ResourceManagementClient } from '@azure/arm-resources';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { rejectionOf, required, useLocalAzure } from './local-azure-fixture';

const ARM_SCOPE = 'https://management.core.windows.net//.default';

describe('local Azure: Resource Manager with the Azure SDK', function () {
  const azure = useLocalAzure();

  function credential(): TokenCredential {
    const { authParameters } = azure().connections.spnKey;
    return new ClientSecretCredential(azure().tenantId, required(authParameters.serviceprincipalid, 'id'), required(authParameters.serviceprincipalkey, 'key'), {
      authorityHost: azure().authorityHost,
      disableInstanceDiscovery: true,
    });
  }
  const resources = (withCredential: TokenCredential = credential()) =>
    new ResourceManagementClient(withCredential, azure().subscriptionId, { endpoint: azure().armUrl, credentialScopes: [ARM_SCOPE], retryOptions: { retryDelayInMs: 0, maxRetryDelayInMs: 0 } });
  const registries = () =>
    new ContainerRegistryManagementClient(credential(), azure().subscriptionId, { endpoint: azure().armUrl, credentials: { scopes: [ARM_SCOPE] } });

  afterEach(function () {
    azure().faults.clear();
  });

  it('gets and lists resource groups with their locations', async function () {
    const group = await resources().resourceGroups.get('RG-MODELS');
    assert.equal(group.name, 'rg-models');
    assert.equal(group.location, 'westeurope');
    const names: string[] = [];
    for await (const item of resources().resourceGroups.list()) names.push(item.name ?? '');
    assert.deepEqual(names.sort(), ['rg-empty', 'rg-models']);
    const error = await rejectionOf(resources().resourceGroups.get('rg-missing'));
    assert.equal(error.statusCode, 404);
    assert.equal(error.code, 'ResourceGroupNotFound');
  });

  it('gets and lists registries, with the login server of the local registry front', async function () {
    const primary = azure().registry;
    const registry = await registries().registries.get(primary.resourceGroup, primary.name);
    assert.equal(registry.loginServer, primary.loginServer);
    assert.equal(registry.adminUserEnabled, true);
    assert.equal(registry.id, primary.resourceId);
    const all: string[] = [];
    for await (const item of registries().registries.list()) all.push(item.name ?? '');
    const inGroup: string[] = [];
    for await (const item of registries().registries.listByResourceGroup('rg-models')) inGroup.push(item.name ?? '');
    assert.deepEqual(all.sort(), azure().registries.map((r) => r.name).sort());
    assert.deepEqual(inGroup.sort(), all.sort());
  });

  it('lists admin credentials, and refuses with UnAuthorizedForCredentialOperations when the admin user is off', async function () {
    const primary = azure().registry;
    const credentials = await registries().registries.listCredentials(primary.resourceGroup, primary.name);
    assert.equal(credentials.username, primary.adminUsername);
    assert.equal(credentials.passwords?.[0]?.value, primary.adminPassword);
    const locked = azure().registries.find((registry) => !registry.adminUserEnabled);
    assert.ok(locked, 'a registry with the admin user disabled is seeded');
    const error = await rejectionOf(registries().registries.listCredentials(locked.resourceGroup, locked.name));
    assert.equal(error.statusCode, 400);
    assert.equal(error.code, 'UnAuthorizedForCredentialOperations');
  });

  it('refuses a request without a token, with the challenge real Resource Manager sends', async function () {
    const response = await fetch(`${azure().armUrl}subscriptions/${azure().subscriptionId}/resourcegroups?api-version=2021-04-01`);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer authorization_uri="https:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]{36}", error="invalid_token"/);
    assert.deepEqual(((await response.json()) as { error: { code: string } }).error.code, 'AuthenticationFailed');
  });

  it('refuses a token for another audience with InvalidAuthenticationTokenAudience', async function () {
    const registryAudience: TokenCredential = { getToken: (_scopes, options) => credential().getToken('https://containerregistry.azure.net/.default', options) };
    const error = await rejectionOf(resources(registryAudience).resourceGroups.get('rg-models'));
    assert.equal(error.statusCode, 401);
    assert.equal(error.code, 'InvalidAuthenticationTokenAudience');
  });

  it('refuses a forged token with InvalidAuthenticationToken', async function () {
    const forged: TokenCredential = { getToken: () => Promise.resolve({ token: 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const error = await rejectionOf(resources(forged).resourceGroups.get('rg-models'));
    assert.equal(error.code, 'InvalidAuthenticationToken');
  });

  it('requires a supported api-version', async function () {
    const token = await credential().getToken(ARM_SCOPE);
    const headers = { authorization: `Bearer ${token?.token ?? ''}` };
    const base = `${azure().armUrl}subscriptions/${azure().subscriptionId}/resourcegroups/rg-models`;
    const missing = await fetch(base, { headers });
    assert.equal(missing.status, 400);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'MissingApiVersionParameter');
    const unknown = await fetch(`${base}?api-version=2099-01-01`, { headers });
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'NoRegisteredProviderFound');
  });

  it('injects 429 with Retry-After, which the SDK retries, and logs every attempt', async function () {
    azure().faults.addHttpFault({ route: 'arm.resourceGroups.get', kind: 'status', status: 429, retryAfterInSeconds: 0, count: 2 });
    azure().clearRequests();
    const group = await resources().resourceGroups.get('rg-models');
    assert.equal(group.name, 'rg-models');
    const attempts = azure().requests().filter((entry) => entry.route === 'arm.resourceGroups.get');
    assert.deepEqual(attempts.map((entry) => entry.status), [429, 429, 200]);
    assert.equal(attempts[0]?.fault, 'status 429');
  });

  it('injects 500, 503 and connection resets by count, and nothing once the count is used', async function () {
    azure().faults.addHttpFault({ route: 'arm.resourceGroups.*', kind: 'status', status: 503, retryAfterInSeconds: 0, count: 1 });
    azure().faults.addHttpFault({ route: 'arm.resourceGroups.get', kind: 'reset', count: 1 });
    azure().clearRequests();
    await resources().resourceGroups.get('rg-models');
    const statuses = azure().requests().filter((entry) => entry.route === 'arm.resourceGroups.get').map((entry) => entry.status);
    assert.deepEqual(statuses, [503, 0, 200]);
  });

  it("lists resources through ARM's generic list with the $filter forms clients send (az acr login --name)", async function () {
    const primary = azure().registry;
    const names = async (filter?: string): Promise<string[]> => {
      const found: string[] = [];
      for await (const item of resources().resources.list(filter === undefined ? {} : { filter })) found.push(item.name ?? '');
      return found.sort();
    };
    const registryNames = azure().registries.map((registry) => registry.name).sort();
    assert.deepEqual(await names("resourceType eq 'Microsoft.ContainerRegistry/registries'"), registryNames);
    assert.deepEqual(await names(`resourceType eq 'Microsoft.ContainerRegistry/registries' and name eq '${primary.name.toUpperCase()}'`), [primary.name]);
    assert.deepEqual(await names("resourceGroup eq 'rg-empty'"), []);
    const error = await rejectionOf(names("substringof('x', name) or true"));
    assert.equal(error.code, 'InvalidFilterInQueryString');
    const inGroup: string[] = [];
    for await (const item of resources().resources.listByResourceGroup('rg-models')) inGroup.push(item.id ?? '');
    assert.ok(inGroup.includes(primary.resourceId));
  });

  it('serves /metadata/endpoints as az cloud register reads it (2015-01-01) and in the list form', async function () {
    const origin = azure().armUrl.replace(/\/$/, '');
    const flat = (await (await fetch(`${origin}/metadata/endpoints?api-version=2015-01-01`)).json()) as { authentication: { loginEndpoint: string; audiences: string[] }; graphEndpoint: string };
    assert.equal(flat.authentication.loginEndpoint, `${origin}/adfs`);
    assert.deepEqual(flat.authentication.audiences, ['https://management.core.windows.net/', 'https://management.azure.com/']);
    assert.equal(typeof flat.graphEndpoint, 'string');
    const list = (await (await fetch(`${origin}/metadata/endpoints?api-version=2022-09-01`)).json()) as { resourceManager: string }[];
    assert.equal(list[0]?.resourceManager, `${origin}/`);
    assert.equal((await fetch(`${origin}/metadata/endpoints?api-version=1999-01-01`)).status, 400);
  });
});
