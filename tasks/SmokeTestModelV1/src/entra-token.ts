import { readAzureRmConnection } from '../../common/azure/arm-connection';
import { type AzureSession, type AzureSessionHost, createAzureSession } from '../../common/azure/session';
import type { Clock } from '../../common/deadline';
import { TaskError } from '../../common/errors';
import type { EntraTokenSource } from './auth';
import { INPUT } from './input-names';

/**
 * Entra ID tokens through the common Azure session, which loads @azure/identity and azure-devops-node-api
 * on first use, never at start-up. Each token is masked the moment it exists.
 */
/** `deadlineInput`: the input whose deadline a token wait counts against (named when a Retry-After does not fit). */
export function createEntraTokenSource(host: AzureSessionHost, clock?: Clock, deadlineInput: string = INPUT.readinessTimeoutInSeconds): EntraTokenSource {
  // One session per connection for the task: its credential keeps its tokens until they near expiry.
  const sessions = new Map<string, Promise<AzureSession>>();
  const sessionOf = (connectionId: string): Promise<AzureSession> => {
    let session = sessions.get(connectionId);
    if (session === undefined) {
      const connection = readAzureRmConnection(host, connectionId, INPUT.azureSubscription);
      session = createAzureSession(connection, host, { tokenDeadlineName: `'${deadlineInput}'`, ...(clock ? { clock } : {}) });
      sessions.set(connectionId, session);
    }
    return session;
  };
  return async (connectionId, scope, budgetInMs) => {
    const { credential } = await sessionOf(connectionId);
    // The token wait counts against the task's deadline (a Retry-After beyond it is said as such).
    const token = await credential.getToken(scope, budgetInMs === undefined ? {} : { requestOptions: { timeout: budgetInMs } });
    if (token === null) throw new TaskError(`Service connection '${connectionId}' gave no Entra ID token for scope ${scope}.`);
    host.setSecret(token.token);
    return { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp };
  };
}
