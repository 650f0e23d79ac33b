/**
 * A Docker engine of the test's own: dockerd (the machine's, as root) with its own data root, exec root
 * and socket in a temporary folder, a network bridge of its own and no iptables rules, so it touches
 * nothing of the shared engine. (Not `--bridge none`: a dockerd started so deletes the host's `docker0`
 * (Moby's removeDefaultBridgeInterface), which takes the shared engine's container network away.) It starts empty: no images, no BuildKit build cache: what a fresh agent has. Stopped with
 * SIGTERM (it unmounts its layers) and its folder removed.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
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
  const bridge = createOwnBridge();
  const out = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      'dockerd',
      ['--config-file', path.join(folder, 'daemon.json'), '--data-root', path.join(folder, 'data'), '--exec-root', path.join(folder, 'exec'), '--pidfile', path.join(folder, 'dockerd.pid'),
        '--host', host, '--bridge', bridge, '--iptables=false', '--ip-masq=false'],
      { stdio: ['ignore', out, out] },
    );
  } catch (error) {
    removeBridge(bridge);
    throw error;
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
    removeBridge(bridge);
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

/** A bridge of this engine's own (`lzd` + 6 hex digits) on a free 10.x.y.0/24; returns its name. */
function createOwnBridge(): string {
  const name = `lzd${randomBytes(3).toString('hex')}`;
  const used = execFileSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' }) + execFileSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8' });
  let subnet = '';
  for (let attempt = 0; attempt < 50 && subnet === ''; attempt++) {
    const candidate = `10.${randomInt(200, 250)}.${randomInt(0, 256)}`;
    if (!used.includes(`${candidate}.`)) subnet = candidate;
  }
  if (subnet === '') throw new Error('No free 10.x.y.0/24 for the test dockerd\'s bridge.');
  execFileSync('ip', ['link', 'add', 'name', name, 'type', 'bridge']);
  try {
    execFileSync('ip', ['addr', 'add', `${subnet}.1/24`, 'dev', name]);
    execFileSync('ip', ['link', 'set', name, 'up']);
  } catch (error) {
    removeBridge(name);
    throw error;
  }
  return name;
}

function removeBridge(name: string): void {
  try {
    execFileSync('ip', ['link', 'delete', name], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}
