/**
 * Secret values that came from pipeline variables, checked before use (pure): the agent leaves a macro
 * whose variable is not defined as written (`$(endpointKey)`), and a secret variable may be empty. Either
 * would be sent to a server as the secret. The message names the input and the variable, never the value.
 */
import { InputError } from './errors';

/** `$(name)` as the agent writes macros (variable names: letters, digits, '.', '_', '-'). */
const MACRO = /\$\(([A-Za-z0-9_.-]+)\)/;

/** The name of the first unexpanded `$(name)` macro in a value, if any. */
export function unexpandedMacroIn(value: string): string | undefined {
  return MACRO.exec(value)?.[1];
}

/**
 * Refuses an empty secret or one still holding `$(name)`. `what` says which value of a multi-value
 * input it is (e.g. "the value of 'API_KEY'").
 */
export function checkSecretValue(input: string, value: string, what?: string): string {
  const subject = what === undefined ? `Input '${input}'` : `Input '${input}': ${what}`;
  const variable = unexpandedMacroIn(value);
  if (variable !== undefined) {
    throw new InputError(
      input,
      `${subject} holds the macro '$(${variable})', which the agent left as written because no variable '${variable}' is defined. ` +
        `Define the secret variable '${variable}' in the pipeline (or its variable group), or map another one.`,
    );
  }
  if (value.trim() === '') {
    throw new InputError(input, `${subject} is empty. Map it from a secret variable that has a value, e.g. $(endpointKey), and check that the variable is set for this pipeline.`);
  }
  return value;
}
