/**
 * Build arguments and secrets (pure): a `$(name)` macro the agent left unexpanded is refused before any
 * build; a build argument whose value is a secret is warned about (Docker keeps build argument values
 * in the image's history, readable by anyone who can pull it), and a label that repeats such a value is
 * refused (labels are plain text in the image's config).
 */
import { InputError } from '../../common/errors';
import { unexpandedMacroIn } from '../../common/secret-inputs';
import { type BuildInputs, INPUT } from './inputs';

export interface BuildArgumentSecrets {
  /** Names of the build arguments whose values are known secrets. */
  secretArguments: string[];
}

export function checkBuildArgumentSecrets(inputs: Pick<BuildInputs, 'buildArguments' | 'labels'>, knownSecrets: readonly string[]): BuildArgumentSecrets {
  for (const { key, value } of inputs.buildArguments) {
    const variable = unexpandedMacroIn(value);
    if (variable !== undefined) {
      throw new InputError(
        INPUT.buildArguments,
        `Input '${INPUT.buildArguments}': the value of '${key}' holds the macro '$(${variable})', which the agent left as written because no variable '${variable}' is defined. ` +
          `Define the variable '${variable}' in the pipeline (or its variable group), or remove '${key}'.`,
      );
    }
  }
  const secrets = new Set(knownSecrets.filter((secret) => secret.length >= 3));
  const secretArguments = inputs.buildArguments.filter(({ value }) => secrets.has(value));
  for (const argument of secretArguments) {
    const label = inputs.labels.find(({ value }) => value === argument.value);
    if (label !== undefined) {
      throw new InputError(
        INPUT.labels,
        `Input '${INPUT.labels}': label '${label.key}' has the value of the secret build argument '${argument.key}'. Labels are stored in plain text in the image; remove the label.`,
      );
    }
  }
  return { secretArguments: secretArguments.map(({ key }) => key) };
}

/** The warning for build arguments that hold secrets. */
export function secretBuildArgumentWarning(names: readonly string[]): string {
  return (
    `Build argument${names.length === 1 ? '' : 's'} ${names.map((name) => `'${name}'`).join(', ')} hold${names.length === 1 ? 's' : ''} a secret value. ` +
    "Docker keeps build argument values in the image's history (docker history --no-trunc shows them to anyone who can pull the image). " +
    'Pass secrets to the build another way (a BuildKit secret mount), or make sure the image is never shared.'
  );
}
