/**
 * A service connection as Azure DevOps hands it to a task, and the agent's ENDPOINT_* variables for it.
 * The local Azure prints these; the local agent (scripts/agent) turns them into the job's environment.
 */
export interface ServiceConnection {
  /** The connection's id (a GUID): what a `connectedService:*` input holds. */
  id: string;
  name: string;
  /** e.g. https://127.0.0.1:8443/ (Resource Manager), or a Docker registry's URL. */
  url: string;
  /** ENDPOINT_AUTH_SCHEME: ServicePrincipal, WorkloadIdentityFederation, ManagedServiceIdentity, UsernamePassword. */
  scheme: string;
  /** ENDPOINT_AUTH_PARAMETER_<id>_<KEY> (keys as Azure DevOps spells them; the agent upper-cases them). */
  authParameters: Record<string, string>;
  /** ENDPOINT_DATA_<id>_<KEY>. */
  data: Record<string, string>;
}

export function toAgentEnvironment(connection: ServiceConnection): Record<string, string> {
  const id = connection.id;
  const env: Record<string, string> = {
    [`ENDPOINT_URL_${id}`]: connection.url,
    [`ENDPOINT_AUTH_${id}`]: JSON.stringify({ scheme: connection.scheme, parameters: connection.authParameters }),
    [`ENDPOINT_AUTH_SCHEME_${id}`]: connection.scheme,
    // azure-pipelines-agent src/Agent.Worker/Handlers/Handler.cs `AddEndpointsToEnvironment`: the data as JSON too.
    [`ENDPOINT_DATA_${id}`]: JSON.stringify(connection.data),
  };
  for (const [key, value] of Object.entries(connection.authParameters)) {
    env[`ENDPOINT_AUTH_PARAMETER_${id}_${key.toUpperCase()}`] = value;
  }
  for (const [key, value] of Object.entries(connection.data)) {
    env[`ENDPOINT_DATA_${id}_${key.toUpperCase()}`] = value;
  }
  return env;
}

/** The secret values a connection carries (for masking and for tests that scan output for secrets). */
export function secretsOf(connection: ServiceConnection): string[] {
  const secretKeys = ['serviceprincipalkey', 'servicePrincipalCertificate', 'idToken', 'password', 'apitoken'];
  return secretKeys.map((key) => connection.authParameters[key]).filter((v): v is string => typeof v === 'string' && v !== '');
}
