import { type AgentProxy, type FetchLike, proxiedFetch } from '../agent-proxy';
import type { Clock } from '../deadline';
import { TaskError, messageOf, truncate } from '../errors';
import { parseRetryAfterInMs } from '../retry';
import { classifyFailure, explainFailure } from '../service-failure';
import { retryTransient } from '../transient-retry';
import type { TaskLog } from '../task-runtime';
import type { JobContext } from './job-context';

const REQUEST_TIMEOUT_IN_MS = 30_000;

/** Gives a fresh OIDC token (the client assertion of workload identity federation) for a connection. */
export interface OidcTokenSource {
  idToken(connectionId: string): Promise<string>;
}

export interface OidcTokenSourceDeps {
  log: TaskLog;
  setSecret(value: string): void;
  clock?: Clock;
  /** The agent's proxy (its bypass list applies). */
  proxy?: AgentProxy;
  /** Sends the request (default: fetch through the agent's proxy). */
  fetch?: FetchLike;
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

/** The version of the oidctoken resource (a preview resource: the `-preview` suffix is required). */
export const OIDC_TOKEN_API_VERSION = '7.1-preview.1';

/**
 * The job's oidctoken route, as Microsoft's own tasks call it:
 * `{collection}{project}/_apis/distributedtask/hubs/{hub}/plans/{plan}/jobs/{job}/oidctoken?serviceConnectionId=...&api-version=7.1-preview.1`.
 * Called directly, it needs no resource-location lookup first (azure-devops-node-api's OPTIONS request).
 */
export function oidcTokenUrl(facts: Omit<JobFacts, 'accessToken'>, connectionId: string): string {
  const collection = facts.collectionUri.endsWith('/') ? facts.collectionUri : `${facts.collectionUri}/`;
  const segment = encodeURIComponent;
  const query = new URLSearchParams({ serviceConnectionId: connectionId, 'api-version': OIDC_TOKEN_API_VERSION });
  return `${collection}${segment(facts.teamProjectId)}/_apis/distributedtask/hubs/${segment(facts.hostType)}/plans/${segment(facts.planId)}/jobs/${segment(facts.jobId)}/oidctoken?${query.toString()}`;
}

/** An answer of the oidctoken route that is not a token, with its status and Retry-After for the retry rule. */
class OidcAnswerError extends Error {
  constructor(readonly statusCode: number, detail: string, readonly retryAfterInMs?: number) {
    super(`HTTP ${statusCode}${detail ? `: ${detail}` : ''}`);
  }
}

/**
 * Asks Azure DevOps for an OIDC token, once per call (one POST to the job's oidctoken route): the
 * token lives about 10 minutes, so it is never cached across a long push or deployment.
 */
export function createOidcTokenSource(job: JobContext, deps: OidcTokenSourceDeps): OidcTokenSource {
  const fetchVia = deps.fetch ?? proxiedFetch(deps.proxy);
  return {
    async idToken(connectionId) {
      const facts = requireFacts(job, connectionId);
      const url = oidcTokenUrl(facts, connectionId);
      const action = `Getting an OIDC token for service connection '${connectionId}'`;
      const token = await retryTransient(() => requestOidcToken(fetchVia, url, facts.accessToken), {
        policy: { maxAttempts: 4, initialDelayInMs: 1000, timeoutInMs: 60_000 },
        ...(deps.clock ? { clock: deps.clock } : {}),
        action,
        onRetry: (line) => deps.log.debug(line),
      }).catch((error: unknown) => {
        // An outage (429, 5xx, a closed connection) is said as one (service-failure.ts); only a refusal gets the authorisation advice.
        if (classifyFailure(error).kind === 'transient') {
          throw new TaskError(explainFailure(error, { action, service: 'Azure DevOps', route: `POST ${url.split('?')[0] ?? url}` }), { cause: error });
        }
        const cause = (error as { cause?: unknown }).cause;
        const said = cause instanceof Error && messageOf(error) === 'fetch failed' ? `${messageOf(error)} (${messageOf(cause)})` : messageOf(error);
        throw new TaskError(
          `Azure DevOps did not issue an OIDC token for service connection '${connectionId}': ${said}. ` +
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

async function requestOidcToken(fetchVia: FetchLike, url: string, accessToken: string): Promise<string | undefined> {
  const response = await fetchVia(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: '{}',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_IN_MS),
  });
  const text = await response.text();
  let body: { oidcToken?: unknown; message?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    throw new OidcAnswerError(response.status, typeof body?.message === 'string' ? body.message : truncate(text.trim(), 200), parseRetryAfterInMs(response.headers.get('retry-after') ?? undefined, Date.now()));
  }
  return typeof body?.oidcToken === 'string' ? body.oidcToken : undefined;
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
