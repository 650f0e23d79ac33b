// The server as its own process (src/server.ts through tsx): environment, slow load, SIGTERM, exit codes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP_DIR, requireAppDependencies } from './app-paths';
import { call, IRIS_SAMPLES } from './v2-client';
import { eventually } from '../../support/eventually';

interface ServerProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  /** Resolves with the base URL once the server logs that it listens. */
  readonly listening: Promise<string>;
}

function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(APP_DIR, 'src', 'server.ts')], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)));
  });
  listening.catch(() => undefined);
  return { child, exited, listening, output: () => output };
}

async function untilReady(url: string): Promise<void> {
  await eventually('the model server to be ready', async () => ((await call(url, 'GET', '/v2/health/ready')).status === 200 ? true : undefined), { intervalInMs: 50 });
}

describe('example: model server process', () => {
  const children: ChildProcess[] = [];
  const temps: string[] = [];
  const track = (server: ServerProcess): ServerProcess => {
    children.push(server.child);
    return server;
  };
  before(requireAppDependencies);
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('serves inferences and stops with exit code 0 on SIGTERM', async () => {
    const server = track(startServer({ MODEL_NAME: 'flowers' }));
    const url = await server.listening;
    await untilReady(url);
    const answer = await call(url, 'POST', '/v2/models/flowers/infer', { inputs: [IRIS_SAMPLES] });
    assert.equal(answer.status, 200);
    assert.equal((answer.body as { model_name: string }).model_name, 'flowers');
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.match(server.output(), /SIGTERM: draining connections and stopping/);
  });

  it('is live but not ready during MODEL_LOAD_DELAY_SECONDS, and stops at once on SIGTERM', async () => {
    const server = track(startServer({ MODEL_LOAD_DELAY_SECONDS: '600' }));
    const url = await server.listening;
    assert.equal((await call(url, 'GET', '/v2/health/live')).status, 200);
    assert.equal((await call(url, 'GET', '/v2/health/ready')).status, 503);
    assert.equal((await call(url, 'GET', '/v2/models/iris/ready')).status, 503);
    assert.match(server.output(), /MODEL_LOAD_DELAY_SECONDS: waiting 600 s/);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });

  it('exits 1 with a clear message on a bad setting', async () => {
    const server = track(startServer({ PORT: 'http' }));
    assert.equal(await server.exited, 1);
    assert.match(server.output(), /PORT must be an integer from 0 to 65535; got 'http'/);
  });

  it('exits 1 when the model cannot be loaded', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'iris-no-model-'));
    temps.push(empty);
    const server = track(startServer({ MODEL_DIR: empty }));
    assert.equal(await server.exited, 1);
    assert.match(server.output(), /model 'iris' failed to load/);
  });
});
