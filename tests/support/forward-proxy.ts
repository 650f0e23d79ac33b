/**
 * A real forward proxy for tests: Debian's tinyproxy on 127.0.0.1 (installed by .ci/run), with Basic
 * proxy authentication and an access log of every request (CONNECT host:port for https, the absolute URL
 * for http). Started in the foreground as a child of the test and stopped by its process id.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ForwardProxy {
  /** http://127.0.0.1:<port>, without credentials (what the agent's .proxy file holds). */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** The requests tinyproxy logged since the last clearLog(): 'CONNECT host:port' or 'GET http://...'. */
  requests(): string[];
  clearLog(): void;
  stop(): Promise<void>;
}

export function requireTinyproxy(): void {
  if (spawnSync('tinyproxy', ['-v'], { encoding: 'utf8' }).error !== undefined) {
    throw new Error('tinyproxy is missing: install Debian\'s tinyproxy (apt-get install tinyproxy; .ci/run does).');
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, deadlineInMs: number): Promise<void> {
  const until = Date.now() + deadlineInMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`tinyproxy did not listen on 127.0.0.1:${port} in time.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  requireTinyproxy();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'forward-proxy-'));
  const port = await freePort();
  const username = 'agent-proxy-user';
  const password = `proxy-${randomBytes(9).toString('hex')}`;
  const logFile = path.join(folder, 'access.log');
  const config = path.join(folder, 'tinyproxy.conf');
  fs.writeFileSync(
    config,
    [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 120', `LogFile "${logFile}"`, 'LogLevel Connect', 'MaxClients 100', 'Allow 127.0.0.1', `BasicAuth ${username} ${password}`, 'DisableViaHeader Yes', ''].join('\n'),
    { mode: 0o600 },
  );
  const child: ChildProcess = spawn('tinyproxy', ['-d', '-c', config], { stdio: 'ignore' });
  await waitForPort(port, 15_000);
  const read = (): string => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  let offset = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    username,
    password,
    requests: () =>
      read()
        .slice(offset)
        .split('\n')
        .map((line) => /Request \(file descriptor \d+\): (\S+ \S+)/.exec(line)?.[1])
        .filter((request): request is string => request !== undefined),
    clearLog: () => {
      offset = read().length;
    },
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
