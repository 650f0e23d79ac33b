/** The route table of Microsoft.ContainerRegistry on Resource Manager: registries get, list (subscription, resource group), listCredentials. */
import { checkedHandler, resourceNotFound } from '../../arm/http/request-checks';
import { armRouteTable, providerPath, RESOURCE_GROUP_SCOPE, SUBSCRIPTION_SCOPE } from '../../arm/http/route-table';
import type { Subscription } from '../../arm/model/subscription';
import { armError, type EmulatorRequest, type EmulatorResponse, type Route } from '../../core/http-types';
import type { RegistryAccount } from '../model/registry-account';
import { registryBody, registryResourceId } from '../model/registry-resource';

export const CONTAINER_REGISTRY_API_VERSIONS = [
  '2017-10-01', '2019-05-01', '2019-12-01-preview', '2020-11-01-preview', '2021-06-01-preview', '2021-08-01-preview', '2021-09-01',
  '2021-12-01-preview', '2022-02-01-preview', '2022-12-01', '2023-01-01-preview', '2023-06-01-preview', '2023-07-01',
  '2023-08-01-preview', '2023-11-01-preview', '2024-11-01-preview', '2025-03-01-preview', '2025-04-01', '2025-05-01-preview',
  '2025-06-01-preview', '2025-11-01', '2026-09-01-preview',
];

export function createContainerRegistryRoutes(subscription: Subscription, accounts: () => readonly RegistryAccount[]): Route[] {
  const sub = subscription.subscriptionId;
  const registries = (scope: string): string => providerPath(scope, 'Microsoft.ContainerRegistry', 'registries');
  const registry = `${registries(RESOURCE_GROUP_SCOPE)}/:registryName`;

  const guarded = (next: (request: EmulatorRequest) => EmulatorResponse): ((request: EmulatorRequest) => Promise<EmulatorResponse>) =>
    checkedHandler({ apiVersions: CONTAINER_REGISTRY_API_VERSIONS, resourceType: 'registries', subscriptionId: sub, resourceGroupExists: (name) => subscription.findResourceGroup(name) !== undefined }, next);

  const find = (request: EmulatorRequest): RegistryAccount | EmulatorResponse => {
    const groupName = request.params.resourceGroupName ?? '';
    const name = request.params.registryName ?? '';
    const account = accounts().find((candidate) => candidate.name.toLowerCase() === name.toLowerCase() && candidate.resourceGroup.toLowerCase() === groupName.toLowerCase());
    return account ?? resourceNotFound('Microsoft.ContainerRegistry/registries', name, groupName);
  };
  const isAccount = (value: RegistryAccount | EmulatorResponse): value is RegistryAccount => 'loginServer' in value;

  return armRouteTable('acr', [
    {
      operation: 'registries.list',
      method: 'GET',
      path: registries(SUBSCRIPTION_SCOPE),
      handle: guarded(() => ({ status: 200, body: { value: accounts().map((account) => registryBody(sub, account)) } })),
    },
    {
      operation: 'registries.listByResourceGroup',
      method: 'GET',
      path: registries(RESOURCE_GROUP_SCOPE),
      handle: guarded((request) => ({
        status: 200,
        body: { value: accounts().filter((a) => a.resourceGroup.toLowerCase() === request.params.resourceGroupName?.toLowerCase()).map((a) => registryBody(sub, a)) },
      })),
    },
    {
      operation: 'registries.get',
      method: 'GET',
      path: registry,
      handle: guarded((request) => {
        const account = find(request);
        return isAccount(account) ? { status: 200, body: registryBody(sub, account) } : account;
      }),
    },
    {
      operation: 'registries.listCredentials',
      method: 'POST',
      path: `${registry}/listCredentials`,
      handle: guarded((request) => {
        const account = find(request);
        if (!isAccount(account)) return account;
        if (!account.adminUserEnabled) {
          return armError(400, 'UnAuthorizedForCredentialOperations', `Cannot perform credential operations for ${registryResourceId(sub, account)} as admin user is disabled. Kindly enable admin user as per docs: https://docs.microsoft.com/azure/container-registry/container-registry-authentication#admin-account`);
        }
        return {
          status: 200,
          body: { username: account.adminUsername, passwords: [{ name: 'password', value: account.adminPasswords[0] }, { name: 'password2', value: account.adminPasswords[1] }] },
        };
      }),
    },
  ]);
}
