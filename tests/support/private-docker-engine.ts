/**
 * A Docker engine of the test's own: dockerd (the machine's, as root) with its own data root, exec root
 * and socket in a temporary folder, no bridge and no iptables rules, so it touches nothing of the shared
 * engine. It starts empty: no images, no BuildKit build cache: what a fresh agent has. Stopped with
 * SIGTERM (it unmounts its layers) and its folder removed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { docker } from './docker-cli';
import { eventually } from './eventually';

export interface PrivateDockerEngine {
  /** DOCKER_HOST for the docker CLI and the tasks. */
  readonly env: { DOCKER_HOST: string };
  /** The engine's log (dockerd's own output), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export async function startPrivateDockerEngine(): Promise<PrivateDockerEngine> {
  // Short: the containerd socket under the exec root must fit a unix socket path (108 bytes).
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-dockerd-'));
  const logFile = path.join(folder, 'dockerd.log');
  fs.writeFileSync(path.join(folder, 'daemon.json'), '{}\n');
  const host = `unix://${path.join(folder, 'docker.sock')}`;
  const out = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      'dockerd',
      ['--config-file', path.join(folder, 'daemon.json'), '--data-root', path.join(folder, 'data'), '--exec-root', path.join(folder, 'exec'), '--pidfile', path.join(folder, 'dockerd.pid'),
        '--host', host, '--bridge', 'none', '--iptables=false', '--ip-masq=false'],
      { stdio: ['ignore', out, out] },
    );
  } finally {
    fs.closeSync(out);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', () => undefined);
  const log = (): string => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '');
  const env = { DOCKER_HOST: host };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000))]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    try {
      fs.rmSync(folder, { recursive: true, force: true });
    } catch (error) {
      throw new Error(`The test's dockerd left ${folder} behind (${error instanceof Error ? error.message : String(error)}).`);
    }
  };
  try {
    await eventually(
      `the test's own dockerd on ${host}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode} (it needs root): ${log()}`);
        return (await docker(['version', '--format', '{{.Server.Version}}'], { env: { ...process.env, ...env }, timeoutMs: 10_000 }).catch(() => '')).trim() || undefined;
      },
      { timeoutInMs: 60_000, intervalInMs: 250, lastSeen: log },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { env, log, stop };
}
