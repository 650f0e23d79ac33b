/** The container's environment from a deploy task's inputs: plain and secure KEY=VALUE lines, secure values masked as read. */
import { invalidInput } from '../errors';
import type { InputReader, KeyValue } from '../input-reader';
import { DEPLOY_INPUT, type DeployInputName } from './input-names';

export interface EnvironmentInputs {
  readonly environmentVariables: readonly KeyValue[];
  readonly secureEnvironmentVariables: readonly KeyValue[];
}

/** `namePattern`: the names the platform accepts for environment variables. Read first, so that secrets are masked before anything can print them. */
export function readEnvironmentInputs(read: InputReader<DeployInputName>, namePattern: RegExp): EnvironmentInputs {
  const secureEnvironmentVariables = read.secretKeyValues(DEPLOY_INPUT.secureEnvironmentVariables, namePattern);
  const environmentVariables = read.keyValues(DEPLOY_INPUT.environmentVariables, namePattern);
  const clash = environmentVariables.find((plain) => secureEnvironmentVariables.some((secure) => secure.key === plain.key));
  if (clash) throw invalidInput(DEPLOY_INPUT.environmentVariables, 'names that are not also in secureEnvironmentVariables', `${clash.key} in both`);
  return { environmentVariables, secureEnvironmentVariables };
}
