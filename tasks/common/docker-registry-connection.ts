import { type ConnectionSource, findConnection } from './azure/connection-source';
import { TaskError } from './errors';

/**
 * Credentials from a Docker registry service connection: 'Others' and 'Docker Hub' (scheme
 * UsernamePassword), or 'Azure Container Registry' made with a service principal (scheme
 * ServicePrincipal: its application id and secret sign in to the registry, as Docker@2 does).
 */
export interface DockerRegistryCredentials {
  /** The login server, host[:port] (no scheme, no path): e.g. myregistry.azurecr.io or 127.0.0.1:5443. */
  readonly registry: string;
  readonly username: string;
  readonly password: string;
}

/** Reads a Docker registry service connection; the password is masked the moment it is read. */
export function readDockerRegistryConnection(source: ConnectionSource, connectionId: string, inputName: string): DockerRegistryCredentials {
  const { where, url, scheme, auth, secretAuth } = findConnection(source, connectionId, inputName, 'a Docker registry');
  const keys = SCHEME_KEYS[(scheme ?? '').toLowerCase()];
  if (keys === undefined) {
    throw new TaskError(
      `${where} uses the authentication scheme '${scheme ?? ''}', which cannot sign in to a registry with a password. ` +
        "Use a Docker registry connection of type 'Others' or 'Docker Hub', or 'Azure Container Registry' with a service principal; " +
        "for an Azure Container Registry with workload identity federation, set 'connectionType' to 'azureRM' and use an Azure Resource Manager connection.",
    );
  }
  const password = secretAuth(keys.password);
  if (password === undefined) throw new TaskError(`${where} has no ${keys.label.password}. Edit the service connection and set it.`);
  const username = auth(keys.username);
  if (username === undefined) throw new TaskError(`${where} has no ${keys.label.username}. Edit the service connection and set it.`);
  const registryValue = auth(keys.registry) ?? url;
  return { registry: registryHost(registryValue, where), username, password };
}

/** Where each scheme keeps the sign-in (auth parameter names as Azure DevOps spells them). */
const SCHEME_KEYS: Record<string, { username: string; password: string; registry: string; label: { username: string; password: string } } | undefined> = {
  usernamepassword: { username: 'username', password: 'password', registry: 'registry', label: { username: 'username', password: 'password' } },
  serviceprincipal: {
    username: 'serviceprincipalid',
    password: 'serviceprincipalkey',
    registry: 'loginServer',
    label: { username: 'service principal (application) id', password: 'service principal key' },
  },
};

/** `https://myregistry.azurecr.io/v2/` -> `myregistry.azurecr.io`; `127.0.0.1:5443` stays as is. */
export function registryHost(value: string, where = 'The registry'): string {
  const trimmed = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TaskError(`${where}: the registry URL '${value}' is not valid; use e.g. https://myregistry.azurecr.io.`);
  }
  if (url.hostname === '' || url.username !== '' || url.password !== '') {
    throw new TaskError(`${where}: the registry URL '${value}' is not valid; use e.g. https://myregistry.azurecr.io.`);
  }
  // Docker Hub's index URL names the docker.io registry.
  if (/^(index\.)?docker\.io$/i.test(url.hostname)) return 'docker.io';
  return url.host.toLowerCase();
}
