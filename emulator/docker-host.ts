/**
 * Makes sure the Docker engine (Debian `docker.io`) and the registry (Debian `docker-registry`) are there
 * and the engine runs: installs the packages with apt-get when missing and running as root, reuses a
 * running dockerd, or starts one in the background and waits for `docker info`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, constants, open } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);
const DEBIAN_PACKAGES = ['docker.io', 'docker-registry'];
const ENGINE_START_TIMEOUT_IN_MS = 60_000;

/** A further Debian package a caller needs (e.g. the tests' busybox-static), and how to tell it is there. */
export interface DebianPackage {
  name: string;
  installed(): Promise<boolean>;
}

/** True when dpkg says the package is installed. */
export async function dpkgInstalled(name: string): Promise<boolean> {
  try {
    const { stdout } = await run('dpkg-query', ['--show', '--showformat=${Status}', name]);
    return stdout.trim() === 'install ok installed';
  } catch {
    return false;
  }
}

export interface DockerHost {
  /** True when this process started dockerd (it stops it again). */
  startedEngine: boolean;
  stop(): Promise<void>;
}

async function onPath(command: string): Promise<boolean> {
  const directories = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']);
  for (const directory of directories) {
    try {
      await access(join(directory, command), constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

async function engineAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

const isRoot = (): boolean => process.getuid?.() === 0;

async function aptGet(args: string[], log: (line: string) => void): Promise<void> {
  log(`apt-get ${args.join(' ')}`);
  await run('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
}

async function ensurePackages(log: (line: string) => void, extra: readonly DebianPackage[]): Promise<void> {
  const missing: string[] = [];
  if (!(await onPath('dockerd')) || !(await onPath('docker'))) missing.push('docker.io');
  if (!(await onPath('docker-registry'))) missing.push('docker-registry');
  for (const pkg of extra) if (!(await pkg.installed())) missing.push(pkg.name);
  if (missing.length === 0) return;
  if (!isRoot()) {
    const all = [...DEBIAN_PACKAGES, ...extra.map((pkg) => pkg.name)];
    throw new Error(`The local Azure needs Debian's ${missing.join(' and ')} package(s), which are not installed. Install them with: sudo apt-get install -y ${all.join(' ')}`);
  }
  const install = ['install', '-y', '--no-install-recommends', ...missing];
  try {
    await aptGet(install, log);
  } catch {
    await aptGet(['update'], log);
    await aptGet(install, log);
  }
}

async function startEngine(log: (line: string) => void): Promise<ChildProcess> {
  if (!isRoot()) throw new Error('The Docker engine is not running and only root can start it. Start it (e.g. `sudo service docker start`) and try again.');
  const logPath = join(tmpdir(), 'local-azure-dockerd.log');
  log(`starting dockerd (log: ${logPath})`);
  const logFile = await open(logPath, 'a');
  const child = spawn('dockerd', [], { stdio: ['ignore', logFile.fd, logFile.fd], detached: false });
  await logFile.close();
  const deadline = Date.now() + ENGINE_START_TIMEOUT_IN_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dockerd exited with code ${child.exitCode}; see ${logPath}.`);
    if (await engineAnswers()) return child;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`dockerd did not answer within ${ENGINE_START_TIMEOUT_IN_MS / 1000} s; see ${logPath}.`);
}

export async function ensureDockerHost(log: (line: string) => void, extraPackages: readonly DebianPackage[] = []): Promise<DockerHost> {
  await ensurePackages(log, extraPackages);
  if (await engineAnswers()) return { startedEngine: false, stop: () => Promise.resolve() };
  const engine = await startEngine(log);
  return {
    startedEngine: true,
    async stop() {
      if (engine.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => engine.once('exit', () => resolve()));
      engine.kill('SIGTERM');
      await exited;
    },
  };
}
