/**
 * ACR's metadata API (`/acr/v1/...`: repositories, tags, manifests with sizes, platform and times),
 * read from the distribution registry's storage layout, which the plain registry API does not expose.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface TagInfo {
  name: string;
  digest: string;
  createdTime: string;
  lastUpdateTime: string;
}

export interface ManifestInfo {
  digest: string;
  imageSize: number;
  createdTime: string;
  lastUpdateTime: string;
  architecture?: string;
  os?: string;
  mediaType?: string;
  tags: string[];
}

const root = (storage: string): string => join(storage, 'docker', 'registry', 'v2');

async function listDirectory(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function blobPath(storage: string, digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  return join(root(storage), 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

export async function listRepositories(storage: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(relative: string): Promise<void> {
    const children = await listDirectory(join(root(storage), 'repositories', relative));
    if (children.includes('_manifests')) found.push(relative);
    for (const child of children.filter((name) => !name.startsWith('_'))) await walk(relative === '' ? child : `${relative}/${child}`);
  }
  await walk('');
  return found.sort();
}

export async function listTags(storage: string, repository: string): Promise<TagInfo[] | undefined> {
  const tagsDirectory = join(root(storage), 'repositories', repository, '_manifests', 'tags');
  if ((await listDirectory(join(root(storage), 'repositories', repository, '_manifests'))).length === 0) return undefined;
  const tags: TagInfo[] = [];
  for (const name of await listDirectory(tagsDirectory)) {
    const link = join(tagsDirectory, name, 'current', 'link');
    try {
      const [digest, linkStat, tagStat] = await Promise.all([readFile(link, 'utf8'), stat(link), stat(join(tagsDirectory, name))]);
      tags.push({ name, digest: digest.trim(), createdTime: tagStat.birthtime.toISOString(), lastUpdateTime: linkStat.mtime.toISOString() });
    } catch {
      // A tag being written or deleted right now: skip it.
    }
  }
  return tags.sort((a, b) => a.name.localeCompare(b.name));
}

export async function listManifests(storage: string, repository: string): Promise<ManifestInfo[] | undefined> {
  const tags = await listTags(storage, repository);
  if (!tags) return undefined;
  const revisions = join(root(storage), 'repositories', repository, '_manifests', 'revisions', 'sha256');
  const manifests: ManifestInfo[] = [];
  for (const hex of await listDirectory(revisions)) {
    const digest = `sha256:${hex}`;
    const manifest = await readJson(blobPath(storage, digest));
    if (!manifest) continue;
    const linkStat = await stat(join(revisions, hex, 'link')).catch(() => undefined);
    const config = manifest.config as { size?: number; digest?: string } | undefined;
    const layers = Array.isArray(manifest.layers) ? (manifest.layers as { size?: number }[]) : [];
    const imageConfig = config?.digest ? await readJson(blobPath(storage, config.digest)) : undefined;
    const time = (linkStat?.mtime ?? new Date()).toISOString();
    manifests.push({
      digest,
      imageSize: (config?.size ?? 0) + layers.reduce((sum, layer) => sum + (layer.size ?? 0), 0),
      createdTime: time,
      lastUpdateTime: time,
      ...(typeof imageConfig?.architecture === 'string' ? { architecture: imageConfig.architecture } : {}),
      ...(typeof imageConfig?.os === 'string' ? { os: imageConfig.os } : {}),
      ...(typeof manifest.mediaType === 'string' ? { mediaType: manifest.mediaType } : {}),
      tags: tags.filter((tag) => tag.digest === digest).map((tag) => tag.name),
    });
  }
  return manifests;
}

/** Whether `repository` holds `reference` (a tag, or a `sha256:` digest): what a pull of that image needs. */
export async function hasManifest(storage: string, repository: string, reference: string): Promise<boolean> {
  const manifests = join(root(storage), 'repositories', repository, '_manifests');
  const link = reference.startsWith('sha256:')
    ? join(manifests, 'revisions', 'sha256', reference.slice('sha256:'.length), 'link')
    : join(manifests, 'tags', reference, 'current', 'link');
  return (await stat(link).catch(() => undefined))?.isFile() ?? false;
}
