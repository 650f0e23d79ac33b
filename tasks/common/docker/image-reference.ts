import { invalidInput } from '../errors';

/**
 * Docker's image reference grammar (distribution/reference), the one the tasks use: the parts below
 * make the whole-reference parser (deploy inputs), the repository and tag checks (BuildAndPushAiImage's
 * inputs) and the registry-host rule (Build's pasted-host check). Every check returns a reason a user
 * can act on, or undefined when the value is valid.
 */

/** One path component: lower-case alphanumerics, joined by '.', '_', '__' or runs of '-'. */
const COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
/** A registry host (DNS labels joined by '.', or an IPv6 address in brackets) with an optional port. */
const HOST = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::\\d{1,5})?';
/** A tag: a word character, then up to 127 word characters, '.' or '-'. */
const TAG_TEXT = '[\\w][\\w.-]{0,127}';
/** A digest: an algorithm and at least 32 hex digits (sha256: exactly 64). */
const DIGEST_TEXT = '[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}';

export const PATH_COMPONENT = new RegExp(`^${COMPONENT}$`);
export const TAG = new RegExp(`^${TAG_TEXT}$`);
export const DOMAIN = new RegExp(`^${HOST}$`);
export const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Docker's limit on the whole name (registry host included). */
export const MAX_NAME_LENGTH = 255;

/**
 * Docker's rule for a name's first component: it names a registry host when it is a host and has a '.'
 * or a ':' (a domain, a port), or is 'localhost'; else it is part of the path ('library/nginx').
 */
export function namesRegistryHost(component: string): boolean {
  return DOMAIN.test(component) && (/[.:]/.test(component) || component === 'localhost');
}

/** Why `repository` (the path inside a registry, without the login server) is invalid, or undefined. */
export function repositoryProblem(repository: string, loginServer = ''): string | undefined {
  if (repository === '') return 'it is empty';
  if (repository !== repository.trim()) return 'it has leading or trailing spaces';
  const [first, ...rest] = repository.split('/');
  if (first !== undefined && rest.length > 0 && namesRegistryHost(first)) {
    // A pasted registry host ('myregistry.azurecr.io/app', '127.0.0.1:5443/app'; hosts may hold capitals): check the path after it.
    const problem = repositoryProblem(rest.join('/'));
    return problem ?? (repository.length > MAX_NAME_LENGTH ? `it is ${repository.length} characters long; Docker allows at most ${MAX_NAME_LENGTH}` : undefined);
  }
  if (/[A-Z]/.test(repository) && repositoryProblem(repository.toLowerCase(), loginServer) === undefined) {
    return `repository names must be lower case (try '${repository.toLowerCase()}')`;
  }
  if (repository.includes(':') || repository.includes('@')) {
    return "it holds a tag or digest: give the tag in input 'tags' and only the path here";
  }
  if (repository.startsWith('/') || repository.endsWith('/')) return "it must not start or end with '/'";
  for (const component of repository.split('/')) {
    if (component === '') return "it has an empty path component ('//')";
    if (!PATH_COMPONENT.test(component)) {
      return `path component '${component}' may only hold lower-case letters, digits and the separators '.', '_', '__' or '-', and must start and end with a letter or digit`;
    }
  }
  const full = loginServer === '' ? repository : `${loginServer}/${repository}`;
  if (full.length > MAX_NAME_LENGTH) return `the full name is ${full.length} characters long; Docker allows at most ${MAX_NAME_LENGTH}`;
  return undefined;
}

/** Why `tag` is invalid, or undefined. */
export function tagProblem(tag: string): string | undefined {
  if (/\$\([^)]*\)/.test(tag)) return `it holds '${/\$\([^)]*\)/.exec(tag)?.[0] ?? ''}', a pipeline variable that is not defined`;
  if (tag.length > 128) return `it is ${tag.length} characters long; Docker allows at most 128`;
  if (!TAG.test(tag)) {
    return "a tag may only hold letters, digits, '_', '.' and '-', and must not start with '.' or '-'";
  }
  return undefined;
}

/** `<loginServer>/<repository>:<tag>` */
export function taggedReference(loginServer: string, repository: string, tag: string): string {
  return `${loginServer}/${repository}:${tag}`;
}

/** `<loginServer>/<repository>@sha256:...` */
export function digestReference(loginServer: string, repository: string, digest: string): string {
  return `${loginServer}/${repository}@${digest}`;
}

/**
 * A user may paste the full name ('myregistry.azurecr.io/team/app'); when its first component is the
 * registry's login server, the rest is the repository.
 */
export function withoutLoginServer(repository: string, loginServer: string): string {
  const prefix = `${loginServer.toLowerCase()}/`;
  return repository.toLowerCase().startsWith(prefix) ? repository.slice(prefix.length) : repository;
}

/**
 * Docker image references: `[host[:port]/]path[:tag][@algorithm:hex]`. Path components are lowercase
 * letters and digits joined by '.', '_', '__' or '-'. Returns the parts; the host is undefined for
 * Docker Hub short names (`nginx`, `library/nginx`).
 */
export interface ImageReference {
  /** As written. */
  reference: string;
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const IMAGE_REFERENCE = new RegExp(`^(?:(${HOST})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG_TEXT}))?(?:@(${DIGEST_TEXT}))?$`);

/** Parses an image reference an input holds; throws an InputError naming `input` when it is not one. */
export function parseImageReference(input: string, value: string, hint = ''): ImageReference {
  const match = IMAGE_REFERENCE.exec(value);
  const accepts = `an image reference such as 'myregistry.azurecr.io/models/sentiment:1.4' or '...@sha256:<64 hex digits>'${hint}`;
  if (!match || value.length > 1024) throw invalidInput(input, accepts, value);
  let registry = match[1];
  let repository = match[2] ?? '';
  if (registry !== undefined && !namesRegistryHost(registry)) {
    if (registry !== registry.toLowerCase()) throw invalidInput(input, accepts, value);
    repository = `${registry}/${repository}`;
    registry = undefined;
  }
  const digest = match[4];
  if (digest?.startsWith('sha256:') && digest.length !== 'sha256:'.length + 64) throw invalidInput(input, accepts, value);
  return {
    reference: value,
    ...(registry !== undefined ? { registry: registry.toLowerCase() } : {}),
    repository,
    ...(match[3] !== undefined ? { tag: match[3] } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}
