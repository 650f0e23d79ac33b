/**
 * The local base image in the run's registry, fast: built from this machine's Node.js only when that
 * changed (examples/base-image), pushed once, and in later runs given to the new local Azure's registry
 * from a copy of the pushed repository (hard-linked files) instead of pushed again.
 * Fingerprint: the Node.js binary (path, size, time) and the Docker engine's image id of the local tag;
 * the copy's folder is named by it, so two runs in one clone never write or delete a copy the other reads.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { LocalAzure } from '../../emulator/index';
import { buildBaseImage } from '../../examples/base-image/build-base-image';
import { BASE_IMAGE_TAG_PREFIX } from './demo-setup';
import type { FingerprintStore } from './fingerprints';
import { writeFolderOnce } from './write-folder-once';

const run = promisify(execFile);

export const BASE_REPOSITORY = 'base/node';

async function imageId(tag: string): Promise<string | undefined> {
  try {
    return (await run('docker', ['image', 'inspect', '--format', '{{.Id}}', tag])).stdout.trim();
  } catch {
    return undefined;
  }
}

export interface PublishedBaseImage {
  reference: string;
  /** built: a new local image; pushed: pushed to the registry; copied: given from the last run's copy. */
  how: 'built' | 'pushed' | 'copied';
}

export async function publishBaseImageOnce(azure: LocalAzure, registryName: string, store: FingerprintStore, cacheRoot: string): Promise<PublishedBaseImage> {
  const major = process.versions.node.split('.')[0] ?? '20';
  const tag = `${BASE_IMAGE_TAG_PREFIX}:${major}`;
  const registry = azure.registries.find((candidate) => candidate.name.toLowerCase() === registryName.toLowerCase()) ?? azure.registry;
  const reference = `${registry.loginServer}/${BASE_REPOSITORY}:${major}`;
  const node = fs.realpathSync(process.execPath);
  const stat = fs.statSync(node);
  const fingerprintWith = (id: string | undefined): string => `${node} ${stat.size} ${stat.mtimeMs} ${process.versions.node} ${id ?? 'none'}`;
  const recorded = store.get('base-image', fingerprintWith(await imageId(tag)));
  if (recorded !== undefined && fs.existsSync(recorded)) {
    await azure.importRepository(recorded, registry.name);
    return { reference, how: 'copied' };
  }
  const base = await buildBaseImage({ tag, expectedNodeMajor: Number(major) });
  await azure.pushImage(base.tag, BASE_REPOSITORY, major, registry.name);
  const fingerprint = fingerprintWith(await imageId(tag));
  const copy = path.join(cacheRoot, `base-node-${major}-${createHash('sha256').update(fingerprint).digest('hex').slice(0, 16)}`);
  await writeFolderOnce(copy, (folder) => azure.exportRepository(BASE_REPOSITORY, folder, registry.name));
  store.record('base-image', fingerprint, copy);
  removeStaleCopies(cacheRoot, `base-node-${major}`, copy);
  return { reference, how: base.built ? 'built' : 'pushed' };
}

/** Copies of an older base image, and temporary folders of runs that died, once nobody can be using them (an hour on). */
function removeStaleCopies(cacheRoot: string, prefix: string, keep: string): void {
  const hourAgo = Date.now() - 60 * 60 * 1000;
  for (const name of fs.readdirSync(cacheRoot)) {
    const folder = path.join(cacheRoot, name);
    if (!name.startsWith(prefix) || folder === keep) continue;
    try {
      if (fs.statSync(folder).mtimeMs < hourAgo) fs.rmSync(folder, { recursive: true, force: true });
    } catch {
      // already gone: another run removed it
    }
  }
}
