import { readAzureRmConnection } from '../../common/azure/arm-connection';
import { createOidcTokenSource, createTokenCredential, readJobContext } from '../../common/azure/credential';
import { TaskError } from '../../common/errors';
import type { TaskRuntime } from '../../common/task-runtime';
import type { EntraTokenSource } from './auth';
import { INPUT } from './inputs';

/**
 * Entra ID tokens through the common credential code, which loads @azure/identity and
 * azure-devops-node-api on first use, never at start-up. Each token is masked the moment it exists.
 */
export function createEntraTokenSource(runtime: TaskRuntime): EntraTokenSource {
  return async (connectionId, scope, budgetInMs) => {
    const connection = readAzureRmConnection(runtime, connectionId, INPUT.azureSubscription);
    const oidc =
      connection.scheme === 'WorkloadIdentityFederation' && connection.idToken === undefined
        ? createOidcTokenSource(readJobContext(runtime), { log: runtime, setSecret: (value) => runtime.setSecret(value) })
        : undefined;
    const credential = await createTokenCredential(connection, {
      log: runtime,
      ...(oidc === undefined ? {} : { oidc }),
      // The token wait counts against the task's deadline, and a Retry-After beyond it is said as such.
      ...(budgetInMs === undefined ? {} : { tokenBudgetInMs: budgetInMs, tokenDeadlineName: `'${INPUT.readinessTimeoutInSeconds}'` }),
    });
    const token = await credential.getToken(scope);
    if (token === null) throw new TaskError(`Service connection '${connectionId}' gave no Entra ID token for scope ${scope}.`);
    runtime.setSecret(token.token);
    return { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp };
  };
}
