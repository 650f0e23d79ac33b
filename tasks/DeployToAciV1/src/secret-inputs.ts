/**
 * task-lib's getInput writes `##vso[task.debug]<name>=<value>` before a task can mask the value, so a
 * secure value typed into an input (not from a secret variable, which the agent masks itself) would
 * reach the debug log. The inputs that hold secrets are read here from task-lib's vault without that
 * debug line; readInputs masks them before anything else is printed.
 */
import * as taskLibInternal from 'azure-pipelines-task-lib/internal';
import { type InputSource, blankToUndefined } from '../../common/input-reader';
import { INPUT } from './inputs';

const SECRET_INPUTS: ReadonlySet<string> = new Set([INPUT.secureEnvironmentVariables, INPUT.logAnalyticsWorkspaceKey]);

export function withQuietSecretInputs(inputs: InputSource): InputSource {
  return {
    get: (name) =>
      SECRET_INPUTS.has(name) ? blankToUndefined(taskLibInternal._vault.retrieveSecret(`INPUT_${taskLibInternal._getVariableKey(name)}`)) : inputs.get(name),
  };
}
