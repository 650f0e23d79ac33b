import type { TokenCredential } from '@azure/identity';
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
/** `deadlineInput`: the input whose deadline a token wait counts against (named when a Retry-After does not fit). */
export function createEntraTokenSource(runtime: TaskRuntime, deadlineInput: string = INPUT.readinessTimeoutInSeconds): EntraTokenSource {
  // One credential per connection for the task: it keeps its tokens until they near expiry.
  const credentials = new Map<string, Promise<TokenCredential>>();
  const credentialOf = (connectionId: string): Promise<TokenCredential> => {
    let credential = credentials.get(connectionId);
    if (credential === undefined) {
      const connection = readAzureRmConnection(runtime, connectionId, INPUT.azureSubscription);
      const viaProxy = runtime.proxy ? { proxy: runtime.proxy } : {};
      const oidc =
        connection.scheme === 'WorkloadIdentityFederation' && connection.idToken === undefined
          ? createOidcTokenSource(readJobContext(runtime), { log: runtime, setSecret: (value) => runtime.setSecret(value), ...viaProxy })
          : undefined;
      credential = createTokenCredential(connection, { log: runtime, ...(oidc === undefined ? {} : { oidc }), tokenDeadlineName: `'${deadlineInput}'`, ...viaProxy });
      credentials.set(connectionId, credential);
    }
    return credential;
  };
  return async (connectionId, scope, budgetInMs) => {
    const credential = await credentialOf(connectionId);
    // The token wait counts against the task's deadline (a Retry-After beyond it is said as such).
    const token = await credential.getToken(scope, budgetInMs === undefined ? {} : { requestOptions: { timeout: budgetInMs } });
    if (token === null) throw new TaskError(`Service connection '${connectionId}' gave no Entra ID token for scope ${scope}.`);
    runtime.setSecret(token.token);
    return { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp };
  };
}
