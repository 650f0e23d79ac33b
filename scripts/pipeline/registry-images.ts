/**
 * Removes what a run against the local Azure left in the Docker engine: every tag under the local
 * registries' login servers (each unique to one local Azure), then the untagged images built from
 * images only this run tagged (a rebuilt tag's old image, the legacy builder's intermediate images),
 * children first. An image that also carries another tag (the demo's local base image, shared by
 * every run on the engine) keeps that tag, and what others built on it is left alone: on a shared
 * Docker engine its untagged descendants may be another run's.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function docker(args: string[]): Promise<string> {
  return (await run('docker', args, { maxBuffer: 32 * 1024 * 1024 })).stdout;
}

export interface ImageRow {
  id: string;
  reference: string;
}

async function listImages(): Promise<ImageRow[]> {
  const listing = await docker(['image', 'ls', '--all', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']).catch(() => '');
  return listing
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((row): row is [string, string] => row.length === 2 && row[0] !== '')
    .map(([id, reference]) => ({ id, reference }));
}

/** Returns how many tags it removed. */
export async function removeRegistryImages(loginServers: readonly string[]): Promise<number> {
  const before = await listImages();
  const ours = before.filter((row) => isOurs(row, loginServers));
  const roots = exclusivelyOurs(before, loginServers);
  // `<registry>/<repository>:<none>` is an image a later push of the same tag replaced: by id.
  for (const row of ours) await docker(['image', 'rm', row.reference.endsWith(':<none>') ? row.id : row.reference]).catch(() => '');
  await removeUntaggedDescendants(roots);
  return ours.length;
}

function isOurs(row: ImageRow, loginServers: readonly string[]): boolean {
  return loginServers.some((server) => row.reference.startsWith(`${server}/`));
}

/** Ids of the images whose every tag is under one of the login servers (an image with another tag is shared). Pure. */
export function exclusivelyOurs(rows: readonly ImageRow[], loginServers: readonly string[]): Set<string> {
  const shared = new Set(rows.filter((row) => row.reference !== '<none>:<none>' && !isOurs(row, loginServers)).map((row) => row.id));
  return new Set(rows.filter((row) => isOurs(row, loginServers) && !shared.has(row.id)).map((row) => row.id));
}

async function removeUntaggedDescendants(roots: ReadonlySet<string>): Promise<void> {
  if (roots.size === 0) return;
  const untagged = (await listImages()).filter((row) => row.reference.endsWith(':<none>')).map((row) => row.id);
  if (untagged.length === 0) return;
  const parentOf = new Map(
    (await docker(['image', 'inspect', '--format', '{{.Id}} {{.Parent}}', ...untagged]).catch(() => ''))
      .split('\n')
      .map((line) => line.trim().split(' ') as [string, string | undefined]),
  );
  /** Generations below one of the roots, or undefined when the image does not descend from one. */
  const depthBelowRoots = (id: string): number | undefined => {
    let depth = 0;
    for (let parent = parentOf.get(id); parent !== undefined && parent !== '' && depth < 1000; parent = parentOf.get(parent)) {
      depth += 1;
      if (roots.has(parent)) return depth;
    }
    return undefined;
  };
  const doomed = untagged
    .map((id) => ({ id, depth: roots.has(id) ? 0 : depthBelowRoots(id) }))
    .filter((entry): entry is { id: string; depth: number } => entry.depth !== undefined)
    .sort((a, b) => b.depth - a.depth);
  // Deepest first, one at a time: a parent can only go once its children are gone.
  for (const { id } of doomed) await docker(['image', 'rm', id]).catch(() => '');
}
