import { InputError, invalidInput, missingInput } from '../../common/errors';
import { InputReader, type InputSource, type KeyValue } from '../../common/input-reader';
import {
  ENVIRONMENT_VARIABLE_NAME,
  type ImageReference,
  type PortSpec,
  checkDnsNameLabel,
  checkGuid,
  checkResourceName,
  checkSubnetId,
  checkTag,
  checkUserAssignedIdentityId,
  parseImageReference,
  parsePorts,
} from './input-rules';

/** Every input of task.json, declared once (a test checks this list against task.json). */
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
export const IMAGE_URI_VARIABLE = 'AiModelDeploy.ImageUri';

export const OS_TYPES = ['Linux', 'Windows'] as const;
export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
export const IP_ADDRESS_TYPES = ['Public', 'Private', 'None'] as const;
export const DNS_NAME_LABEL_REUSE_POLICIES = ['Unsecure', 'TenantReuse', 'SubscriptionReuse', 'ResourceGroupReuse', 'Noreuse'] as const;
export const GPU_SKUS = ['K80', 'P100', 'V100'] as const;
export const REGISTRY_AUTH_MODES = ['auto', 'serviceConnection', 'adminCredentials', 'managedIdentity', 'dockerRegistryConnection', 'none'] as const;
export const UPDATE_MODES = ['update', 'recreateIfRequired', 'alwaysRecreate'] as const;

export type RegistryAuth = (typeof REGISTRY_AUTH_MODES)[number];
export type UpdateMode = (typeof UPDATE_MODES)[number];

export interface ProbeInputs {
  readonly path: string;
  readonly port: number;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

export interface DeployInputs {
  readonly azureSubscription: string;
  readonly resourceGroup: string;
  /** Undefined: the resource group's location. */
  readonly location?: string;
  readonly containerGroupName: string;
  readonly containerName: string;
  readonly image: ImageReference;
  /** Where the image came from: the `image` input or the job variable set by BuildAndPushAiImage. */
  readonly imageSource: 'input' | 'pipeline';
  readonly osType: (typeof OS_TYPES)[number];
  readonly cpu: number;
  readonly memoryInGB: number;
  readonly gpu?: { readonly count: number; readonly sku: (typeof GPU_SKUS)[number] };
  readonly command: readonly string[];
  readonly restartPolicy: (typeof RESTART_POLICIES)[number];
  readonly ports: readonly PortSpec[];
  readonly ipAddressType: (typeof IP_ADDRESS_TYPES)[number];
  readonly dnsNameLabel?: string;
  readonly dnsNameLabelReusePolicy: (typeof DNS_NAME_LABEL_REUSE_POLICIES)[number];
  readonly subnetIds: readonly string[];
  readonly registryAuth: RegistryAuth;
  readonly managedIdentityResourceId?: string;
  readonly dockerRegistryServiceConnection?: string;
  readonly environmentVariables: readonly KeyValue[];
  readonly secureEnvironmentVariables: readonly KeyValue[];
  readonly readinessProbe?: ProbeInputs;
  readonly livenessProbe?: ProbeInputs;
  readonly logAnalytics?: { readonly workspaceId: string; readonly workspaceKey: string };
  readonly tags: Readonly<Record<string, string>>;
  readonly updateMode: UpdateMode;
  readonly waitForReady: boolean;
  readonly timeoutInMs: number;
}

export interface InputContext {
  /** The value of AiModelDeploy.ImageUri, when an earlier step set it. */
  pipelineImage?: string;
  /** Registers a secret with the agent; called for each secure value the moment it is read. */
  setSecret(value: string): void;
}

/** Reads and validates every input; throws an InputError before anything talks to Azure. */
export function readInputs(source: InputSource, context: InputContext): DeployInputs {
  const read = new InputReader<InputName>(source);
  // Secrets first: they are masked before anything else can print them.
  const secureEnvironmentVariables = read.keyValues(INPUT.secureEnvironmentVariables, ENVIRONMENT_VARIABLE_NAME);
  for (const { value } of secureEnvironmentVariables) context.setSecret(value);
  const workspaceKey = read.string(INPUT.logAnalyticsWorkspaceKey);
  if (workspaceKey !== undefined) context.setSecret(workspaceKey);

  const containerGroupName = checkResourceName(INPUT.containerGroupName, read.required(INPUT.containerGroupName));
  const containerNameInput = read.string(INPUT.containerName);
  const containerName = containerNameInput === undefined ? containerGroupName : checkResourceName(INPUT.containerName, containerNameInput);

  const ipAddressType = read.enumValue(INPUT.ipAddressType, IP_ADDRESS_TYPES, 'Public');
  const ports = parsePorts(INPUT.ports, read.string(INPUT.ports) ?? '');
  if (ipAddressType !== 'None' && ports.length === 0) {
    throw missingInput(INPUT.ports, `An IP address of type '${ipAddressType}' needs at least one port (e.g. '80'); set 'ipAddressType' to 'None' for a group without an address.`);
  }
  const environmentVariables = read.keyValues(INPUT.environmentVariables, ENVIRONMENT_VARIABLE_NAME);
  const clash = environmentVariables.find((plain) => secureEnvironmentVariables.some((secure) => secure.key === plain.key));
  if (clash) {
    throw invalidInput(INPUT.environmentVariables, 'names that are not also in secureEnvironmentVariables', `${clash.key} in both`);
  }

  return {
    azureSubscription: read.required(INPUT.azureSubscription),
    resourceGroup: readResourceGroup(read),
    ...optional('location', read.string(INPUT.location)?.toLowerCase().replace(/\s+/g, '')),
    containerGroupName,
    containerName,
    ...readImage(read, context),
    osType: read.enumValue(INPUT.osType, OS_TYPES, 'Linux'),
    cpu: readCpu(read),
    memoryInGB: readMemory(read),
    ...optional('gpu', readGpu(read)),
    command: read.lines(INPUT.command),
    restartPolicy: read.enumValue(INPUT.restartPolicy, RESTART_POLICIES, 'Always'),
    ports,
    ipAddressType,
    ...optional('dnsNameLabel', readDnsNameLabel(read, ipAddressType)),
    dnsNameLabelReusePolicy: read.enumValue(INPUT.dnsNameLabelReusePolicy, DNS_NAME_LABEL_REUSE_POLICIES, 'Unsecure'),
    subnetIds: readSubnetIds(read, ipAddressType),
    ...readRegistryAuth(read),
    environmentVariables,
    secureEnvironmentVariables,
    ...optional('readinessProbe', readProbe(read, 'readiness', ports)),
    ...optional('livenessProbe', readProbe(read, 'liveness', ports)),
    ...optional('logAnalytics', readLogAnalytics(read, workspaceKey)),
    tags: readTags(read),
    updateMode: read.enumValue(INPUT.updateMode, UPDATE_MODES, 'update'),
    waitForReady: read.boolean(INPUT.waitForReady, true),
    timeoutInMs: read.integer(INPUT.timeoutInMinutes, { min: 1, max: 360 }, 15) * 60_000,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function readResourceGroup(read: InputReader<InputName>): string {
  const value = read.required(INPUT.resourceGroup);
  if (value.length > 90 || !/^[-\w.()]*[-\w()]$/u.test(value)) {
    throw invalidInput(INPUT.resourceGroup, "a resource group name: 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'", value);
  }
  return value;
}

function readImage(read: InputReader<InputName>, context: InputContext): { image: ImageReference; imageSource: 'input' | 'pipeline' } {
  const given = read.string(INPUT.image);
  if (given !== undefined) return { image: parseImageReference(INPUT.image, given), imageSource: 'input' };
  const fromPipeline = context.pipelineImage?.trim();
  if (fromPipeline === undefined || fromPipeline === '') {
    throw missingInput(
      INPUT.image,
      `Name the image to deploy, or run BuildAndPushAiImage earlier in the same job: it sets the variable ${IMAGE_URI_VARIABLE} that this task uses when 'image' is empty.`,
    );
  }
  const hint = ` (the input is empty, so the task used the variable ${IMAGE_URI_VARIABLE}, which holds this value)`;
  return { image: parseImageReference(INPUT.image, fromPipeline, hint), imageSource: 'pipeline' };
}

function readCpu(read: InputReader<InputName>): number {
  const cpu = read.number(INPUT.cpu, { min: 0.1, max: 32 }, 1);
  if (Math.abs(Math.round(cpu * 100) - cpu * 100) > 1e-6) throw invalidInput(INPUT.cpu, 'a number of cores from 0.1 to 32 with at most 2 decimals', String(cpu));
  return cpu;
}

function readMemory(read: InputReader<InputName>): number {
  const memory = read.number(INPUT.memoryInGB, { min: 0.1, max: 256 }, 1.5);
  if (Math.abs(Math.round(memory * 10) - memory * 10) > 1e-6) {
    throw invalidInput(INPUT.memoryInGB, 'a number of GB from 0.1 to 256 in steps of 0.1 (e.g. 1.5)', read.string(INPUT.memoryInGB) ?? '');
  }
  return memory;
}

function readGpu(read: InputReader<InputName>): DeployInputs['gpu'] {
  const count = read.integer(INPUT.gpuCount, { min: 0, max: 4 }, 0);
  if (count === 0) return undefined;
  return { count, sku: read.enumValue(INPUT.gpuSku, GPU_SKUS, 'V100') };
}

function readDnsNameLabel(read: InputReader<InputName>, ipAddressType: DeployInputs['ipAddressType']): string | undefined {
  const label = read.string(INPUT.dnsNameLabel);
  if (label === undefined) return undefined;
  if (ipAddressType !== 'Public') {
    throw invalidInput(INPUT.dnsNameLabel, "empty unless 'ipAddressType' is 'Public' (only a public address has a DNS name)", label);
  }
  return checkDnsNameLabel(INPUT.dnsNameLabel, label);
}

function readSubnetIds(read: InputReader<InputName>, ipAddressType: DeployInputs['ipAddressType']): string[] {
  const ids = read.lines(INPUT.subnetIds).map((id) => checkSubnetId(INPUT.subnetIds, id));
  if (ipAddressType === 'Private' && ids.length === 0) {
    throw missingInput(INPUT.subnetIds, "A private IP address needs a subnet delegated to Microsoft.ContainerInstance/containerGroups.");
  }
  if (ipAddressType !== 'Private' && ids.length > 0) {
    throw invalidInput(INPUT.subnetIds, "empty unless 'ipAddressType' is 'Private' (a group in a virtual network has a private address)", ids[0] ?? '');
  }
  return ids;
}

function readRegistryAuth(read: InputReader<InputName>): Pick<DeployInputs, 'registryAuth' | 'managedIdentityResourceId' | 'dockerRegistryServiceConnection'> {
  const registryAuth = read.enumValue(INPUT.registryAuth, REGISTRY_AUTH_MODES, 'auto');
  const identity = read.string(INPUT.managedIdentityResourceId);
  const managedIdentityResourceId = identity === undefined ? undefined : checkUserAssignedIdentityId(INPUT.managedIdentityResourceId, identity);
  const dockerRegistryServiceConnection = read.string(INPUT.dockerRegistryServiceConnection);
  if (registryAuth === 'managedIdentity' && managedIdentityResourceId === undefined) {
    throw missingInput(INPUT.managedIdentityResourceId, "'registryAuth' is 'managedIdentity': name the user-assigned identity that has the AcrPull role on the registry.");
  }
  if (registryAuth === 'dockerRegistryConnection' && dockerRegistryServiceConnection === undefined) {
    throw missingInput(INPUT.dockerRegistryServiceConnection, "'registryAuth' is 'dockerRegistryConnection': choose the Docker registry service connection to pull with.");
  }
  return {
    registryAuth,
    ...optional('managedIdentityResourceId', managedIdentityResourceId),
    ...optional('dockerRegistryServiceConnection', registryAuth === 'dockerRegistryConnection' ? dockerRegistryServiceConnection : undefined),
  };
}

function readProbe(read: InputReader<InputName>, kind: 'readiness' | 'liveness', ports: readonly PortSpec[]): ProbeInputs | undefined {
  const names = {
    path: `${kind}ProbePath`,
    port: `${kind}ProbePort`,
    initialDelay: `${kind}ProbeInitialDelay`,
    period: `${kind}ProbePeriod`,
    failureThreshold: `${kind}ProbeFailureThreshold`,
  } as const satisfies Record<string, InputName>;
  const path = read.string(names.path);
  if (path === undefined) return undefined;
  if (!/^\/[\x21-\x7e]*$/.test(path)) throw invalidInput(names.path, "an HTTP path starting with '/' (e.g. '/v2/health/ready'), without spaces", path);
  const firstPort = ports.find((p) => p.protocol === 'TCP')?.port;
  const port = read.integer(names.port, { min: 1, max: 65535 }) ?? firstPort;
  if (port === undefined) throw missingInput(names.port, 'There is no TCP port in \'ports\' to default to.');
  const seconds = (name: InputName, min: number, max: number, defaultSeconds: number): number =>
    Math.round(read.durationInMs(name, { minInMs: min * 1000, maxInMs: max * 1000 }, defaultSeconds * 1000, 's') / 1000);
  return {
    path,
    port,
    initialDelaySeconds: seconds(names.initialDelay, 0, 3600, kind === 'liveness' ? 60 : 0),
    periodSeconds: seconds(names.period, 1, 300, 10),
    failureThreshold: read.integer(names.failureThreshold, { min: 1, max: 100 }, 3),
  };
}

function readLogAnalytics(read: InputReader<InputName>, workspaceKey: string | undefined): DeployInputs['logAnalytics'] {
  const workspaceId = read.string(INPUT.logAnalyticsWorkspaceId);
  if (workspaceId === undefined) {
    if (workspaceKey !== undefined) throw missingInput(INPUT.logAnalyticsWorkspaceId, "'logAnalyticsWorkspaceKey' is set: name the workspace it belongs to.");
    return undefined;
  }
  checkGuid(INPUT.logAnalyticsWorkspaceId, workspaceId, "the workspace ID (a GUID, shown as 'Workspace ID' on the workspace's Agents page)");
  if (workspaceKey === undefined) throw missingInput(INPUT.logAnalyticsWorkspaceKey, 'Log Analytics needs the workspace key as well as its ID; take it from a secret variable.');
  return { workspaceId, workspaceKey };
}

function readTags(read: InputReader<InputName>): Record<string, string> {
  const pairs = read.keyValues(INPUT.tags, /^[^=]+$/);
  if (pairs.length > 45) throw new InputError(INPUT.tags, `Input 'tags' must hold at most 45 tags (Azure allows 50 and the task uses a few); got ${pairs.length}.`);
  const tags: Record<string, string> = {};
  for (const { key, value } of pairs) {
    checkTag(INPUT.tags, key, value.trim());
    tags[key] = value.trim();
  }
  return tags;
}
