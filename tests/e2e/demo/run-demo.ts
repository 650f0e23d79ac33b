/** Runs `node --import tsx scripts/demo.ts` (what `npm start` runs) as a user would, collecting its output. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface DemoRun {
  code: number | null;
  output: string;
}

export interface DemoOptions {
  /**
   * Each output line as it comes, with a way to press Ctrl+C: SIGINT to the runner's whole process group,
   * as a terminal sends it (the runner then runs in a process group of its own).
   */
  onLine?: (line: string, pressCtrlC: () => void) => void;
}

export function runDemo(args: string[], timeoutInMs: number, env: Record<string, string> = {}, options: DemoOptions = {}): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const detached = options.onLine !== undefined;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached });
    const chunks: Buffer[] = [];
    const pressCtrlC = (): void => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
    };
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (!options.onLine) return;
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line, pressCtrlC);
    });
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(() => (detached && child.pid !== undefined ? process.kill(-child.pid, 'SIGKILL') : child.kill('SIGTERM')), timeoutInMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}
