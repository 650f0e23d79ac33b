/**
 * A tiny test image built locally (never pulled): FROM scratch + Debian's static busybox, serving a
 * folder with `httpd` on port 80. Needs `apt-get install busybox-static`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, copyFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../../support/docker-cli';

export const BUSYBOX = '/bin/busybox';
export const PAGE = 'hello from a local container group\n';

export { docker };

export async function buildBusyboxImage(tag: string): Promise<void> {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: install Debian's busybox-static package (apt-get install busybox-static).`);
  const folder = await mkdtemp(join(tmpdir(), 'lazure-aci-image-'));
  try {
    await copyFile(BUSYBOX, join(folder, 'busybox'));
    await mkdir(join(folder, 'www'));
    await writeFile(join(folder, 'www', 'index.html'), PAGE);
    await writeFile(
      join(folder, 'Dockerfile'),
      'FROM scratch\nCOPY busybox /bin/busybox\nCOPY www /www\nENTRYPOINT ["/bin/busybox"]\nCMD ["httpd", "-f", "-v", "-p", "80", "-h", "/www"]\n',
    );
    // --no-cache: intermediate images of its own, never shared with another run's identical build, whose
    // clean-up would otherwise delete them under this one ("unknown parent image ID").
    await docker(['build', '-q', '--no-cache', '-t', tag, folder], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

export async function removeImage(tag: string): Promise<void> {
  await docker(['image', 'rm', '-f', tag]).catch(() => '');
}

/** Ids of the containers whose name starts with the prefix (running or not). */
export async function containersNamed(prefix: string): Promise<string[]> {
  const out = await docker(['ps', '-a', '-q', '--filter', `name=${prefix}`]);
  return out.split('\n').filter(Boolean);
}
