import { TaskError } from '../errors';
import type { EndpointSource } from '../task-runtime';

/** Where service connections come from, with the masking hook (the task runtime fits). */
export interface ConnectionSource {
  endpoint: EndpointSource;
  setSecret(value: string): void;
}

export function readConnectionSource(source: EndpointSource | ConnectionSource): {
  endpoint: EndpointSource;
  setSecret?: (value: string) => void;
} {
  if ('endpoint' in source) return { endpoint: source.endpoint, setSecret: (value) => source.setSecret(value) };
  return { endpoint: source };
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
