/**
 * Debian's docker-registry on 127.0.0.1 without auth, for the Docker-backed tests that call the ACI
 * routes directly (before the local Azure's registry front is involved). Docker treats 127.0.0.0/8
 * registries as insecure, so plain http works.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from './test-image';
import { eventually } from '../../support/eventually';

export interface PlainRegistry {
  loginServer: string;
  push(localImage: string, repository: string, tag: string): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPlainRegistry(): Promise<PlainRegistry> {
  const folder = await mkdtemp(join(tmpdir(), 'lazure-aci-registry-'));
  const port = await freePort();
  const config = join(folder, 'config.yml');
  await writeFile(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(folder, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child: ChildProcess = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: 'ignore' });
  const loginServer = `127.0.0.1:${port}`;
  const pushed: string[] = [];
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    for (const image of pushed) await docker(['image', 'rm', '-f', image]).catch(() => '');
    await rm(folder, { recursive: true, force: true });
  };
  await eventually('docker-registry to answer (is Debian docker-registry installed?)', async () => ((await fetch(`http://${loginServer}/v2/`).then((r) => r.ok, () => false)) ? true : undefined), { timeoutInMs: 10_000 }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return {
    loginServer,
    async push(localImage, repository, tag) {
      const target = `${loginServer}/${repository}:${tag}`;
      await docker(['tag', localImage, target]);
      pushed.push(target);
      await docker(['push', '-q', target]);
      return target;
    },
    stop,
  };
}
