/**
 * Build arguments and secrets (pure): a `$(name)` macro the agent left unexpanded is refused before any
 * build, and so is an empty build argument while a secret variable of the job is defined but empty (the
 * agent put its empty value in place of `$(name)`; the task sees only the expanded text, so the secret
 * variables that are empty are what tell the two apart); a build argument whose value is a secret is warned about (Docker keeps build argument values
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

/** What the task knows of the job's secret variables. */
export interface JobSecrets {
  /** Every secret value the task knows (masked everywhere). */
  known: readonly string[];
  /** Names of secret variables that are defined but empty. */
  emptyVariables: readonly string[];
}

/** Variables the agent or the service defines (System.AccessToken, Agent.ProxyPassword): never what a build argument maps. */
const SYSTEM_VARIABLE = /^(system|agent|build|release)\./i;

export function checkBuildArgumentSecrets(inputs: Pick<BuildInputs, 'buildArguments' | 'labels'>, secrets: JobSecrets): BuildArgumentSecrets {
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
  const emptyVariables = secrets.emptyVariables.filter((name) => !SYSTEM_VARIABLE.test(name));
  const empty = inputs.buildArguments.find(({ value }) => value.trim() === '');
  if (empty !== undefined && emptyVariables.length > 0) throw emptySecretArgument(empty.key, emptyVariables);
  const known = new Set(secrets.known.filter((secret) => secret.length >= 3));
  const secretArguments = inputs.buildArguments.filter(({ value }) => known.has(value));
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

/**
 * An empty build argument while secret variables are empty: the one whose name matches the argument
 * (NPM_TOKEN and npmToken, npm.token) is named as the variable to define; otherwise every empty one is.
 */
function emptySecretArgument(key: string, emptyVariables: readonly string[]): InputError {
  const matching = emptyVariables.find((name) => comparable(name) === comparable(key));
  const candidates = matching !== undefined ? [matching] : emptyVariables;
  const named = candidates.map((name) => `'${name}'`).join(', ');
  const which =
    matching !== undefined
      ? `the secret variable ${named} is defined but empty, so the agent put nothing in place of '$(${matching})'`
      : `the job's secret variable${candidates.length === 1 ? ` ${named} is` : `s ${named} are`} defined but empty, so a '$(name)' macro of ${candidates.length === 1 ? 'it' : 'one of them'} became nothing`;
  return new InputError(
    INPUT.buildArguments,
    `Input '${INPUT.buildArguments}': the value of '${key}' is empty, and ${which}. ` +
      `Define a value for the secret variable ${matching !== undefined ? named : `that '${key}' maps (${named})`} in the pipeline's variables or its variable group, or remove '${key}'. ` +
      'An empty build argument is refused while a secret variable of the job is empty, because the two cannot be told apart.',
  );
}

/** A variable or argument name for comparison: letters and digits only, lower case. */
function comparable(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

/** The warning for build arguments that hold secrets. */
export function secretBuildArgumentWarning(names: readonly string[]): string {
  return (
    `Build argument${names.length === 1 ? '' : 's'} ${names.map((name) => `'${name}'`).join(', ')} hold${names.length === 1 ? 's' : ''} a secret value. ` +
    "Docker keeps build argument values in the image's history (docker history --no-trunc shows them to anyone who can pull the image). " +
    'Pass secrets to the build another way (a BuildKit secret mount), or make sure the image is never shared.'
  );
}
