/**
 * The task's one typed, read-only inputs object, read and validated in one place (input names in
 * input-names.ts; the container, networking, registry and probe inputs in their own readers).
 */
import { normaliseLocation } from '../../common/azure/location';
import { checkSecretValue } from '../../common/secret-inputs';
import { InputError, invalidInput, missingInput } from '../../common/errors';
import { InputReader, type InputSource, type KeyValue } from '../../common/input-reader';
import { readContainerInputs } from './container-inputs';
import {
  type GPU_SKUS,
  INPUT,
  type DNS_NAME_LABEL_REUSE_POLICIES,
  type IP_ADDRESS_TYPES,
  type InputName,
  type OS_TYPES,
  type RESTART_POLICIES,
  type RegistryAuth,
  UPDATE_MODES,
  type UpdateMode,
  optional,
} from './input-names';
import { ENVIRONMENT_VARIABLE_NAME, type ImageReference, type PortSpec, checkGuid, checkTag } from './input-rules';
import { readNetworkInputs } from './network-inputs';
import { readProbe } from './probe-inputs';
import { readRegistryInputs } from './registry-inputs';

export { IMAGE_URI_VARIABLE, INPUT, type InputName, type RegistryAuth, type UpdateMode } from './input-names';

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
  /** The container's command in exec form (empty: the image's entry point and command). */
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

/** 'timeoutInMinutes' accepts fractions (0.25 = 15 s) up to 6 hours. */
export const TIMEOUT_IN_MINUTES = { min: 0.25, max: 360, default: 15 } as const;

/** Reads and validates every input; throws an InputError before anything talks to Azure. */
export function readInputs(source: InputSource, context: InputContext): DeployInputs {
  const read = new InputReader<InputName>(source);
  // Secrets first: they are masked before anything else can print them.
  const secureEnvironmentVariables = read.keyValues(INPUT.secureEnvironmentVariables, ENVIRONMENT_VARIABLE_NAME);
  for (const { key, value } of secureEnvironmentVariables) {
    context.setSecret(value);
    checkSecretValue(INPUT.secureEnvironmentVariables, value, `the value of '${key}'`);
  }
  const workspaceKey = read.string(INPUT.logAnalyticsWorkspaceKey);
  if (workspaceKey !== undefined) context.setSecret(workspaceKey);

  const container = readContainerInputs(read, context);
  const network = readNetworkInputs(read);
  const environmentVariables = read.keyValues(INPUT.environmentVariables, ENVIRONMENT_VARIABLE_NAME);
  const clash = environmentVariables.find((plain) => secureEnvironmentVariables.some((secure) => secure.key === plain.key));
  if (clash) {
    throw invalidInput(INPUT.environmentVariables, 'names that are not also in secureEnvironmentVariables', `${clash.key} in both`);
  }

  const location = read.string(INPUT.location);
  return {
    azureSubscription: read.required(INPUT.azureSubscription),
    resourceGroup: readResourceGroup(read),
    ...optional('location', location === undefined ? undefined : normaliseLocation(location)),
    ...container,
    ...network,
    ...readRegistryInputs(read),
    environmentVariables,
    secureEnvironmentVariables,
    ...optional('readinessProbe', readProbe(read, 'readiness', network.ports)),
    ...optional('livenessProbe', readProbe(read, 'liveness', network.ports)),
    ...optional('logAnalytics', readLogAnalytics(read, workspaceKey)),
    tags: readTags(read),
    updateMode: read.enumValue(INPUT.updateMode, UPDATE_MODES, 'update'),
    waitForReady: read.boolean(INPUT.waitForReady, true),
    timeoutInMs: Math.round(read.number(INPUT.timeoutInMinutes, TIMEOUT_IN_MINUTES, TIMEOUT_IN_MINUTES.default) * 60_000),
  };
}

function readResourceGroup(read: InputReader<InputName>): string {
  const value = read.required(INPUT.resourceGroup);
  if (value.length > 90 || !/^[-\w.()]*[-\w()]$/u.test(value)) {
    throw invalidInput(INPUT.resourceGroup, "a resource group name: 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'", value);
  }
  return value;
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
