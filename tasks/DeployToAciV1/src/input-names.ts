import { DEPLOY_INPUT } from '../../common/deploy-inputs/input-names';

/** Every input of task.json (those both deploy tasks share, then its own), declared once (a test checks this list against task.json), and the values the pick lists offer. */
export const INPUT = {
  ...DEPLOY_INPUT,
  location: 'location',
  containerGroupName: 'containerGroupName',
  containerName: 'containerName',
  osType: 'osType',
  cpu: 'cpu',
  memoryInGB: 'memoryInGB',
  gpuCount: 'gpuCount',
  gpuSku: 'gpuSku',
  command: 'command',
  restartPolicy: 'restartPolicy',
  ports: 'ports',
  ipAddressType: 'ipAddressType',
  dnsNameLabel: 'dnsNameLabel',
  dnsNameLabelReusePolicy: 'dnsNameLabelReusePolicy',
  subnetIds: 'subnetIds',
  registryAuth: 'registryAuth',
  managedIdentityResourceId: 'managedIdentityResourceId',
  dockerRegistryServiceConnection: 'dockerRegistryServiceConnection',
  logAnalyticsWorkspaceId: 'logAnalyticsWorkspaceId',
  logAnalyticsWorkspaceKey: 'logAnalyticsWorkspaceKey',
  tags: 'tags',
  updateMode: 'updateMode',
  waitForReady: 'waitForReady',
  timeoutInMinutes: 'timeoutInMinutes',
} as const;
export type InputName = (typeof INPUT)[keyof typeof INPUT];

export const OS_TYPES = ['Linux', 'Windows'] as const;
export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
export const IP_ADDRESS_TYPES = ['Public', 'Private', 'None'] as const;
export const DNS_NAME_LABEL_REUSE_POLICIES = ['Unsecure', 'TenantReuse', 'SubscriptionReuse', 'ResourceGroupReuse', 'Noreuse'] as const;
export const GPU_SKUS = ['K80', 'P100', 'V100'] as const;
export const REGISTRY_AUTH_MODES = ['auto', 'serviceConnection', 'adminCredentials', 'managedIdentity', 'dockerRegistryConnection', 'none'] as const;
export const UPDATE_MODES = ['update', 'recreateIfRequired', 'alwaysRecreate'] as const;

export type RegistryAuth = (typeof REGISTRY_AUTH_MODES)[number];
export type UpdateMode = (typeof UPDATE_MODES)[number];

/** `{ key: value }` when the value is defined, else `{}`: for optional properties under exactOptionalPropertyTypes-style spreads. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
