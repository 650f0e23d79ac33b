/** The local runner's command line (`npm start -- [pipeline.yml] [options]`), parsed without effects. */
import { checkConnectionName, type LocalConnectionKind, LOCAL_CONNECTION_KINDS, parseConnectionKind } from './connections';
import { PipelineError } from './model';

export const DEFAULT_PIPELINE = 'examples/azure-pipelines.yml';

export const USAGE = `Usage: npm start -- [pipeline.yml] [options]

Runs the steps of an azure-pipelines.yml (default: ${DEFAULT_PIPELINE}) through the bundled
tasks, as the Azure Pipelines agent would, against a local Azure started for the run.

Options:
  --var NAME=VALUE          set a pipeline variable (overrides the YAML and the runner's values)
  --secret NAME=VALUE       set a secret variable (masked in the log)
  --secret NAME             the same, with the value taken from the environment variable NAME
                            (keeps it out of the process list and the shell history)
  --connection NAME=KIND    the local connection that the service connection NAME stands for
                            (any name Azure DevOps accepts: quote names with spaces):
                            ${LOCAL_CONNECTION_KINDS.join(' | ')}
                            (default: Azure Resource Manager -> workloadIdentity,
                             Docker registry -> dockerRegistry)
  --strict                  treat the warnings before the job (undeclared or missing inputs, undefined
                            $(variables), Azure names Azure refuses) as errors, before anything slow
  --keep                    leave the local Azure and the model running until Ctrl+C
  --help                    show this help

See docs/local-pipeline-runner.md for the YAML it supports.`;

export interface RunnerArguments {
  pipelineFile: string;
  variables: Record<string, string>;
  secrets: Record<string, string>;
  connections: Record<string, LocalConnectionKind>;
  strict: boolean;
  keep: boolean;
  help: boolean;
}

export function parseArguments(argv: readonly string[], environment: Record<string, string | undefined>): RunnerArguments {
  const parsed: RunnerArguments = { pipelineFile: DEFAULT_PIPELINE, variables: {}, secrets: {}, connections: {}, strict: false, keep: false, help: false };
  let pipelineGiven = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    const [flag, inlineValue] = argument.startsWith('--') && argument.includes('=') && !argument.startsWith('--=') ? splitOnce(argument, '=') : [argument, undefined];
    const value = (): string => {
      if (inlineValue !== undefined) return inlineValue;
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new PipelineError(`${flag} needs a value.`);
      index++;
      return next;
    };
    switch (flag) {
      case '--help':
      case '-h':
        parsed.help = true;
        break;
      case '--keep':
        parsed.keep = true;
        break;
      case '--strict':
        parsed.strict = true;
        break;
      case '--var': {
        const [name, given] = nameAndValue(value(), flag);
        if (given === undefined) throw new PipelineError(`--var ${name}: give a value, as --var ${name}=VALUE.`);
        parsed.variables[name] = given;
        break;
      }
      case '--secret': {
        const [name, given] = nameAndValue(value(), flag);
        const secret = given ?? environment[name];
        if (secret === undefined || secret === '') throw new PipelineError(`--secret ${name}: no value; give --secret ${name}=VALUE or set the environment variable ${name}.`);
        parsed.secrets[name] = secret;
        break;
      }
      case '--connection': {
        // Kinds hold no '=', names may: split at the last one.
        const given = value();
        const at = given.lastIndexOf('=');
        const name = checkConnectionName(at < 0 ? given : given.slice(0, at), flag);
        if (at < 0) throw new PipelineError(`--connection ${name}: give the local connection, as --connection ${name}=${LOCAL_CONNECTION_KINDS.join('|')}.`);
        parsed.connections[name] = parseConnectionKind(given.slice(at + 1), `--connection ${name}`);
        break;
      }
      default:
        if (argument.startsWith('-')) throw new PipelineError(`Unknown option '${argument}'. Run with --help for the options.`);
        if (pipelineGiven) throw new PipelineError(`Only one pipeline file can be run; got '${parsed.pipelineFile}' and '${argument}'.`);
        parsed.pipelineFile = argument;
        pipelineGiven = true;
    }
  }
  return parsed;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

function nameAndValue(text: string, flag: string): [string, string | undefined] {
  const [name, value] = splitOnce(text, '=');
  if (!/^[A-Za-z_][\w.]*$/.test(name)) throw new PipelineError(`${flag}: '${name}' is not a valid name (letters, digits, '_' and '.', not starting with a digit).`);
  return [name, value];
}
