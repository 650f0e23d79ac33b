/** Docker image references (pure), the local Azure's one reading of them: which registry an image lives on, its repository, its tag. */

export interface ImageReference {
  /** Registry host[:port] as written (lower-cased); 'docker.io' when the reference names none. */
  registry: string;
  /** Repository path inside the registry, without tag or digest. */
  repository: string;
  /** Tag or digest part ('latest' when absent). */
  reference: string;
}

export function parseImageReference(image: string): ImageReference {
  const firstSlash = image.indexOf('/');
  const first = firstSlash >= 0 ? image.slice(0, firstSlash) : '';
  const namesRegistry = firstSlash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = namesRegistry ? first.toLowerCase() : 'docker.io';
  let rest = namesRegistry ? image.slice(firstSlash + 1) : image;
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  const repository = registry === 'docker.io' && !rest.includes('/') ? `library/${rest}` : rest;
  return { registry, repository, reference };
}

/** `host:5000/repo/name:tag` -> repository + tag (digests stay in the repository part). */
export function splitTag(image: string): { repository: string; tag: string } {
  if (image.includes('@')) return { repository: image, tag: '' };
  const lastSlash = image.lastIndexOf('/');
  const lastColon = image.lastIndexOf(':');
  if (lastColon > lastSlash) return { repository: image.slice(0, lastColon), tag: image.slice(lastColon + 1) };
  return { repository: image, tag: 'latest' };
}
