/** The container's environment from a deploy task's inputs: plain and secure KEY=VALUE lines, secure values masked as read. */
import { invalidInput } from '../errors';
import type { InputReader, KeyValue } from '../input-reader';
import { DEPLOY_INPUT, type DeployInputName } from './input-names';

export interface EnvironmentInputs {
  readonly environmentVariables: readonly KeyValue[];
  readonly secureEnvironmentVariables: readonly KeyValue[];
}

/**
 * Names both Azure Container Instances and the kubelet accept for environment variables (C identifiers,
 * plus '.' and '-' after the first).
 */
export const ENVIRONMENT_VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Read first, so that secrets are masked before anything can print them. */
export function readEnvironmentInputs(read: InputReader<DeployInputName>): EnvironmentInputs {
  const secureEnvironmentVariables = read.secretKeyValues(DEPLOY_INPUT.secureEnvironmentVariables, ENVIRONMENT_VARIABLE_NAME);
  const environmentVariables = read.keyValues(DEPLOY_INPUT.environmentVariables, ENVIRONMENT_VARIABLE_NAME);
  const clash = environmentVariables.find((plain) => secureEnvironmentVariables.some((secure) => secure.key === plain.key));
  if (clash) throw invalidInput(DEPLOY_INPUT.environmentVariables, 'names that are not also in secureEnvironmentVariables', `${clash.key} in both`);
  return { environmentVariables, secureEnvironmentVariables };
}
