import { TaskError } from '../errors';
import { blankToUndefined } from '../input-reader';
import { registerSecret } from '../secret-masking';
import type { EndpointSource } from '../task-runtime';

/**
 * Where service connections come from, with the masking hook (the task runtime fits). Both are required:
 * a connection's secrets are registered for masking the moment they are read, here and nowhere else.
 */
export interface ConnectionSource {
  endpoint: EndpointSource;
  setSecret(value: string): void;
}

/** A service connection the agent gave the task, with how messages name it. Parameters are trimmed; blank ones are undefined. */
export interface FoundConnection {
  /** `Service connection 'abc' (input 'azureSubscription')`. */
  where: string;
  /** The connection's server URL. */
  url: string;
  /** The authentication scheme as the agent spells it, or undefined. */
  scheme: string | undefined;
  /** An authorization parameter that is not secret (an application id, a tenant id). */
  auth: (key: string) => string | undefined;
  /** A secret authorization parameter (a key, a password, a certificate): masked the moment it is read. */
  secretAuth: (key: string) => string | undefined;
  /** A data parameter (subscription id, environment URLs). */
  data: (key: string) => string | undefined;
}

/**
 * Looks up the connection whose id an input holds; fails when the agent gave the task none with that
 * id. `kind` names the kind of connection the input wants, e.g. 'an Azure Resource Manager'.
 */
export function findConnection(source: ConnectionSource, connectionId: string, inputName: string, kind: string): FoundConnection {
  const { endpoint } = source;
  const where = describeConnection(connectionId, inputName);
  const url = endpoint.url(connectionId);
  if (url === undefined) {
    throw new TaskError(
      `${where} was not found: the agent gave this task no service connection with that id. ` +
        `Check that ${kind} service connection with that name or id exists and that this pipeline is authorised to use it.`,
    );
  }
  const auth = (key: string): string | undefined => blankToUndefined(endpoint.authParameter(connectionId, key)?.trim());
  return {
    where,
    url,
    scheme: endpoint.scheme(connectionId),
    auth,
    secretAuth: (key) => {
      const value = auth(key);
      if (value !== undefined) registerSecret(value, (line) => source.setSecret(line));
      return value;
    },
    data: (key) => blankToUndefined(endpoint.dataParameter(connectionId, key)?.trim()),
  };
}

/** `Service connection 'abc' (input 'azureSubscription')`: how messages name a connection. */
export function describeConnection(connectionId: string, inputName: string): string {
  return `Service connection '${connectionId}' (input '${inputName}')`;
}

/** Parses an https URL and returns it with a trailing '/'; `what` names it in the error. */
export function httpsUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new TaskError(`${what} is not a valid URL; got '${value}'.`);
  }
  if (url.protocol !== 'https:') {
    throw new TaskError(`${what} must be an https URL (tokens are never sent in clear text); got '${value}'.`);
  }
  const text = url.toString();
  return text.endsWith('/') ? text : `${text}/`;
}
