/** Microsoft.ContainerRegistry on Resource Manager: registries get, list (subscription, resource group), listCredentials. */
import { armError, type EmulatorRequest, type EmulatorResponse, type Route } from '../core/http-types';
import type { RegistryAccount } from '../acr/registry-account';
import type { GenericResource } from '../core/service-context';
import { checkApiVersion } from './api-version';
import type { Subscription } from './subscription';

export const CONTAINER_REGISTRY_API_VERSIONS = [
  '2017-10-01', '2019-05-01', '2019-12-01-preview', '2020-11-01-preview', '2021-06-01-preview', '2021-08-01-preview', '2021-09-01',
  '2021-12-01-preview', '2022-02-01-preview', '2022-12-01', '2023-01-01-preview', '2023-06-01-preview', '2023-07-01',
  '2023-08-01-preview', '2023-11-01-preview', '2024-11-01-preview', '2025-03-01-preview', '2025-04-01', '2025-05-01-preview',
  '2025-06-01-preview', '2025-11-01',
];

export function registryResourceId(subscriptionId: string, account: RegistryAccount): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${account.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${account.name}`;
}

/** The registry as Resource Manager's generic resource list shows it. */
export function registryAsGenericResource(subscriptionId: string, account: RegistryAccount): GenericResource {
  return { id: registryResourceId(subscriptionId, account), name: account.name, type: 'Microsoft.ContainerRegistry/registries', location: account.location, tags: {}, sku: { name: 'Standard', tier: 'Standard' } };
}

function toArm(subscriptionId: string, account: RegistryAccount): Record<string, unknown> {
  return {
    id: registryResourceId(subscriptionId, account),
    name: account.name,
    type: 'Microsoft.ContainerRegistry/registries',
    location: account.location,
    tags: {},
    sku: { name: 'Standard', tier: 'Standard' },
    properties: {
      loginServer: account.loginServer,
      creationDate: account.createdAt.toISOString(),
      provisioningState: 'Succeeded',
      adminUserEnabled: account.adminUserEnabled,
      networkRuleSet: { defaultAction: 'Allow', ipRules: [] },
      policies: {
        quarantinePolicy: { status: 'disabled' },
        trustPolicy: { type: 'Notary', status: 'disabled' },
        retentionPolicy: { days: 7, lastUpdatedTime: account.createdAt.toISOString(), status: 'disabled' },
        exportPolicy: { status: 'enabled' },
        azureADAuthenticationAsArmPolicy: { status: 'enabled' },
      },
      encryption: { status: 'disabled' },
      dataEndpointEnabled: false,
      dataEndpointHostNames: [],
      privateEndpointConnections: [],
      publicNetworkAccess: 'Enabled',
      networkRuleBypassOptions: 'AzureServices',
      networkRuleBypassAllowedForTasks: false,
      zoneRedundancy: 'Disabled',
      anonymousPullEnabled: false,
      roleAssignmentMode: 'LegacyRegistryPermissions',
    },
  };
}

export function createContainerRegistryRoutes(subscription: Subscription, accounts: () => readonly RegistryAccount[]): Route[] {
  const sub = subscription.subscriptionId;
  const base = '/subscriptions/:subscriptionId';
  const provider = 'providers/Microsoft.ContainerRegistry/registries';

  const guarded = (next: (request: EmulatorRequest) => EmulatorResponse) => (request: EmulatorRequest): Promise<EmulatorResponse> => {
    const problem = checkApiVersion(request, CONTAINER_REGISTRY_API_VERSIONS, 'registries');
    if (problem) return Promise.resolve(problem);
    if (request.params.subscriptionId?.toLowerCase() !== sub.toLowerCase()) {
      return Promise.resolve(armError(404, 'SubscriptionNotFound', `The subscription '${request.params.subscriptionId ?? ''}' could not be found.`));
    }
    const groupName = request.params.resourceGroupName;
    if (groupName !== undefined && !subscription.findResourceGroup(groupName)) {
      return Promise.resolve(armError(404, 'ResourceGroupNotFound', `Resource group '${groupName}' could not be found.`));
    }
    return Promise.resolve(next(request));
  };

  const find = (request: EmulatorRequest): RegistryAccount | EmulatorResponse => {
    const groupName = request.params.resourceGroupName ?? '';
    const name = request.params.registryName ?? '';
    const account = accounts().find((candidate) => candidate.name.toLowerCase() === name.toLowerCase() && candidate.resourceGroup.toLowerCase() === groupName.toLowerCase());
    return account ?? armError(404, 'ResourceNotFound', `The Resource 'Microsoft.ContainerRegistry/registries/${name}' under resource group '${groupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
  };
  const isAccount = (value: RegistryAccount | EmulatorResponse): value is RegistryAccount => 'loginServer' in value;

  return [
    {
      name: 'acr.registries.list',
      method: 'GET',
      path: `${base}/${provider}`,
      auth: 'arm',
      handle: guarded(() => ({ status: 200, body: { value: accounts().map((account) => toArm(sub, account)) } })),
    },
    {
      name: 'acr.registries.listByResourceGroup',
      method: 'GET',
      path: `${base}/resourceGroups/:resourceGroupName/${provider}`,
      auth: 'arm',
      handle: guarded((request) => ({
        status: 200,
        body: { value: accounts().filter((a) => a.resourceGroup.toLowerCase() === request.params.resourceGroupName?.toLowerCase()).map((a) => toArm(sub, a)) },
      })),
    },
    {
      name: 'acr.registries.get',
      method: 'GET',
      path: `${base}/resourceGroups/:resourceGroupName/${provider}/:registryName`,
      auth: 'arm',
      handle: guarded((request) => {
        const account = find(request);
        return isAccount(account) ? { status: 200, body: toArm(sub, account) } : account;
      }),
    },
    {
      name: 'acr.registries.listCredentials',
      method: 'POST',
      path: `${base}/resourceGroups/:resourceGroupName/${provider}/:registryName/listCredentials`,
      auth: 'arm',
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
  ];
}
