import { checkSecretValue } from '../../common/secret-inputs';
import { InputError, invalidInput } from '../../common/errors';

/** Parsers for the SmokeTestModel input values that the generic InputReader has no method for. */

export interface Header {
  readonly name: string;
  readonly value: string;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/** `Name: value` lines. Values are never repeated in messages (they may hold secrets). */
export function parseHeaders(input: string, lines: readonly string[]): Header[] {
  return lines.map((line, index) => {
    const separator = line.indexOf(':');
    const name = separator > 0 ? line.slice(0, separator).trim() : '';
    if (!HEADER_NAME.test(name)) {
      throw new InputError(input, `Input '${input}' must have one 'Name: value' line per header; line ${index + 1} ('${name === '' ? line.slice(0, 20) : name}...') is not one.`);
    }
    if (FORBIDDEN_HEADERS.has(name.toLowerCase())) {
      throw new InputError(input, `Input '${input}' must not set '${name}': the task sets it itself.`);
    }
    return { name, value: line.slice(separator + 1).trim() };
  });
}

/** An absolute http(s) URL without credentials, returned without a trailing '/'. */
export function parseTargetUrl(input: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidInput(input, "an absolute http or https URL such as 'http://my-model.westeurope.azurecontainer.io:8080'", value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidInput(input, 'an http or https URL', value);
  if (url.username !== '' || url.password !== '') {
    throw new InputError(input, `Input '${input}' must not contain a user name or password; use the 'authentication' inputs instead.`);
  }
  if (url.hash !== '') throw invalidInput(input, 'a URL without a #fragment', value);
  const protocolPath = protocolPathIn(url.pathname);
  if (protocolPath !== undefined) {
    throw new InputError(
      input,
      `Input '${input}' must be the model server's base URL, but '${value}' already holds the ${protocolPath.protocol} path '${protocolPath.path}'. ` +
        `Give '${url.origin}${url.pathname.slice(0, url.pathname.length - protocolPath.path.length).replace(/\/+$/, '')}' and let 'protocol' (or 'requestPath' for a generic server) add the path.`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/** Paths the presets add themselves (DESIGN.md section 6): a URL ending in one was given the inference or readiness path. */
const PROTOCOL_PATHS: readonly { pattern: RegExp; protocol: string }[] = [
  { pattern: /\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/(infer|ready)$|\/v2\/health\/(ready|live)$/, protocol: 'Open Inference Protocol' },
  { pattern: /\/v1\/models\/[^/]+(\/versions\/[^/]+)?:predict$/, protocol: 'KServe v1 / TensorFlow Serving' },
  { pattern: /\/predictions\/[^/]+$/, protocol: 'TorchServe' },
  { pattern: /\/invocations$/, protocol: 'MLflow' },
  { pattern: /\/score$/, protocol: 'Azure ML' },
  { pattern: /\/v1\/chat\/completions$|\/v1\/completions$/, protocol: 'OpenAI-compatible' },
];

function protocolPathIn(pathname: string): { path: string; protocol: string } | undefined {
  const trimmed = pathname.replace(/\/+$/, '');
  for (const { pattern, protocol } of PROTOCOL_PATHS) {
    const match = pattern.exec(trimmed);
    if (match) return { path: match[0], protocol };
  }
  return undefined;
}

/** A path on the server: starts with '/'. */
export function parsePath(input: string, value: string): string {
  if (!value.startsWith('/') || /\s/.test(value)) throw invalidInput(input, "a path that starts with '/' and has no spaces, e.g. '/v1/predict'", value);
  return value;
}

/** '200' or '200, 201'. */
export function parseStatuses(input: string, value: string): number[] {
  const statuses = value.split(/[\s,]+/).filter((part) => part !== '').map((part) => (/^\d{3}$/.test(part) ? Number(part) : Number.NaN));
  if (statuses.length === 0 || statuses.some((status) => !(status >= 100 && status <= 599))) {
    throw invalidInput(input, "an HTTP status from 100 to 599, or several separated by commas (e.g. '200' or '200, 201')", value);
  }
  return statuses;
}

/** A fraction from 0 to 1: '0', '0.05' or '5%'. */
export function parseRate(input: string, value: string): number {
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  const fraction = percent?.[1] !== undefined ? Number(percent[1]) / 100 : /^(\d+(?:\.\d+)?|\.\d+)$/.test(value) ? Number(value) : Number.NaN;
  if (!(fraction >= 0 && fraction <= 1)) throw invalidInput(input, "a fraction from 0 to 1 or a percentage (e.g. '0', '0.05' or '5%')", value);
  return fraction;
}

/** A secret from an input: one line, never repeated in a message. */
export function checkSecret(input: string, value: string): string {
  checkSecretValue(input, value);
  if (/[\r\n]/.test(value)) throw new InputError(input, `Input '${input}' must be a single line (it is sent in an HTTP header).`);
  return value;
}

/** Guess of a content type for a raw body file, from its extension. */
export function contentTypeOf(path: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  const types: Record<string, string> = {
    json: 'application/json', txt: 'text/plain; charset=utf-8', csv: 'text/csv', png: 'image/png', jpg: 'image/jpeg',
    jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', wav: 'audio/wav', mp3: 'audio/mpeg',
  };
  return (extension === undefined ? undefined : types[extension]) ?? 'application/octet-stream';
}
