import type { TokenCredential } from '@azure/core-auth';
import { TaskError } from '../errors';
import type { RegistryLogin } from '../docker/docker-config';
import { type AzureRmConnection, armScope } from './arm-connection';
import { ACR_REFRESH_TOKEN_USER, AcrSignInRefusedError, type AcrExchangeDeps, exchangeForAcrRefreshToken, jwtExpiresAt } from './acr-refresh-token';
import type { RegistryInfo } from './container-registries';

/**
 * `service principal of service connection 'abc'`: who signs in, for messages. A service principal's
 * client id is an endpoint authorization parameter, which the agent masks in every log (azure-pipelines-agent,
 * MaskingUtil.cs): naming it would only show '***'. A managed identity's client id is endpoint data, shown.
 */
export function describeIdentity(connection: Pick<AzureRmConnection, 'id' | 'scheme' | 'clientId' | 'msiClientId'>): string {
  const who =
    connection.scheme === 'ManagedServiceIdentity'
      ? `managed identity ${connection.msiClientId ? `(client id ${connection.msiClientId})` : '(system-assigned)'}`
      : 'service principal';
  return `${who} of service connection '${connection.id}'`;
}

/** What to do when the registry says no: the assignee is the identity's client id (a service principal's is masked by the agent, so it is described). */
export function acrPushRoleHint(registry: Pick<RegistryInfo, 'name' | 'id'>, connection: Pick<AzureRmConnection, 'clientId' | 'msiClientId'>): string {
  const assignee = connection.msiClientId ?? "<the service principal's application (client) id, on the service connection's page>";
  return `Give it the AcrPush role on container registry '${registry.name}' (az role assignment create --role AcrPush --assignee ${assignee} --scope ${registry.id}).`;
}

export interface AcrSignInDeps extends AcrExchangeDeps {
  setSecret(value: string): void;
}

/**
 * A Docker login for an Azure container registry with the connection's Entra ID identity: an access
 * token fetched right now (a fresh OIDC assertion with workload identity federation), exchanged for an
 * ACR refresh token, used with user 00000000-0000-0000-0000-000000000000. Both tokens are masked at once.
 */
export async function acrDockerLogin(
  connection: AzureRmConnection,
  credential: TokenCredential,
  registry: RegistryInfo,
  deps: AcrSignInDeps,
): Promise<RegistryLogin> {
  const accessToken = await credential.getToken(armScope(connection));
  if (!accessToken?.token) throw new TaskError(`No Azure access token was returned for ${describeIdentity(connection)}.`);
  deps.setSecret(accessToken.token);
  let refreshToken: string;
  try {
    refreshToken = await exchangeForAcrRefreshToken(
      { loginServer: registry.loginServer, aadAccessToken: accessToken.token, ...(connection.tenantId ? { tenantId: connection.tenantId } : {}) },
      deps,
    );
  } catch (error) {
    if (error instanceof AcrSignInRefusedError) {
      throw new TaskError(
        `Container registry '${registry.name}' (${registry.loginServer}) refused the sign-in of ${describeIdentity(connection)}: ${error.reason}. ${acrPushRoleHint(registry, connection)}`,
        { cause: error },
      );
    }
    throw error;
  }
  deps.setSecret(refreshToken);
  const expiresAt = jwtExpiresAt(refreshToken);
  return { server: registry.loginServer, username: ACR_REFRESH_TOKEN_USER, password: refreshToken, ...(expiresAt !== undefined ? { expiresAt } : {}) };
}
