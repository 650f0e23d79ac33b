import { CHAINED_VARIABLE } from '../../common/chained-variables';

/** Every input of task.json, declared once (a test checks this list against task.json), and the values the pick lists offer. */
export const INPUT = {
  azureSubscription: 'azureSubscription',
  resourceGroup: 'resourceGroup',
  location: 'location',
  containerGroupName: 'containerGroupName',
  containerName: 'containerName',
  image: 'image',
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
  environmentVariables: 'environmentVariables',
  secureEnvironmentVariables: 'secureEnvironmentVariables',
  readinessProbePath: 'readinessProbePath',
  readinessProbePort: 'readinessProbePort',
  readinessProbeInitialDelay: 'readinessProbeInitialDelay',
  readinessProbePeriod: 'readinessProbePeriod',
  readinessProbeFailureThreshold: 'readinessProbeFailureThreshold',
  livenessProbePath: 'livenessProbePath',
  livenessProbePort: 'livenessProbePort',
  livenessProbeInitialDelay: 'livenessProbeInitialDelay',
  livenessProbePeriod: 'livenessProbePeriod',
  livenessProbeFailureThreshold: 'livenessProbeFailureThreshold',
  logAnalyticsWorkspaceId: 'logAnalyticsWorkspaceId',
  logAnalyticsWorkspaceKey: 'logAnalyticsWorkspaceKey',
  tags: 'tags',
  updateMode: 'updateMode',
  waitForReady: 'waitForReady',
  timeoutInMinutes: 'timeoutInMinutes',
} as const;
export type InputName = (typeof INPUT)[keyof typeof INPUT];

/** The job variable BuildAndPushAiImage sets to `<loginServer>/<repository>@sha256:...`. */
export const IMAGE_URI_VARIABLE = CHAINED_VARIABLE.imageUri;

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
