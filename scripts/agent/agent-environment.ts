import { randomBytes, randomUUID } from 'node:crypto';
import { type ServiceConnection, toAgentEnvironment } from '../../emulator/service-connection';
import { SecretMasker } from './secret-masker';

/** The agent's proxy settings (its .proxy file or VSTS_HTTP_PROXY), which it hands tasks as Agent.Proxy* variables. */
export interface AgentProxy {
  /** e.g. http://127.0.0.1:8888 */
  url: string;
  username?: string;
  password?: string;
  /** Regular expressions of URLs that go direct (the agent's .proxybypass file). */
  bypassList?: string[];
}

/** What a job gives a step: the parts the agent turns into the task's environment. */
export interface StepEnvironmentSpec {
  inputs: Record<string, string>;
  connections?: ServiceConnection[];
  /** Pipeline variables by name, e.g. { 'system.debug': 'true', 'Build.BuildId': '42' }. */
  variables?: Record<string, string>;
  secretVariables?: Record<string, string>;
  /**
   * The agent machine's own environment for the task, and the job's facts: a name that is the environment
   * name of one of the job's variables (SYSTEM_COLLECTIONURI, SYSTEM_ACCESSTOKEN, ...) sets that variable.
   */
  env?: Record<string, string>;
  /** The step's YAML `env:`; the agent's own variables override it. */
  stepEnv?: Record<string, string>;
  /** The agent's proxy, handed to the task as Agent.ProxyUrl, Agent.ProxyUsername, Agent.ProxyPassword, Agent.ProxyBypassList. */
  proxy?: AgentProxy;
  /** Folders of this run. */
  workingDirectory: string;
  agentTempDirectory: string;
  agentWorkFolder: string;
  /** The job's VSTS_PROCESS_LOOKUP_ID (src/Agent.Worker/JobExtension.cs: `vsts_<guid>`). */
  processLookupId?: string;
}

/** VarUtil.ConvertToEnvVariableFormat (src/Microsoft.VisualStudio.Services.Agent/Util/VarUtil.cs): only '.' and ' ' become '_'. */
export function environmentName(name: string): string {
  return name.replace(/[. ]/g, '_').toUpperCase();
}

const INHERITED_PREFIXES = ['INPUT_', 'ENDPOINT_', 'SECRET_', 'SYSTEM_', 'BUILD_', 'AGENT_', 'RELEASE_', 'VSTS_', 'TASK_', 'SECUREFILE_'];
const DROPPED = new Set(['NODE_OPTIONS', 'TF_BUILD', 'COMMAND_CORRELATION_ID']);

/** The harness's own environment, minus anything that would look like job data to the task. */
function inheritedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || DROPPED.has(key) || INHERITED_PREFIXES.some((prefix) => key.startsWith(prefix))) continue;
    env[key] = value;
  }
  return env;
}

/** A fresh VSTS_PROCESS_LOOKUP_ID, as JobExtension.cs makes one per job. */
export function newProcessLookupId(): string {
  return `vsts_${randomUUID()}`;
}

/** Job facts with sane defaults, as pipeline variables (a spec's variables override them). */
export function defaultVariables(spec: Pick<StepEnvironmentSpec, 'workingDirectory' | 'agentTempDirectory' | 'agentWorkFolder'>): Record<string, string> {
  return {
    'System.CollectionUri': 'https://dev.azure.com/local-organisation/',
    'System.TeamFoundationCollectionUri': 'https://dev.azure.com/local-organisation/',
    'System.TeamProject': 'ai-model-deploy',
    'System.TeamProjectId': '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c',
    'System.HostType': 'build',
    'System.PlanId': randomUUID(),
    'System.JobId': randomUUID(),
    'System.DefinitionId': '1',
    'System.Debug': 'false',
    'System.Culture': 'en-US',
    'System.DefaultWorkingDirectory': spec.workingDirectory,
    'System.ServerType': 'Hosted',
    'Build.BuildId': '1',
    'Build.BuildNumber': '20250101.1',
    'Build.DefinitionName': 'ai-model-deploy-ci',
    'Build.Reason': 'Manual',
    'Build.Repository.Name': 'ai-model-deploy',
    'Build.SourceBranch': 'refs/heads/main',
    'Build.SourceBranchName': 'main',
    'Build.SourceVersion': '0123456789abcdef0123456789abcdef01234567',
    'Build.SourcesDirectory': spec.workingDirectory,
    'Build.ArtifactStagingDirectory': spec.agentTempDirectory,
    'Agent.Version': '4.264.2',
    'Agent.Name': 'local-agent',
    'Agent.OS': 'Linux',
    'Agent.OSArchitecture': 'X64',
    'Agent.JobName': 'Job',
    'Agent.JobStatus': 'Succeeded',
    'Agent.TempDirectory': spec.agentTempDirectory,
    'Agent.WorkFolder': spec.agentWorkFolder,
    'Agent.BuildDirectory': spec.agentWorkFolder,
    'Agent.ToolsDirectory': spec.agentWorkFolder,
  };
}

/** Splits the harness's `env` into job facts (variables it names) and the machine's environment. */
function splitJobFacts(env: Record<string, string>, variableNames: readonly string[]): { facts: Record<string, string>; machine: Record<string, string>; accessToken?: string } {
  const byEnvironmentName = new Map(variableNames.map((name) => [environmentName(name), name]));
  const facts: Record<string, string> = {};
  const machine: Record<string, string> = {};
  let accessToken: string | undefined;
  for (const [key, value] of Object.entries(env)) {
    const variable = byEnvironmentName.get(key.toUpperCase());
    if (key.toUpperCase() === 'SYSTEM_ACCESSTOKEN') accessToken = value;
    else if (variable !== undefined) facts[variable] = value;
    else machine[key] = value;
  }
  return { facts, machine, ...(accessToken === undefined ? {} : { accessToken }) };
}

/**
 * The job's variables as the task sees them: the defaults, the job facts from the harness's env, the
 * job's VSTS_PROCESS_LOOKUP_ID, the agent's proxy, then the spec's own variables.
 */
export function jobVariables(spec: Omit<StepEnvironmentSpec, 'inputs'>): Record<string, string> {
  const defaults = defaultVariables(spec);
  const { facts } = splitJobFacts(spec.env ?? {}, Object.keys(defaults));
  return {
    ...defaults,
    ...facts,
    ...(spec.processLookupId === undefined ? {} : { VSTS_PROCESS_LOOKUP_ID: spec.processLookupId }),
    ...proxyVariables(spec.proxy),
    ...spec.variables,
  };
}

/**
 * The environment the agent gives the task's node process, and the masker of its log, built in the order
 * of src/Agent.Worker/Handlers/NodeHandler.cs `RunAsync` over Handler.cs: the agent's own environment, the
 * step's `env:` (TaskRunner.cs), then `AddVariablesToEnvironment` (public variables, VSTS_PUBLIC_VARIABLES,
 * SECRET_<name>, VSTS_SECRET_VARIABLES), `AddInputsToEnvironment`, `AddEndpointsToEnvironment` (the job's
 * SystemVssConnection always among them), each overriding what came before.
 */
export function agentEnvironment(spec: StepEnvironmentSpec): { env: Record<string, string>; masker: SecretMasker } {
  const masker = new SecretMasker();
  const { machine, accessToken: givenToken } = splitJobFacts(spec.env ?? {}, Object.keys(defaultVariables(spec)));
  const env: Record<string, string> = { ...inheritedEnvironment(), ...machine, ...spec.stepEnv };
  const variables = jobVariables(spec);
  // The job's OAuth token: System.AccessToken is a secret variable of every job (masked as one).
  const accessToken = spec.secretVariables?.['System.AccessToken'] ?? givenToken ?? randomBytes(24).toString('base64url');
  const secretVariables: Record<string, string> = {
    ...(spec.proxy?.password === undefined ? {} : { 'Agent.ProxyPassword': spec.proxy.password }),
    ...spec.secretVariables,
    'System.AccessToken': accessToken,
  };
  for (const [name, value] of Object.entries(variables)) env[environmentName(name)] = value;
  env.TF_BUILD = 'True';
  env.VSTS_PUBLIC_VARIABLES = JSON.stringify(Object.keys(variables));
  for (const [name, value] of Object.entries(secretVariables)) {
    env[`SECRET_${environmentName(name)}`] = value;
    masker.addSecretVariable(value);
  }
  env.VSTS_SECRET_VARIABLES = JSON.stringify(Object.keys(secretVariables));
  for (const [name, value] of Object.entries(spec.inputs)) env[`INPUT_${environmentName(name)}`] = value;
  const systemVssConnection: ServiceConnection = {
    id: 'SYSTEMVSSCONNECTION',
    name: 'SystemVssConnection',
    url: variables['System.CollectionUri'] ?? '',
    scheme: 'OAuth',
    authParameters: { AccessToken: accessToken },
    data: {},
  };
  for (const connection of [...(spec.connections ?? []), systemVssConnection]) {
    Object.assign(env, toAgentEnvironment(connection));
    for (const [key, value] of Object.entries(connection.authParameters)) {
      if (isEndpointAuthorizationParameterSecret(key)) masker.add(value);
    }
  }
  return { env, masker };
}

/** ExecutionContext.cs `InitializeJob`: the agent's proxy as Agent.Proxy* variables (the password is a secret variable). */
function proxyVariables(proxy: AgentProxy | undefined): Record<string, string> {
  if (proxy === undefined) return {};
  return {
    'Agent.ProxyUrl': proxy.url,
    ...(proxy.username === undefined ? {} : { 'Agent.ProxyUsername': proxy.username }),
    ...(proxy.bypassList === undefined || proxy.bypassList.length === 0 ? {} : { 'Agent.ProxyBypassList': JSON.stringify(proxy.bypassList) }),
  };
}

/**
 * src/Microsoft.VisualStudio.Services.Agent/Util/MaskingUtil.cs `IsEndpointAuthorizationParametersSecret`:
 * every endpoint authorization parameter is masked except these (serviceprincipalid and username are masked).
 */
const NOT_SECRET_AUTHORIZATION_PARAMETERS = new Set(
  [
    'role',
    'scope',
    'tenantid',
    'issuedAt',
    'expiresAt',
    'audience',
    'authenticationType',
    'AuthorizationType',
    'accessTokenType',
    'accessTokenFetchingMethod',
    'useWindowsSecurity',
    'unsecured',
    'oAuthAccessTokenIsSupplied',
    'completeCallbackPayload',
    'acceptUntrustedCertificates',
  ].map((key) => key.toLowerCase()),
);

export function isEndpointAuthorizationParameterSecret(key: string): boolean {
  return !NOT_SECRET_AUTHORIZATION_PARAMETERS.has(key.toLowerCase());
}
