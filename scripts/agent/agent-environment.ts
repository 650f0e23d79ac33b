import { randomUUID } from 'node:crypto';
import { type ServiceConnection, secretsOf, toAgentEnvironment } from '../../emulator/service-connection';

/** What a job gives a step: the parts the agent turns into the task's environment. */
export interface StepEnvironmentSpec {
  inputs: Record<string, string>;
  connections?: ServiceConnection[];
  /** Pipeline variables by name, e.g. { 'system.debug': 'true', 'Build.BuildId': '42' }. */
  variables?: Record<string, string>;
  secretVariables?: Record<string, string>;
  /** Extra raw environment variables (applied last). */
  env?: Record<string, string>;
  /** Folders of this run. */
  workingDirectory: string;
  agentTempDirectory: string;
  agentWorkFolder: string;
}

/** The agent's mapping of a variable or input name to an environment variable name. */
export function environmentName(name: string): string {
  return name.replace(/[.\s]/g, '_').toUpperCase();
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
    'Agent.TempDirectory': spec.agentTempDirectory,
    'Agent.WorkFolder': spec.agentWorkFolder,
    'Agent.BuildDirectory': spec.agentWorkFolder,
    'Agent.ToolsDirectory': spec.agentWorkFolder,
  };
}

/** The environment the agent gives the task's node process, and the secrets it masks in the log. */
export function agentEnvironment(spec: StepEnvironmentSpec): { env: Record<string, string>; secrets: string[] } {
  const env = inheritedEnvironment();
  const secrets: string[] = [];
  const variables = { ...defaultVariables(spec), ...spec.variables };
  for (const [name, value] of Object.entries(variables)) env[environmentName(name)] = value;
  env.TF_BUILD = 'True';
  env.VSTS_PUBLIC_VARIABLES = JSON.stringify(Object.keys(variables));
  const secretVariables = spec.secretVariables ?? {};
  for (const [name, value] of Object.entries(secretVariables)) {
    env[`SECRET_${environmentName(name)}`] = value;
    secrets.push(value);
  }
  env.VSTS_SECRET_VARIABLES = JSON.stringify(Object.keys(secretVariables));
  for (const [name, value] of Object.entries(spec.inputs)) env[`INPUT_${environmentName(name)}`] = value;
  for (const connection of spec.connections ?? []) {
    Object.assign(env, toAgentEnvironment(connection));
    secrets.push(...secretsOf(connection));
  }
  Object.assign(env, spec.env);
  // The agent gives every task the job's own connection to Azure DevOps (OAuth, the job access token).
  const accessToken = env.SYSTEM_ACCESSTOKEN ?? secretVariables['System.AccessToken'];
  if (accessToken !== undefined && accessToken !== '') {
    const collectionUri = env.SYSTEM_COLLECTIONURI ?? '';
    Object.assign(
      env,
      toAgentEnvironment({
        id: 'SYSTEMVSSCONNECTION',
        name: 'SystemVssConnection',
        url: collectionUri,
        scheme: 'OAuth',
        authParameters: { AccessToken: accessToken },
        data: {},
      }),
    );
    secrets.push(accessToken);
  }
  return { env, secrets };
}
