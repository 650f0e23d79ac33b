/**
 * The one way every task signs in to Azure: the service connection (read with its secrets masked), the
 * OIDC token source of workload identity federation, and one credential for the whole task. The
 * credential keeps one Entra ID token per scope until it nears expiry (token-cache.ts), so every client
 * of a task (Resource Manager, registry sign-in, manifest reads, the cluster) shares its tokens.
 */
import type { TokenCredential } from '@azure/identity';
import type { AgentProxy } from '../agent-proxy';
import type { Clock } from '../deadline';
import type { TaskLog } from '../task-runtime';
import type { AzureRmConnection } from './arm-connection';
import type { ConnectionSource } from './connection-source';
import { createTokenCredential } from './credential';
import { type JobContextSource, readJobContext } from './job-context';
import { createOidcTokenSource } from './oidc-token';

/** What a session needs from the task runtime (TaskRuntime fits). */
export interface AzureSessionHost extends TaskLog, ConnectionSource, JobContextSource {
  /** The agent's proxy: Entra ID, managed identity and Azure DevOps requests go through it. */
  proxy?: AgentProxy;
}

export interface AzureSessionOptions {
  /** The task's clock (its sleeps end when the step is cancelled): waits between token request retries. */
  clock?: Clock;
  /** The deadline a token wait counts against, for messages (e.g. "'readinessTimeoutInSeconds'"). */
  tokenDeadlineName?: string;
}

export interface AzureSession {
  readonly connection: AzureRmConnection;
  /** The task's one credential: hand it to every client. */
  readonly credential: TokenCredential;
}

/** A session for a connection already read (readAzureRmConnection). Loads @azure/identity; sends no request. */
export async function createAzureSession(connection: AzureRmConnection, host: AzureSessionHost, options: AzureSessionOptions = {}): Promise<AzureSession> {
  const viaProxy = host.proxy ? { proxy: host.proxy } : {};
  const withClock = options.clock ? { clock: options.clock } : {};
  // Workload identity federation without an idToken in the connection asks Azure DevOps for a fresh assertion per sign-in.
  const oidc =
    connection.scheme === 'WorkloadIdentityFederation' && connection.idToken === undefined
      ? createOidcTokenSource(readJobContext(host), { log: host, setSecret: (value) => host.setSecret(value), ...withClock, ...viaProxy })
      : undefined;
  const credential = await createTokenCredential(connection, {
    log: host,
    ...(oidc ? { oidc } : {}),
    ...withClock,
    ...(options.tokenDeadlineName !== undefined ? { tokenDeadlineName: options.tokenDeadlineName } : {}),
    ...viaProxy,
  });
  return { connection, credential };
}
