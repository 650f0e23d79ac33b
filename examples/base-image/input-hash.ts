// The hash that names a base image's inputs: every entry's path, type, owner, mode, link target
// and content, plus the image configuration. Same hash = nothing to rebuild.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { RootfsEntry } from './rootfs-plan.js';

const FORMAT = 'ai-model-deploy/base-image/v1';

async function contentHash(entry: RootfsEntry & { kind: 'file' }): Promise<string> {
  const hash = createHash('sha256');
  if ('content' in entry.source) return hash.update(entry.source.content, 'utf8').digest('hex');
  for await (const chunk of createReadStream(entry.source.hostPath) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

export async function inputHash(entries: readonly RootfsEntry[], imageConfig: readonly string[]): Promise<string> {
  const hash = createHash('sha256').update(`${FORMAT}\n`);
  for (const line of imageConfig) hash.update(`config ${line}\n`);
  for (const entry of entries) {
    const head = `${entry.kind} ${entry.path} ${entry.mode.toString(8)} ${entry.uid}:${entry.gid}`;
    if (entry.kind === 'file') hash.update(`${head} ${entry.size} ${await contentHash(entry)}\n`);
    else if (entry.kind === 'symlink') hash.update(`${head} -> ${entry.target}\n`);
    else hash.update(`${head}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}
