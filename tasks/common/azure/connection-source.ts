import { TaskError } from '../errors';
import type { EndpointSource } from '../task-runtime';

/** Where service connections come from, with the masking hook (the task runtime fits). */
export interface ConnectionSource {
  endpoint: EndpointSource;
  setSecret(value: string): void;
}

export function readConnectionSource(source: EndpointSource | ConnectionSource): {
  endpoint: EndpointSource;
  setSecret: ((value: string) => void) | undefined;
} {
  if ('endpoint' in source) return { endpoint: source.endpoint, setSecret: (value) => registerSecret(value, (line) => source.setSecret(line)) };
  return { endpoint: source, setSecret: undefined };
}

const PEM_ARMOUR = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/;

/**
 * Registers a secret for masking. The agent masks line by line and refuses multi-line secrets, so a
 * multi-line value (a PEM) is registered line by line, without its `-----BEGIN ...-----` armour.
 */
export function registerSecret(value: string, setSecret: (value: string) => void): void {
  for (const line of value.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed !== '' && !PEM_ARMOUR.test(trimmed)) setSecret(trimmed);
  }
}

/** A service connection the agent gave the task, with how messages name it. */
export interface FoundConnection {
  endpoint: EndpointSource;
  setSecret: ((value: string) => void) | undefined;
  /** `Service connection 'abc' (input 'azureSubscription')`. */
  where: string;
  /** The connection's server URL. */
  url: string;
}

/**
 * Looks up the connection whose id an input holds; fails when the agent gave the task none with that
 * id. `kind` names the kind of connection the input wants, e.g. 'an Azure Resource Manager'.
 */
export function findConnection(source: EndpointSource | ConnectionSource, connectionId: string, inputName: string, kind: string): FoundConnection {
  const { endpoint, setSecret } = readConnectionSource(source);
  const where = describeConnection(connectionId, inputName);
  const url = endpoint.url(connectionId);
  if (url === undefined) {
    throw new TaskError(
      `${where} was not found: the agent gave this task no service connection with that id. ` +
        `Check that ${kind} service connection with that name or id exists and that this pipeline is authorised to use it.`,
    );
  }
  return { endpoint, setSecret, where, url };
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
