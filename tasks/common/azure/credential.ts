import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { type AgentProxy, azureProxyOptions } from '../agent-proxy';
import type { Clock } from '../deadline';
import { TaskError } from '../errors';
import { boundedCredential, recordingHttpClient } from './token-requests';
import type { TaskLog } from '../task-runtime';
import { type AzureRmConnection, describeScheme } from './arm-connection';
import type { OidcTokenSource } from './oidc-token';
import { cachingCredential } from './token-cache';

export { armScope } from './arm-connection';

export interface CredentialDeps {
  log: TaskLog;
  /** Needed for workload identity federation when the connection carries no `idToken`. */
  oidc?: OidcTokenSource;
  /** The HTTP client @azure/identity uses (tests pass a fake; tasks leave it unset). */
  httpClient?: HttpClient;
  /** How long failing token requests are retried (default 2 minutes; SmokeTestModel passes what is left of its deadline). */
  tokenBudgetInMs?: number;
  /** The deadline the budget comes from, for messages ("'readinessTimeoutInSeconds'"). */
  tokenDeadlineName?: string;
  clock?: Clock;
  /** The agent's proxy: Entra ID and managed identity requests go through it unless its bypass list matches. */
  proxy?: AgentProxy;
}

/**
 * A TokenCredential for the connection. @azure/identity is loaded here, on first use, never at start-up.
 * Instance discovery is off and the authority is the connection's own, so any cloud works.
 * Token failures become TaskErrors that name the connection and say what to check. Tokens are kept
 * until near expiry (token-cache.ts). Tasks get theirs from createAzureSession (session.ts), one per task.
 */
export async function createTokenCredential(connection: AzureRmConnection, deps: CredentialDeps): Promise<TokenCredential> {
  const [identity, { createDefaultHttpClient }] = await Promise.all([import('@azure/identity'), import('@azure/core-rest-pipeline')]);
  // The task retries token requests itself (token-requests.ts): bounded, Retry-After within the deadline, explained once.
  const recorder = recordingHttpClient(deps.httpClient ?? createDefaultHttpClient());
  const httpOptions = { httpClient: recorder.httpClient, retryOptions: { maxRetries: 0 } };
  const authorityProxy = azureProxyOptions(deps.proxy, connection.authorityHost);
  const options = { authorityHost: connection.authorityHost, disableInstanceDiscovery: true, ...httpOptions, ...(authorityProxy ? { proxyOptions: authorityProxy } : {}) };
  // The managed identity endpoint: App Service / Arc style IDENTITY_ENDPOINT, else the instance metadata service.
  const identityProxy = azureProxyOptions(deps.proxy, process.env.IDENTITY_ENDPOINT ?? 'http://169.254.169.254/metadata/identity/oauth2/token');
  const clientId = (): string => {
    if (connection.clientId === undefined) throw new TaskError(`Service connection '${connection.id}' names no service principal (application) id.`);
    return connection.clientId;
  };
  deps.log.debug(
    `Authenticating with service connection '${connection.id}' (${describeScheme(connection.scheme)}) at ${connection.authorityHost}` +
      (connection.tenantId ? ` for tenant ${connection.tenantId}` : ''),
  );
  // The OIDC token request's own failure (an outage of Azure DevOps, said as one) outlives MSAL's wrapping of it.
  let assertionFailure: TaskError | undefined;
  const fetchAssertion = connection.scheme === 'WorkloadIdentityFederation' ? clientAssertion(connection, deps.oidc) : undefined;
  const assertion = (): Promise<string> => {
    assertionFailure = undefined;
    return (fetchAssertion ?? (() => Promise.reject(new TaskError('no client assertion (internal error)'))))().catch((error: unknown) => {
      if (error instanceof TaskError) assertionFailure = error;
      throw error;
    });
  };
  // A fresh one after a transient failure (MSAL refuses a throttled client application's requests for a while).
  const createInner = (): TokenCredential => {
    switch (connection.scheme) {
      case 'ServicePrincipalKey':
        return new identity.ClientSecretCredential(connection.tenantId, clientId(), required(connection.secret, connection, 'secret'), options);
      case 'ServicePrincipalCertificate':
        return new identity.ClientCertificateCredential(connection.tenantId, clientId(), { certificate: required(connection.certificatePem, connection, 'certificate') }, options);
      case 'WorkloadIdentityFederation':
        return onePerSignIn(assertion, (getAssertion) => new identity.ClientAssertionCredential(connection.tenantId, clientId(), getAssertion, options));
      case 'ManagedServiceIdentity':
        return new identity.ManagedIdentityCredential({
          ...(connection.msiClientId !== undefined ? { clientId: connection.msiClientId } : {}),
          ...httpOptions,
          ...(identityProxy ? { proxyOptions: identityProxy } : {}),
        });
    }
  };
  return cachingCredential(boundedCredential(createInner, {
    recorder,
    action: `Getting an Azure access token with service connection '${connection.id}' (${describeScheme(connection.scheme)})`,
    service: connection.scheme === 'ManagedServiceIdentity' ? 'the managed identity endpoint' : 'Entra ID',
    route: tokenRoute(connection, process.env.IDENTITY_ENDPOINT),
    refusedAdvice: () => HINTS[connection.scheme],
    callbackFailure: () => assertionFailure,
    ...(deps.tokenBudgetInMs !== undefined ? { budgetInMs: deps.tokenBudgetInMs } : {}),
    ...(deps.tokenDeadlineName !== undefined ? { deadlineName: deps.tokenDeadlineName } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
  }));
}

/** The client assertion: the connection's idToken when it has one, else a fresh OIDC token per request. */
function clientAssertion(connection: AzureRmConnection, oidc: OidcTokenSource | undefined): () => Promise<string> {
  const idToken = connection.idToken;
  if (idToken !== undefined) return () => Promise.resolve(idToken);
  if (oidc === undefined) {
    throw new TaskError(`Service connection '${connection.id}' uses workload identity federation, but no OIDC token source was given (internal error).`);
  }
  return () => oidc.idToken(connection.id);
}

/**
 * MSAL asks for the assertion more than once while it signs in (once to look in its cache, once for the
 * request): each sign-in gets one fresh OIDC token, shared by those asks, and the next sign-in a new one.
 */
function onePerSignIn(fetchAssertion: () => Promise<string>, create: (getAssertion: () => Promise<string>) => TokenCredential): TokenCredential {
  let current: Promise<string> | undefined;
  const credential = create(() => (current ??= fetchAssertion()));
  return {
    getToken(scopes, options) {
      current = undefined;
      return credential.getToken(scopes, options);
    },
  };
}

function required(value: string | undefined, connection: AzureRmConnection, what: string): string {
  if (value === undefined) throw new TaskError(`Service connection '${connection.id}' has no ${what}.`);
  return value;
}

const HINTS: Record<AzureRmConnection['scheme'], string> = {
  ServicePrincipalKey: 'Check that the secret in the service connection has not expired and that the tenant and application ids are right.',
  ServicePrincipalCertificate: 'Check that the certificate in the service connection is registered on the application and has not expired.',
  WorkloadIdentityFederation:
    "Check that the application's federated credential matches the service connection's issuer and subject identifier.",
  ManagedServiceIdentity:
    'A managed identity works only on a self-hosted agent that runs on Azure with that identity assigned (for a user-assigned identity, check its client id).',
};

/** Where the token request of a connection goes, for messages. */
export function tokenRoute(connection: AzureRmConnection, identityEndpoint?: string): string {
  if (connection.scheme === 'ManagedServiceIdentity') return `the managed identity endpoint of this agent (GET ${identityEndpoint ?? 'http://169.254.169.254/metadata/identity/oauth2/token'})`;
  return `POST ${connection.authorityHost}${connection.tenantId}/oauth2/v2.0/token`;
}
