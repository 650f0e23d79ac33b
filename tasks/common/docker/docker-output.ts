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
