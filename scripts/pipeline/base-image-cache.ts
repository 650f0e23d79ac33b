/**
 * The local base image in the run's registry, fast: built from this machine's Node.js only when that
 * changed (examples/base-image), pushed once, and in later runs given to the new local Azure's registry
 * from a copy of the pushed repository (hard-linked files) instead of pushed again.
 * Fingerprint: the Node.js binary (path, size, time) and the Docker engine's image id of the local tag.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { LocalAzure } from '../../emulator/index';
import { buildBaseImage } from '../../examples/base-image/build-base-image';
import { BASE_IMAGE_TAG_PREFIX } from './demo-setup';
import type { FingerprintStore } from './fingerprints';

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
  const fingerprint = `${node} ${stat.size} ${stat.mtimeMs} ${process.versions.node} ${(await imageId(tag)) ?? 'none'}`;
  const copy = path.join(cacheRoot, `base-node-${major}`);
  if (store.get('base-image', fingerprint) === copy && fs.existsSync(copy)) {
    await azure.importRepository(copy, registry.name);
    return { reference, how: 'copied' };
  }
  const base = await buildBaseImage({ tag, expectedNodeMajor: Number(major) });
  await azure.pushImage(base.tag, BASE_REPOSITORY, major, registry.name);
  fs.rmSync(copy, { recursive: true, force: true });
  await azure.exportRepository(BASE_REPOSITORY, copy, registry.name);
  store.record('base-image', `${node} ${stat.size} ${stat.mtimeMs} ${process.versions.node} ${(await imageId(tag)) ?? 'none'}`, copy);
  return { reference, how: base.built ? 'built' : 'pushed' };
}
