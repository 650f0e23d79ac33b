import { type AgentProxy, devOpsProxyOptions } from '../agent-proxy';
import type { Clock } from '../deadline';
import { TaskError, messageOf } from '../errors';
import { isTransientNetworkCode, isTransientStatus, retry } from '../retry';
import type { TaskLog } from '../task-runtime';
import type { JobContext } from './job-context';

type TaskApi = Awaited<ReturnType<import('azure-devops-node-api').WebApi['getTaskApi']>>;

/** Gives a fresh OIDC token (the client assertion of workload identity federation) for a connection. */
export interface OidcTokenSource {
  idToken(connectionId: string): Promise<string>;
}

export interface OidcTokenSourceDeps {
  log: TaskLog;
  setSecret(value: string): void;
  clock?: Clock;
  /** The agent's proxy (azure-devops-node-api applies its bypass list). */
  proxy?: AgentProxy;
}

const MISSING_FACT_HINTS: Record<string, string> = {
  accessToken:
    "the job's OAuth token (System.AccessToken) is not available. In a classic pipeline enable 'Allow scripts to access the OAuth token' on the agent job; in YAML the agent gives it to tasks unless the job's token is turned off",
  collectionUri: 'System.CollectionUri is not set',
  teamProjectId: 'System.TeamProjectId is not set',
  hostType: 'System.HostType is not set',
  planId: 'System.PlanId is not set',
  jobId: 'System.JobId is not set',
};

/**
 * Asks Azure DevOps for an OIDC token with azure-devops-node-api (loaded on first use), once per call:
 * the token lives about 10 minutes, so it is never cached across a long push or deployment. The
 * client (and the route it looked up) is kept for the task.
 */
export function createOidcTokenSource(job: JobContext, deps: OidcTokenSourceDeps): OidcTokenSource {
  // One client for the task: it looks up the route of the oidctoken resource (an OPTIONS request) once.
  let client: Promise<TaskApi> | undefined;
  const taskApi = (facts: JobFacts): Promise<TaskApi> =>
    (client ??= import('azure-devops-node-api').then((api) => new api.WebApi(facts.collectionUri, api.getBearerHandler(facts.accessToken), proxyOption(deps.proxy)).getTaskApi()).catch((error: unknown) => {
      client = undefined;
      throw error;
    }));
  return {
    async idToken(connectionId) {
      const facts = requireFacts(job, connectionId);
      const token = await retry(
        async () => {
          const response = await (await taskApi(facts)).createOidcToken({}, facts.teamProjectId, facts.hostType, facts.planId, facts.jobId, connectionId);
          return response.oidcToken;
        },
        {
          policy: { maxAttempts: 4, initialDelayInMs: 1000, timeoutInMs: 60_000 },
          ...(deps.clock ? { clock: deps.clock } : {}),
          classify: (error) => ({ retry: isTransient(error) }),
          onRetry: ({ attempt, delayInMs, message }) => deps.log.debug(`OIDC token request failed (attempt ${attempt}: ${message}); retrying in ${delayInMs} ms.`),
        },
      ).catch((error: unknown) => {
        throw new TaskError(
          `Azure DevOps did not issue an OIDC token for service connection '${connectionId}': ${messageOf(error)}. ` +
            `Check that the pipeline is authorised to use the connection and that the job's access token has not been restricted.`,
          { cause: error },
        );
      });
      if (token === undefined || token === '') {
        throw new TaskError(`Azure DevOps answered the OIDC token request for service connection '${connectionId}' without a token.`);
      }
      deps.setSecret(token);
      deps.log.debug(`Got an OIDC token for service connection '${connectionId}'.`);
      return token;
    },
  };
}

type JobFacts = Required<JobContext>;

function requireFacts(job: JobContext, connectionId: string): JobFacts {
  const missing = (Object.keys(MISSING_FACT_HINTS) as (keyof JobContext)[]).filter((key) => job[key] === undefined);
  if (missing.length > 0) {
    const reasons = missing.map((key) => MISSING_FACT_HINTS[key]).join('; ');
    throw new TaskError(`Service connection '${connectionId}' uses workload identity federation, but ${reasons}.`);
  }
  return job as JobFacts;
}

function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number') return isTransientStatus(status);
  return isTransientNetworkCode((error as { code?: unknown }).code);
}

function proxyOption(proxy: AgentProxy | undefined): { proxy: NonNullable<ReturnType<typeof devOpsProxyOptions>> } | undefined {
  const options = devOpsProxyOptions(proxy);
  return options === undefined ? undefined : { proxy: options };
}
