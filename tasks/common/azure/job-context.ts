import type { EndpointSource } from '../task-runtime';

/**
 * The facts of the running job that Azure DevOps' OIDC token endpoint needs (workload identity
 * federation). Read once by index.ts/main wiring; nothing here throws: a value that is missing is
 * reported when a token is actually requested, with a hint to fix it.
 */
export interface JobContext {
  readonly collectionUri?: string;
  readonly teamProjectId?: string;
  /** The hub: 'build' or 'release' (SYSTEM_HOSTTYPE). */
  readonly hostType?: string;
  readonly planId?: string;
  readonly jobId?: string;
  /** The job's OAuth token (secret, masked when read). */
  readonly accessToken?: string;
}

export interface JobContextSource {
  variable(name: string): string | undefined;
  endpoint: EndpointSource;
  setSecret(value: string): void;
}

/**
 * The access token comes from the SystemVssConnection endpoint, which the agent gives every task,
 * else from the System.AccessToken variable (SYSTEM_ACCESSTOKEN, when the job exposes the OAuth token).
 */
export function readJobContext(runtime: JobContextSource): JobContext {
  const accessToken =
    runtime.endpoint.authParameter('SystemVssConnection', 'AccessToken') ?? runtime.variable('System.AccessToken');
  if (accessToken !== undefined) runtime.setSecret(accessToken);
  const facts: [keyof JobContext, string | undefined][] = [
    ['collectionUri', runtime.variable('System.CollectionUri') ?? runtime.variable('System.TeamFoundationCollectionUri')],
    ['teamProjectId', runtime.variable('System.TeamProjectId')],
    ['hostType', runtime.variable('System.HostType')],
    ['planId', runtime.variable('System.PlanId')],
    ['jobId', runtime.variable('System.JobId')],
    ['accessToken', accessToken],
  ];
  const context: { -readonly [K in keyof JobContext]: string } = {};
  for (const [key, value] of facts) if (value !== undefined) context[key] = value;
  return context;
}
