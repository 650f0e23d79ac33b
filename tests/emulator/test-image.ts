/** Builds a tiny image FROM scratch (nothing is pulled) holding `sizeInBytes` of random data; removed by `remove()`. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../support/docker-cli';

export { docker };

export interface TestImage {
  name: string;
  remove(): Promise<void>;
}

export async function buildScratchImage(sizeInBytes: number): Promise<TestImage> {
  const context = await mkdtemp(join(tmpdir(), 'lazure-test-image-'));
  const name = `lazure-test-${randomBytes(4).toString('hex')}:latest`;
  try {
    await writeFile(join(context, 'payload.bin'), randomBytes(sizeInBytes));
    await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY payload.bin /payload.bin\n');
    // --no-cache: the legacy builder's cache lookup for a FROM scratch step reads every parentless image on
    // the engine and fails ("unable to find image") when another run removes one meanwhile (moby GetCachedImage).
    await docker(['build', '--quiet', '--no-cache', '--tag', name, context]);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return { name, remove: async () => void (await docker(['rmi', '--force', name]).catch(() => '')) };
}
