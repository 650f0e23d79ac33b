import { maskSecrets } from './secret-masking';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tli from 'azure-pipelines-task-lib/internal';
import * as tl from 'azure-pipelines-task-lib/task';
import { type AgentProxy, agentProxyFrom } from './agent-proxy';
import { type InputSource, blankToUndefined } from './input-reader';
import { LineNeutraliser, neutralise } from './neutralise';

/** Logging, the part of the runtime that main() code and effect implementations write to. */
export interface TaskLog {
  info(message: string): void;
  debug(message: string): void;
  /** Degraded but continuing work; also shown as a warning issue on the run. */
  warning(message: string): void;
  /** Output that came from elsewhere (docker, container logs, HTTP bodies): neutralised first. */
  foreign(text: string): void;
  /** A line sink for streamed foreign output; call `end()` when the stream ends. */
  foreignStream(): LineNeutraliser;
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
}

export interface SetVariableOptions {
  isOutput?: boolean;
  isSecret?: boolean;
}

export interface TestResultsPublication {
  format: 'JUnit';
  files: string[];
  title?: string;
}

export type TaskResult = 'Succeeded' | 'SucceededWithIssues' | 'Failed';

/** Everything a task says to or reads from the agent. index.ts creates it; main() never reads the environment. */
export interface TaskRuntime extends TaskLog {
  inputs: InputSource;
  /** A pipeline variable (e.g. 'Build.BuildId'), or undefined. */
  variable(name: string): string | undefined;
  endpoint: EndpointSource;
  /** Registers a value with the agent so that it is masked in every log. Call it the moment a secret exists. */
  setSecret(value: string): void;
  /** Every secret the task knows: values registered with setSecret and the job's secret variables (for masking files). */
  knownSecrets(): string[];
  /**
   * Names of the job's secret variables that are defined but empty (the agent lists every secret variable
   * in VSTS_SECRET_VARIABLES and passes its value, empty or not, as SECRET_<NAME>): a `$(name)` macro of
   * one of them expanded to nothing in the inputs.
   */
  emptySecretVariables(): string[];
  setVariable(name: string, value: string, options?: SetVariableOptions): void;
  /** Adds a markdown section (secrets masked: the agent does not mask files) to the run's Extensions tab. */
  addSummary(title: string, markdown: string): void;
  publishTestResults(publication: TestResultsPublication): void;
  /** A folder the agent cleans after the job (AGENT_TEMPDIRECTORY). */
  tempDirectory: string;
  /** The agent's proxy (Agent.ProxyUrl ...), for every HTTP client; undefined when the agent has none. */
  proxy?: AgentProxy;
  setResult(result: TaskResult, message: string): void;
}

/** Raw access to service connections (the agent's ENDPOINT_* variables). */
export interface EndpointSource {
  url(id: string): string | undefined;
  scheme(id: string): string | undefined;
  authParameter(id: string, key: string): string | undefined;
  dataParameter(id: string, key: string): string | undefined;
}

export function createTaskRuntime(): TaskRuntime {
  const tempDirectory = tl.getVariable('Agent.TempDirectory') ?? os.tmpdir();
  let summaryCount = 0;
  const registered = new Set<string>();
  // The agent masks secrets in the log it shows, but a task's own output may echo one it got from
  // elsewhere (a model that echoes its API key): everything the task writes is masked here too.
  const secretVariables = secretVariableValues();
  const knownSecrets = (): string[] => [...registered, ...secretVariables];
  const mask = (text: string): string => maskSecrets(text, knownSecrets());
  const writeLine = (line: string): void => {
    process.stdout.write(`${mask(line)}${os.EOL}`);
  };
  const runtime: TaskRuntime = {
    inputs: { get: (name) => blankToUndefined(readQuietly(`INPUT_${tli._getVariableKey(name)}`)) },
    variable: (name) => blankToUndefined(tl.getVariable(name)),
    endpoint: {
      url: (id) => blankToUndefined(tl.getEndpointUrl(id, true)),
      scheme: (id) => blankToUndefined(tl.getEndpointAuthorizationScheme(id, true)),
      authParameter: (id, key) => blankToUndefined(readQuietly(`ENDPOINT_AUTH_PARAMETER_${id}_${key.toUpperCase()}`)),
      dataParameter: (id, key) => blankToUndefined(tl.getEndpointDataParameter(id, key, true)),
    },
    info: (message) => writeLine(message),
    debug: (message) => tl.debug(mask(message)),
    warning: (message) => tl.warning(mask(message)),
    foreign: (text) => writeLine(neutralise(text)),
    foreignStream: () => new LineNeutraliser(writeLine),
    group: async (title, body) => {
      writeLine(`##[group]${neutralise(title)}`);
      try {
        return await body();
      } finally {
        writeLine('##[endgroup]');
      }
    },
    setSecret: (value) => {
      if (value.trim() === '') return;
      registered.add(value);
      tl.setSecret(value);
    },
    knownSecrets,
    emptySecretVariables,
    setVariable: (name, value, options = {}) => tl.setVariable(name, value, options.isSecret ?? false, options.isOutput ?? false),
    addSummary: (title, markdown) => {
      summaryCount += 1;
      const file = path.join(tempDirectory, `${sanitizeFileName(title)}-${process.pid}-${summaryCount}.md`);
      fs.writeFileSync(file, mask(markdown), { encoding: 'utf8' });
      tl.addAttachment('Distributedtask.Core.Summary', attachmentName(title), file);
    },
    publishTestResults: (publication) => {
      tl.command(
        'results.publish',
        {
          type: publication.format,
          resultFiles: publication.files.join(','),
          mergeResults: 'false',
          publishRunAttachments: 'true',
          // The agent reads the title from `runTitle` (azure-pipelines-agent, ResultsCommandExtension.cs).
          ...(publication.title ? { runTitle: publication.title } : {}),
        },
        '',
      );
    },
    tempDirectory,
    setResult: (result, message) => tl.setResult(tl.TaskResult[result], mask(message)),
  };
  const proxy = agentProxyFrom(readProxyConfiguration());
  if (proxy !== undefined) {
    if (proxy.password !== undefined) runtime.setSecret(proxy.password);
    runtime.proxy = proxy;
  }
  return runtime;
}

/**
 * The variables task-lib's getHttpProxyConfiguration reads (Agent.ProxyUrl, Agent.ProxyUsername, the secret
 * Agent.ProxyPassword, Agent.ProxyBypassList), read the same way but without its debug line
 * 'Agent.ProxyPassword=<password>' (task-lib's getVariable echoes every value, secrets included).
 */
function readProxyConfiguration(): { proxyUrl: string; proxyUsername?: string; proxyPassword?: string; proxyBypassHosts: string[] } | undefined {
  const proxyUrl = tl.getVariable('Agent.ProxyUrl');
  if (proxyUrl === undefined || proxyUrl.trim() === '') return undefined;
  const key = tli._getVariableKey('Agent.ProxyPassword');
  const proxyPassword = tli._vault.retrieveSecret(`SECRET_${key}`) ?? process.env[key];
  const proxyUsername = tl.getVariable('Agent.ProxyUsername');
  let proxyBypassHosts: string[] = [];
  try {
    const parsed = JSON.parse(tl.getVariable('Agent.ProxyBypassList') ?? '[]') as unknown;
    if (Array.isArray(parsed)) proxyBypassHosts = parsed.filter((entry): entry is string => typeof entry === 'string');
  } catch {
    proxyBypassHosts = [];
  }
  return { proxyUrl, ...(proxyUsername ? { proxyUsername } : {}), ...(proxyPassword ? { proxyPassword } : {}), proxyBypassHosts };
}

/** The names (as the pipeline spells them) of the job's secret variables whose value is empty. */
function emptySecretVariables(): string[] {
  return Object.entries(tli._knownVariableMap)
    .filter(([key, info]) => info.secret && (readQuietly(`SECRET_${key}`) ?? '') === '')
    .map(([, info]) => info.name);
}

/**
 * task-lib's getInput and getEndpointAuthorizationParameter print the value in a debug line before a
 * task can register it as a secret (an API key input, a service principal key). Inputs and endpoint
 * parameters are read here from task-lib's vault directly, so no value is ever echoed.
 */
function readQuietly(key: string): string | undefined {
  return tli._vault.retrieveSecret(key);
}

/** The values of the job's secret variables, read from the vault without task-lib's debug echo of each value. */
function secretVariableValues(): string[] {
  return Object.entries(tli._knownVariableMap)
    .filter(([, info]) => info.secret)
    .map(([key]) => readQuietly(`SECRET_${key}`) ?? '')
    .filter((value) => value !== '');
}

/**
 * The agent refuses an attachment whose name holds a character invalid in a file name of its OS
 * (azure-pipelines-agent, TaskCommandExtension.cs `AddAttachment`, Path.GetInvalidFileNameChars): on
 * Windows agents that includes `"<>|:*?\\/` and control characters. Each becomes '-'.
 */
export function attachmentName(title: string): string {
  // eslint-disable-next-line no-control-regex
  return title.replace(/["<>|:*?\\/\u0000-\u001f]/g, '-').trim() || 'summary';
}

function sanitizeFileName(title: string): string {
  return title.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'summary';
}
