/**
 * The kubeconfig AKS hands out (listClusterUserCredential / listClusterAdminCredential), reduced to
 * what the task's own client needs: the API server, its CA, and how to authenticate (pure). An Entra ID
 * cluster's user kubeconfig names kubelogin (exec plugin) or the legacy `azure` auth provider: the task
 * does not run either, it only reads the server application id from it and gets the token itself.
 */
import { TaskError } from '../../common/errors';

/** The AKS server application (the audience of tokens for every AKS-managed Entra ID cluster). */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

export type ClusterAuth =
  | { kind: 'clientCertificate'; certificatePem: string; keyPem: string }
  | { kind: 'token'; token: string }
  | { kind: 'entraId'; serverAppId: string };

export interface ClusterAccess {
  /** https://host:port, without a trailing '/'. */
  server: string;
  /** PEM of the CA that signed the API server's certificate; undefined: the system's CAs. */
  caPem?: string;
  /** The TLS server name when it differs from the server's host. */
  tlsServerName?: string;
  auth: ClusterAuth;
  /** The kubeconfig's user name, for messages (e.g. clusterUser_rg-models_aks-models). */
  user: string;
}

interface RawKubeconfig {
  'current-context'?: string;
  clusters?: { name?: string; cluster?: Record<string, unknown> }[];
  contexts?: { name?: string; context?: { cluster?: string; user?: string } }[];
  users?: { name?: string; user?: Record<string, unknown> }[];
}

/** Parses the kubeconfig (the YAML parser loads on first use, not while the task starts); `what` names it in errors. */
export async function parseKubeconfig(text: string, what: string): Promise<ClusterAccess> {
  const { parse } = await import('yaml');
  let raw: RawKubeconfig;
  try {
    raw = (parse(text) ?? {}) as RawKubeconfig;
  } catch {
    throw new TaskError(`${what} is not a valid kubeconfig (it is not YAML).`);
  }
  return clusterAccessOf(raw, what);
}

/** The cluster access a parsed kubeconfig gives. Secrets (key, token) are returned for the caller to mask. */
function clusterAccessOf(raw: RawKubeconfig, what: string): ClusterAccess {
  const contextName = raw['current-context'] ?? raw.contexts?.[0]?.name;
  const context = raw.contexts?.find((c) => c.name === contextName)?.context;
  const cluster = raw.clusters?.find((c) => c.name === context?.cluster)?.cluster ?? (raw.clusters?.length === 1 ? raw.clusters[0]?.cluster : undefined);
  const userEntry = raw.users?.find((u) => u.name === context?.user) ?? (raw.users?.length === 1 ? raw.users[0] : undefined);
  if (cluster === undefined || userEntry?.user === undefined) throw new TaskError(`${what} has no cluster or user for its current context '${contextName ?? ''}'.`);
  const server = stringField(cluster, 'server');
  if (server === undefined || !/^https:\/\//i.test(server)) throw new TaskError(`${what} names no https API server (got '${server ?? ''}').`);
  const caData = stringField(cluster, 'certificate-authority-data');
  const tlsServerName = stringField(cluster, 'tls-server-name');
  return {
    server: server.replace(/\/+$/, ''),
    ...(caData !== undefined ? { caPem: decodeBase64(caData) } : {}),
    ...(tlsServerName !== undefined ? { tlsServerName } : {}),
    auth: userAuth(userEntry.user, what),
    user: userEntry.name ?? '',
  };
}

function userAuth(user: Record<string, unknown>, what: string): ClusterAuth {
  const certData = stringField(user, 'client-certificate-data');
  const keyData = stringField(user, 'client-key-data');
  if (certData !== undefined && keyData !== undefined) return { kind: 'clientCertificate', certificatePem: decodeBase64(certData), keyPem: decodeBase64(keyData) };
  const exec = user.exec as { command?: unknown; args?: unknown } | undefined;
  if (exec !== undefined) {
    const args = Array.isArray(exec.args) ? exec.args.filter((a): a is string => typeof a === 'string') : [];
    const command = typeof exec.command === 'string' ? exec.command : '';
    if (/kubelogin/.test(command) || args.includes('get-token')) return { kind: 'entraId', serverAppId: optionValue(args, '--server-id') ?? AKS_SERVER_APP_ID };
    throw new TaskError(`${what} authenticates with the exec plugin '${command}', which this task does not run.`);
  }
  const provider = user['auth-provider'] as { name?: unknown; config?: Record<string, unknown> } | undefined;
  if (provider?.name === 'azure') return { kind: 'entraId', serverAppId: stringField(provider.config ?? {}, 'apiserver-id') ?? AKS_SERVER_APP_ID };
  const token = stringField(user, 'token');
  if (token !== undefined) return { kind: 'token', token };
  throw new TaskError(`${what} holds no credential the task can use (no client certificate, token, or Entra ID sign-in).`);
}

function optionValue(args: readonly string[], option: string): string | undefined {
  const index = args.indexOf(option);
  if (index >= 0) return args[index + 1];
  return args.find((a) => a.startsWith(`${option}=`))?.slice(option.length + 1);
}

function stringField(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function decodeBase64(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}
