/** Reading what the docker CLI prints (pure: the unit tests feed it real output). */
import { DIGEST } from './image-reference';

/** The digest from `docker push` output: `<tag>: digest: sha256:<hex> size: <n>` (the last one wins). */
export function digestFromPushOutput(output: string): string | undefined {
  let digest: string | undefined;
  for (const match of output.matchAll(/\bdigest:\s*(sha256:[a-f0-9]{64})\b/g)) digest = match[1];
  return digest;
}

/** The digest of `repository` (`host/path`, no tag) among `docker inspect --format '{{json .RepoDigests}}'` output. */
export function digestFromRepoDigests(json: string, repository: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.trim());
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  for (const entry of parsed) {
    if (typeof entry !== 'string') continue;
    const at = entry.lastIndexOf('@');
    if (at > 0 && entry.slice(0, at).toLowerCase() === repository.toLowerCase() && DIGEST.test(entry.slice(at + 1))) {
      return entry.slice(at + 1);
    }
  }
  return undefined;
}

/** `docker pull` of a tag that does not exist (yet): a missing cache image is not an error. */
export function isImageNotFound(stderr: string): boolean {
  return /manifest unknown|not found|does not exist|No such image/i.test(stderr) && !/unauthorized|denied/i.test(stderr);
}

/** `docker push`/`pull` refused for lack of rights or a bad sign-in. */
export function isAccessDenied(stderr: string): boolean {
  return /unauthorized|denied|authentication required|\b401\b|\b403\b|forbidden/i.test(stderr);
}

/** The last `count` non-blank lines of some output, for error messages. */
export function lastLines(text: string, count: number): string[] {
  return text
    .split(/\r?\n|\r/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-count);
}

/** A registry fault that docker reports, as service-failure.ts reads errors: an HTTP status or a transport code. */
export interface DockerRegistryFault {
  statusCode?: number;
  code?: string;
}

/**
 * What a failed `docker push`/`pull` says about the registry: `received unexpected HTTP status: 503 ...`,
 * `error parsing HTTP 429 response body`, `toomanyrequests`, `EOF` / `connection reset by peer` /
 * `broken pipe` (the registry closed the connection), timeouts, refused connections. Undefined otherwise.
 */
export function registryFaultOf(stderr: string): DockerRegistryFault | undefined {
  const status = /unexpected HTTP status: (\d{3})|error parsing HTTP (\d{3}) response|HTTP status (\d{3})/.exec(stderr);
  const number = Number(status?.[1] ?? status?.[2] ?? status?.[3]);
  if (Number.isInteger(number) && number >= 400) return { statusCode: number };
  if (/toomanyrequests|too many requests/i.test(stderr)) return { statusCode: 429 };
  if (/connection reset by peer|broken pipe|(^|[\s:"])(unexpected )?EOF\s*$|: EOF\b|server closed|http2: .*GOAWAY/im.test(stderr)) return { code: 'ECONNRESET' };
  if (/TLS handshake timeout|i\/o timeout|context deadline exceeded|Client\.Timeout exceeded/i.test(stderr)) return { code: 'ETIMEDOUT' };
  if (/connection refused/i.test(stderr)) return { code: 'ECONNREFUSED' };
  return undefined;
}
