/**
 * One Debian `docker-registry` (the distribution registry) per registry, listening on a UNIX socket in a
 * private folder (only the https front reaches it), storing blobs in the instance's temp folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface RegistryProcess {
  socketPath: string;
  storageDirectory: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_IN_MS = 20_000;

function registryConfig(storageDirectory: string, socketPath: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storageDirectory)}`,
    '  delete:',
    '    enabled: true',
    '  cache:',
    '    blobdescriptor: inmemory',
    'http:',
    '  net: unix',
    `  addr: ${JSON.stringify(socketPath)}`,
    '  headers:',
    '    X-Content-Type-Options: [nosniff]',
    '',
  ].join('\n');
}

function probe(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/v2/', method: 'GET', timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function waitUntilReady(child: ChildProcess, socketPath: string, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_IN_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with code ${child.exitCode}: ${output().trim()}`);
    if (await probe(socketPath)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not answer on ${socketPath} within ${READY_TIMEOUT_IN_MS} ms: ${output().trim()}`);
}

export async function startRegistryProcess(directory: string, executable = 'docker-registry'): Promise<RegistryProcess> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const storageDirectory = join(directory, 'storage');
  const socketPath = join(directory, 'registry.sock');
  const configPath = join(directory, 'config.yml');
  await mkdir(storageDirectory, { recursive: true, mode: 0o700 });
  await writeFile(configPath, registryConfig(storageDirectory, socketPath), { mode: 0o600 });

  const child = spawn(executable, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const spawnFailure = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`Could not start '${executable}': ${error.message}. Install Debian's docker-registry package.`)));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await Promise.race([waitUntilReady(child, socketPath, () => output), spawnFailure]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { socketPath, storageDirectory, stop };
}
