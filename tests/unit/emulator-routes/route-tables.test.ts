import { strict as assert } from 'node:assert';
import { matchRegistryRoute } from '../../../emulator/acr/http/registry-routes';
import { checkArmRequest } from '../../../emulator/arm/http/request-checks';
import { armRouteTable, providerPath, RESOURCE_GROUP_SCOPE } from '../../../emulator/arm/http/route-table';
import type { EmulatorRequest } from '../../../emulator/core/http-types';

const scopesOf = (method: string, url: string): unknown => {
  const { pathname, searchParams } = new URL(url, 'https://127.0.0.1');
  return matchRegistryRoute(method, pathname)?.scopes(method, pathname, searchParams);
};

describe('registry data-plane route table', () => {
  it('names each request as the fault matrix and request log know it', () => {
    const nameOf = (method: string, path: string): string | undefined => matchRegistryRoute(method, path)?.name;
    assert.equal(nameOf('POST', '/oauth2/exchange'), 'acr.oauth2.exchange');
    assert.equal(nameOf('GET', '/oauth2/token'), 'acr.oauth2.token');
    assert.equal(nameOf('GET', '/v2/'), 'acr.v2.base');
    assert.equal(nameOf('GET', '/v2/_catalog'), 'acr.v2.catalog');
    assert.equal(nameOf('PATCH', '/v2/team/app/blobs/uploads/0f3c'), 'acr.v2.blobUploads');
    assert.equal(nameOf('HEAD', '/v2/team/app/blobs/sha256:abc'), 'acr.v2.blobs');
    assert.equal(nameOf('PUT', '/v2/team/app/manifests/v1'), 'acr.v2.manifests.put');
    assert.equal(nameOf('GET', '/v2/team/app/manifests/v1'), 'acr.v2.manifests');
    assert.equal(nameOf('GET', '/v2/team/app/tags/list'), 'acr.v2.tags');
    assert.equal(nameOf('GET', '/acr/v1/team/app/_tags'), 'acr.v1.metadata');
    assert.equal(nameOf('GET', '/v2/team/app/referrers'), undefined);
    assert.equal(nameOf('GET', '/'), undefined);
  });

  it('asks for the scope ACR asks for: pull to read, pull and push to write, delete to delete', () => {
    assert.deepEqual(scopesOf('GET', '/v2/team/app/manifests/v1'), [{ type: 'repository', name: 'team/app', actions: ['pull'] }]);
    assert.deepEqual(scopesOf('PUT', '/v2/team/app/manifests/v1'), [{ type: 'repository', name: 'team/app', actions: ['pull', 'push'] }]);
    assert.deepEqual(scopesOf('DELETE', '/v2/team/app/manifests/sha256:abc'), [{ type: 'repository', name: 'team/app', actions: ['delete'] }]);
    assert.deepEqual(scopesOf('GET', '/v2/_catalog'), [{ type: 'registry', name: 'catalog', actions: ['*'] }]);
    assert.deepEqual(scopesOf('GET', '/acr/v1/_catalog'), [{ type: 'registry', name: 'catalog', actions: ['*'] }]);
    assert.deepEqual(scopesOf('GET', '/acr/v1/team/app/_manifests/sha256:abc'), [{ type: 'repository', name: 'team/app', actions: ['metadata_read'] }]);
    assert.deepEqual(scopesOf('GET', '/v2/'), []);
    assert.equal(scopesOf('POST', '/oauth2/token'), 'anonymous');
  });

  it('asks for pull on the source repository of a cross-repository mount as well', () => {
    assert.deepEqual(scopesOf('POST', '/v2/team/app/blobs/uploads/?mount=sha256:abc&from=team/base'), [
      { type: 'repository', name: 'team/app', actions: ['pull', 'push'] },
      { type: 'repository', name: 'team/base', actions: ['pull'] },
    ]);
    assert.deepEqual(scopesOf('POST', '/v2/team/app/blobs/uploads/'), [{ type: 'repository', name: 'team/app', actions: ['pull', 'push'] }]);
  });
});

describe('Resource Manager route tables', () => {
  const request = (params: Record<string, string>, query: string): EmulatorRequest => ({ method: 'GET', path: '/', params, query: new URLSearchParams(query), headers: {}, body: Buffer.alloc(0) });
  const codeOf = (response: { body?: unknown } | undefined): string | undefined => (response?.body as { error: { code: string } } | undefined)?.error.code;
  const check = { apiVersions: ['2023-05-01'], resourceType: 'widgets', subscriptionId: 'sub-1', resourceGroupExists: (name: string) => name === 'rg' };

  it('names every operation <family>.<operation> with Resource Manager authentication', () => {
    const routes = armRouteTable('demo', [{ operation: 'widgets.get', method: 'GET', path: `${providerPath(RESOURCE_GROUP_SCOPE, 'Microsoft.Demo', 'widgets')}/:name`, handle: () => Promise.resolve({ status: 200 }) }]);
    assert.deepEqual(routes.map(({ name, method, path, auth }) => ({ name, method, path, auth })), [
      { name: 'demo.widgets.get', method: 'GET', path: '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.Demo/widgets/:name', auth: 'arm' },
    ]);
  });

  it('checks the api-version, then the subscription, then the resource group, as Resource Manager does', () => {
    assert.equal(codeOf(checkArmRequest(request({ subscriptionId: 'other', resourceGroupName: 'nope' }, ''), check)), 'MissingApiVersionParameter');
    assert.equal(codeOf(checkArmRequest(request({ subscriptionId: 'other', resourceGroupName: 'nope' }, 'api-version=latest'), check)), 'InvalidApiVersionParameter');
    assert.equal(codeOf(checkArmRequest(request({ subscriptionId: 'other', resourceGroupName: 'nope' }, 'api-version=2099-01-01'), check)), 'NoRegisteredProviderFound');
    assert.equal(codeOf(checkArmRequest(request({ subscriptionId: 'other', resourceGroupName: 'nope' }, 'api-version=2023-05-01'), check)), 'SubscriptionNotFound');
    assert.equal(codeOf(checkArmRequest(request({ subscriptionId: 'SUB-1', resourceGroupName: 'nope' }, 'api-version=2023-05-01'), check)), 'ResourceGroupNotFound');
    assert.equal(checkArmRequest(request({ subscriptionId: 'SUB-1', resourceGroupName: 'rg' }, 'api-version=2023-05-01'), check), undefined);
  });

  it('lists the supported versions as Resource Manager words them', () => {
    const invalid = checkArmRequest(request({ subscriptionId: 'sub-1' }, 'api-version=latest'), { ...check, apiVersions: ['2023-05-01', '2024-01-01'] });
    assert.equal((invalid?.body as { error: { message: string } }).error.message, "The api-version 'latest' is invalid. The supported versions are '2023-05-01,2024-01-01'.");
  });
});
