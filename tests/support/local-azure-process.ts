/**
 * Runs `npm run local-azure` as a user does (own process group, like a terminal job), waits for its
 * ready output and parses it: instance id, endpoints, login servers, the service connections JSON and
 * the printed ENDPOINT_* lines. Used by the CLI test and by the start-up benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ServiceConnection } from '../../emulator/service-connection';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');
const READY_LINE = 'Press Ctrl+C to stop.';

export interface LocalAzureOutput {
  instanceId: string;
  readyInMs: number;
  armUrl: string;
  caCertificatePath: string;
  loginServers: string[];
  connections: ServiceConnection[];
  /** NAME=value lines printed after the JSON (agent and job environment). */
  variables: Map<string, string>;
  /** The printed Azure CLI set-up: the `export` line's variables and each `az` line's arguments. */
  azureCli: { environment: Map<string, string>; commands: string[][] };
}

export interface LocalAzureProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
}

export function spawnLocalAzure(args: readonly string[] = []): LocalAzureProcess {
  const child = spawn('npm', ['run', '--silent', 'local-azure', ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: REPOSITORY_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function waitUntilReady(process: LocalAzureProcess, timeoutInMs: number): Promise<LocalAzureOutput> {
  const deadline = Date.now() + timeoutInMs;
  let exitedWith: number | string | undefined;
  void process.exited.then((code) => (exitedWith = code));
  while (!process.stdout().includes(READY_LINE)) {
    if (exitedWith !== undefined) throw new Error(`npm run local-azure exited (${exitedWith}) before it was ready:\n${process.stderr()}`);
    if (Date.now() > deadline) throw new Error(`npm run local-azure was not ready within ${timeoutInMs} ms:\n${process.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return parseOutput(process.stdout());
}

function field(text: string, pattern: RegExp, what: string): string {
  const value = pattern.exec(text)?.[1];
  if (value === undefined) throw new Error(`The output of npm run local-azure has no ${what}:\n${text}`);
  return value;
}

export function parseOutput(text: string): LocalAzureOutput {
  const jsonStart = text.indexOf('\n[\n');
  const jsonEnd = text.indexOf('\n]\n', jsonStart);
  if (jsonStart < 0 || jsonEnd < 0) throw new Error(`The output of npm run local-azure has no service connections JSON:\n${text}`);
  const connections = JSON.parse(text.slice(jsonStart + 1, jsonEnd + 2)) as ServiceConnection[];
  const variables = new Map<string, string>();
  for (const line of text.slice(jsonEnd + 2).split('\n')) {
    const match = /^([A-Z][A-Z0-9_a-f-]*)=(.*)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    variables.set(match[1], match[2].startsWith('"') ? (JSON.parse(match[2]) as string) : match[2]);
  }
  return {
    instanceId: field(text, /Local Azure ([0-9a-f]+) is ready/, 'instance id'),
    readyInMs: Number(field(text, /is ready \((\d+) ms\)/, 'ready time')),
    armUrl: field(text, /^Resource Manager\s+(\S+)$/m, 'Resource Manager URL'),
    caCertificatePath: field(text, /^CA certificate\s+(\S+)$/m, 'CA certificate'),
    loginServers: [...text.matchAll(/^Registry\s+\S+\s+login server (\S+)/gm)].map((match) => match[1] ?? ''),
    connections,
    variables,
    azureCli: parseAzureCliLines(text),
  };
}

function unquote(word: string): string {
  return word.startsWith('"') ? (JSON.parse(word) as string) : word;
}

/** `export A=x B=y` and `az ...` lines (words without spaces, JSON-quoted when they need quotes). */
function parseAzureCliLines(text: string): { environment: Map<string, string>; commands: string[][] } {
  const environment = new Map<string, string>();
  const commands: string[][] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('export ')) {
      for (const pair of line.slice('export '.length).split(' ')) {
        const at = pair.indexOf('=');
        if (at > 0) environment.set(pair.slice(0, at), unquote(pair.slice(at + 1)));
      }
    } else if (line.startsWith('az ')) {
      commands.push(line.split(' ').slice(1).map(unquote));
    }
  }
  return { environment, commands };
}

/** Sends `signal` to the npm process only (what a supervisor does), or to its whole group (a terminal's Ctrl+C). */
export function signal(process: LocalAzureProcess, name: NodeJS.Signals, target: 'npm' | 'group'): void {
  const pid = process.child.pid;
  if (pid === undefined) throw new Error('npm run local-azure has no pid.');
  globalThis.process.kill(target === 'group' ? -pid : pid, name);
}
