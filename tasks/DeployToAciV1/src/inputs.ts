/**
 * Reads and validates every input in one place (names in input-names.ts, types in input-types.ts; the
 * container, networking, registry and probe inputs in their own readers, the image, environment and
 * probe rules shared with DeployToAks in common/deploy-inputs).
 */
import { normaliseLocation } from '../../common/azure/location';
import { readEnvironmentInputs } from '../../common/deploy-inputs/environment-inputs';
import { readProbe } from '../../common/deploy-inputs/probe-inputs';
import { readResourceGroup } from '../../common/deploy-inputs/resource-group';
import { InputError, missingInput } from '../../common/errors';
import { InputReader, type InputSource } from '../../common/input-reader';
import { checkSecretValue } from '../../common/secret-inputs';
import { readContainerInputs } from './container-inputs';
import { INPUT, type InputName, UPDATE_MODES, optional } from './input-names';
import { checkGuid, checkTag } from './input-rules';
import type { DeployInputContext, DeployInputs } from './input-types';
import { readNetworkInputs } from './network-inputs';
import { readRegistryInputs } from './registry-inputs';

export { INPUT, type InputName, type RegistryAuth, type UpdateMode } from './input-names';
export type { DeployInputContext, DeployInputs, ProbeInputs } from './input-types';

/** 'timeoutInMinutes' accepts fractions (0.25 = 15 s) up to 6 hours. */
export const TIMEOUT_IN_MINUTES = { min: 0.25, max: 360, default: 15 } as const;

/** Reads and validates every input; throws an InputError before anything talks to Azure. */
export function readInputs(source: InputSource, context: DeployInputContext): DeployInputs {
  const read = new InputReader<InputName>(source, context);
  // Secrets first: the reader masks them before anything else can print them.
  const environment = readEnvironmentInputs(read);
  for (const { key, value } of environment.secureEnvironmentVariables) {
    checkSecretValue(INPUT.secureEnvironmentVariables, value, `the value of '${key}'`);
  }
  const workspaceKey = read.secret(INPUT.logAnalyticsWorkspaceKey);

  const container = readContainerInputs(read, context);
  const network = readNetworkInputs(read);
  const firstTcpPort = network.ports.find((p) => p.protocol === 'TCP')?.port;
  const probeDefaults = { port: firstTcpPort, portHint: "There is no TCP port in 'ports' to default to.", periodSeconds: 10 };

  const location = read.string(INPUT.location);
  return {
    azureSubscription: read.required(INPUT.azureSubscription),
    resourceGroup: readResourceGroup(read),
    ...optional('location', location === undefined ? undefined : normaliseLocation(location)),
    ...container,
    ...network,
    ...readRegistryInputs(read),
    ...environment,
    ...optional('readinessProbe', readProbe(read, 'readiness', probeDefaults)),
    ...optional('livenessProbe', readProbe(read, 'liveness', probeDefaults)),
    ...optional('logAnalytics', readLogAnalytics(read, workspaceKey)),
    tags: readTags(read),
    updateMode: read.enumValue(INPUT.updateMode, UPDATE_MODES, 'update'),
    waitForReady: read.boolean(INPUT.waitForReady, true),
    timeoutInMs: Math.round(read.number(INPUT.timeoutInMinutes, TIMEOUT_IN_MINUTES, TIMEOUT_IN_MINUTES.default) * 60_000),
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
