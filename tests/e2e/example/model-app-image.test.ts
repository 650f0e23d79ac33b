// Builds the base image and the example app image with the real Docker engine (no registry pull,
// no network in the build), runs the container on 127.0.0.1 and sends it a real inference request.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildBaseImage } from '../../../examples/base-image/build-base-image';
import { prepareImageContext } from '../../../examples/model-app/scripts/prepare-image-context';
import { APP_DIR, requireAppDependencies } from '../../unit/example/app-paths';
import { call, IRIS_SAMPLES } from '../../unit/example/v2-client';
import { docker, removeQuietly } from './docker-cli';
import { eventually } from '../../support/eventually';

const suffix = `${process.pid}-${randomBytes(3).toString('hex')}`;
const BASE_TAG = `amd-e2e-example/base-node:${suffix}`;
const APP_TAG = `amd-e2e-example/iris:${suffix}`;
const CONTAINER = `amd-e2e-example-${suffix}`;

async function layers(tag: string): Promise<string[]> {
  return JSON.parse(await docker(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag])) as string[];
}

async function untilReady(url: string, container: string): Promise<void> {
  let last = 'no answer';
  await eventually(`${url}/v2/health/ready to answer 200`, async () => {
    const ready = await call(url, 'GET', '/v2/health/ready', undefined, 1000).catch((cause: unknown) => String(cause));
    if (typeof ready !== 'string' && ready.status === 200) return true;
    last = typeof ready === 'string' ? ready : `HTTP ${ready.status}`;
    return undefined;
  }, { lastSeen: async () => `Last: ${last}. Container logs:\n${await docker(['logs', container]).catch((cause: unknown) => String(cause))}` });
}

describe('example: model-app image on the Docker engine', function () {
  this.timeout(180_000);
  let context: string;

  before(async () => {
    requireAppDependencies();
    await docker(['version', '--format', '{{.Server.Version}}']).catch((cause: unknown) => {
      throw new Error(`These tests need a running Docker engine: ${(cause as Error).message}`);
    });
    context = mkdtempSync(path.join(tmpdir(), 'model-app-context-'));
    for (const item of ['Dockerfile', '.dockerignore', 'model']) cpSync(path.join(APP_DIR, item), path.join(context, item), { recursive: true });
    await prepareImageContext({ appDir: APP_DIR, arch: process.arch === 'arm64' ? 'arm64' : 'x64', outDir: path.join(context, 'dist') });
  });

  after(async () => {
    await removeQuietly('container', [CONTAINER]);
    await removeQuietly('image', [APP_TAG, `${APP_TAG}-code-change`, BASE_TAG]);
    if (context) rmSync(context, { recursive: true, force: true });
  });

  it('builds the base image without any registry, then finds it up to date', async () => {
    const first = await buildBaseImage({ tag: BASE_TAG });
    assert.equal(first.built, true);
    const second = await buildBaseImage({ tag: BASE_TAG });
    assert.deepEqual([second.built, second.inputHash], [false, first.inputHash]);
    assert.equal(await docker(['run', '--rm', '--network', 'none', '--user', 'node', BASE_TAG, 'node', '-p', 'process.versions.node + " " + require("os").userInfo().uid']), `${process.versions.node} 1000`);
  });

  it('builds the app on the local base: runtime, model and code each in their own layer', async () => {
    await docker(['build', '--quiet', '--build-arg', `BASE_IMAGE=${BASE_TAG}`, '--tag', APP_TAG, context]);
    const [base, app] = [await layers(BASE_TAG), await layers(APP_TAG)];
    assert.deepEqual(app.slice(0, base.length), base);
    // Newest first; the layers that hold files (WORKDIR may add an empty one) end with the three COPY steps.
    const history = (await docker(['history', '--no-trunc', '--format', '{{.Size}}\t{{.CreatedBy}}', APP_TAG])).split('\n');
    const copies = history.filter((line) => line.includes(' COPY ')).map((line) => line.replace(/^.*COPY \S+ in /, ''));
    assert.deepEqual(copies, ['/app/server.js ', '/app/model/ ', '/app/node_modules/ ']);
  });

  it('changes only the last layer when only the code changes', async () => {
    appendFileSync(path.join(context, 'dist', 'server.js'), '\n// a code-only change\n');
    await docker(['build', '--quiet', '--build-arg', `BASE_IMAGE=${BASE_TAG}`, '--tag', `${APP_TAG}-code-change`, context]);
    const [before, after] = [await layers(APP_TAG), await layers(`${APP_TAG}-code-change`)];
    assert.deepEqual(after.slice(0, -1), before.slice(0, -1));
    assert.notEqual(after.at(-1), before.at(-1));
  });

  it('runs as a container that answers a real v2 inference and stops gracefully', async () => {
    await docker(['run', '--detach', '--name', CONTAINER, '--publish', '127.0.0.1::8080', '--env', 'LOG_LEVEL=debug', APP_TAG]);
    const published = await docker(['port', CONTAINER, '8080/tcp']);
    const port = /127\.0\.0\.1:(\d+)/.exec(published)?.[1];
    assert.ok(port, `no loopback port published: ${published}`);
    const url = `http://127.0.0.1:${port}`;
    await untilReady(url, CONTAINER);
    const answer = await call(url, 'POST', '/v2/models/iris/infer', { id: 'e2e', inputs: [IRIS_SAMPLES] });
    assert.equal(answer.status, 200);
    const body = answer.body as { model_name: string; id: string; outputs: { name: string; data: number[] }[] };
    assert.deepEqual([body.model_name, body.id], ['iris', 'e2e']);
    assert.deepEqual(body.outputs.find((o) => o.name === 'label')?.data, [0, 1, 2]);
    assert.equal(await docker(['exec', CONTAINER, 'node', '-p', 'require("os").userInfo().username']), 'node');
    await docker(['stop', '--time', '20', CONTAINER]);
    assert.equal(await docker(['inspect', '--format', '{{.State.ExitCode}}', CONTAINER]), '0');
    assert.match(await docker(['logs', CONTAINER]), /SIGTERM: draining connections and stopping/);
  });
});
