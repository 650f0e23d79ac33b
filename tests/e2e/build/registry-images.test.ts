/**
 * The clean-up of local images (scripts/pipeline/registry-images.ts, used by the demo and the tests) on
 * a shared Docker engine: it removes this run's tags and the untagged images only this run built, and
 * leaves a shared base image and what another run built on it untouched.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { removeRegistryImages } from '../../../scripts/pipeline/registry-images';
import { docker } from '../../support/docker-cli';

const LEGACY = { ...process.env, DOCKER_BUILDKIT: '0' };

async function buildImage(folder: string, dockerfile: string, tag?: string): Promise<string> {
  fs.writeFileSync(path.join(folder, 'Dockerfile'), dockerfile);
  // --no-cache: the legacy builder's cache lookup for a FROM scratch step reads every parentless image on
  // the engine and fails ("unable to find image") when another run removes one meanwhile (moby GetCachedImage).
  const id = await docker(['build', '--quiet', '--no-cache', ...(tag ? ['--tag', tag] : []), folder], { env: LEGACY });
  return id.trim();
}

async function exists(id: string): Promise<boolean> {
  return docker(['image', 'inspect', '--format', '{{.Id}}', id]).then(() => true, () => false);
}

describe('Clean-up of a run\'s local images on a shared Docker engine', function () {
  this.timeout(120_000);
  const run = randomBytes(4).toString('hex');
  const ours = `127.0.0.1:1${Math.floor(Math.random() * 9000) + 1000}`;
  const sharedBase = `amd-cleanup-base-${run}:1`;
  let folder = '';
  const leftovers: string[] = [];

  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-cleanup-'));
    fs.writeFileSync(path.join(folder, 'data.bin'), randomBytes(1024));
  });
  after(async () => {
    for (const image of [...leftovers].reverse()) await docker(['image', 'rm', '--force', image]).catch(() => '');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('removes its own tags and intermediate images, never the shared base or another run\'s untagged images built on it', async () => {
    const base = await buildImage(folder, `FROM scratch\nCOPY data.bin /base-${run}\n`, sharedBase);
    leftovers.push(sharedBase);
    await docker(['tag', sharedBase, `${ours}/base:1`]);
    // This run: an image built on the shared base (the legacy builder leaves intermediate images).
    const mine = await buildImage(folder, `FROM ${sharedBase}\nCOPY data.bin /mine-1\nCOPY Dockerfile /mine-2\n`);
    await docker(['tag', mine, `${ours}/app:1`]);
    const intermediate = (await docker(['image', 'inspect', '--format', '{{.Parent}}', mine])).trim();
    assert.notEqual(intermediate, base, 'the legacy builder left an intermediate image between the base and this run\'s image');
    // Another run: an untagged image built on the same base.
    const theirs = await buildImage(folder, `FROM ${sharedBase}\nCOPY data.bin /theirs-${run}\n`);
    leftovers.push(theirs);

    await removeRegistryImages([ours]);

    assert.equal((await docker(['image', 'ls', '--quiet', '--filter', `reference=${ours}/*`])).trim(), '', 'no tag of this run is left');
    assert.ok(!(await exists(mine)) && !(await exists(intermediate)), "this run's image and its intermediate image are removed");
    assert.ok(await exists(base), 'the shared base is kept');
    assert.equal((await docker(['image', 'inspect', '--format', '{{join .RepoTags ","}}', base])).trim(), sharedBase, 'with its own tag');
    assert.ok(await exists(theirs), "another run's untagged image built on the shared base is kept");
  });
});
