/**
 * Copies one repository between a registry's storage (the distribution registry's filesystem layout:
 * `docker/registry/v2/repositories/<name>/` links, `docker/registry/v2/blobs/sha256/<xx>/<hex>/data`)
 * and a plain folder, so that a repository pushed once can be given to a later registry without pushing
 * it again. Blobs are content-addressed and never rewritten, so files are hard-linked when they can be.
 */
import { copyFile, link, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const V2 = join('docker', 'registry', 'v2');

async function entriesOf(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch {
    return [];
  }
}

/** Links (or copies) every file under `from` to the same place under `to`, leaving files already there. */
async function mirror(from: string, to: string, skip: (name: string) => boolean = () => false): Promise<void> {
  const info = await stat(from);
  if (info.isDirectory()) {
    await mkdir(to, { recursive: true, mode: 0o700 });
    for (const name of await entriesOf(from)) if (!skip(name)) await mirror(join(from, name), join(to, name), skip);
    return;
  }
  await mkdir(dirname(to), { recursive: true, mode: 0o700 });
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV' && code !== 'EPERM') throw error;
    await copyFile(from, to);
  }
}

/** The sha256 digests (hex) a repository links to: its layers and config (`_layers`) and its manifests. */
async function linkedDigests(repositoryFolder: string): Promise<string[]> {
  const folders = [join(repositoryFolder, '_layers', 'sha256'), join(repositoryFolder, '_manifests', 'revisions', 'sha256')];
  return (await Promise.all(folders.map(entriesOf))).flat();
}

export async function exportRepository(storageDirectory: string, repository: string, folder: string): Promise<void> {
  const repositoryFolder = join(storageDirectory, V2, 'repositories', repository);
  if ((await entriesOf(repositoryFolder)).length === 0) throw new Error(`The registry holds no repository '${repository}'.`);
  await mirror(repositoryFolder, join(folder, V2, 'repositories', repository), (name) => name === '_uploads');
  for (const hex of await linkedDigests(repositoryFolder)) {
    const blob = join(V2, 'blobs', 'sha256', hex.slice(0, 2), hex);
    await mirror(join(storageDirectory, blob), join(folder, blob));
  }
}

export async function importRepository(folder: string, storageDirectory: string): Promise<void> {
  if ((await entriesOf(join(folder, V2, 'repositories'))).length === 0) throw new Error(`${folder} holds no exported repository.`);
  await mirror(join(folder, V2), join(storageDirectory, V2));
}
