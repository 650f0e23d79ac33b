import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { ServiceConnection } from '../../emulator/service-connection';
import { agentEnvironment, defaultVariables } from './agent-environment';
import { agentInputs } from './agent-inputs';
import { OutputProcessor } from './output-processor';
import { installTask } from './task-folder';
import type { TaskName, TaskRun } from './task-run';

export type { TaskName, TaskRun } from './task-run';

export interface RunTaskOptions {
  task: TaskName;
  /** By input name or alias as task.json declares it; task.json defaults fill the rest; `$(variable)` macros are expanded. */
  inputs: Record<string, string>;
  connections?: ServiceConnection[];
  variables?: Record<string, string>;
  secretVariables?: Record<string, string>;
  env?: Record<string, string>;
  /** The step's working directory (System.DefaultWorkingDirectory); a fresh empty folder when unset. */
  workingDirectory?: string;
  /** Kills the task after this long (default 10 minutes). */
  timeoutInMs?: number;
  /** Each line as the agent shows it (masked), as it arrives. */
  onLine?: (line: string) => void;
  /** The node binary (default: the one running the harness). */
  nodePath?: string;
}

const DEFAULT_TIMEOUT_IN_MS = 10 * 60_000;

/**
 * Runs a bundled task as the Azure Pipelines agent does: copied alone into an empty folder, started
 * with `node <target>` and the job's environment, its logging commands consumed and its log masked.
 * Builds nothing: call ensureBuilt() (scripts/agent/build-once.ts) first.
 */
export async function runBundledTask(options: RunTaskOptions): Promise<TaskRun> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-run-'));
  try {
    const { folder, script } = installTask(options.task, path.join(root, 'tasks'));
    const agentTempDirectory = makeDirectory(root, '_temp');
    const workingDirectory = options.workingDirectory ?? makeDirectory(root, 's');
    const folders = { workingDirectory, agentTempDirectory, agentWorkFolder: root };
    const variables = { ...defaultVariables(folders), ...options.variables };
    const { env, secrets } = agentEnvironment({
      ...folders,
      inputs: agentInputs(path.join(folder, 'task.json'), options.inputs, { ...variables, ...options.secretVariables }),
      ...(options.connections ? { connections: options.connections } : {}),
      variables,
      ...(options.secretVariables ? { secretVariables: options.secretVariables } : {}),
      env: { ...options.env },
    });
    const debug = (env.SYSTEM_DEBUG ?? '').toLowerCase() === 'true';
    const processor = new OutputProcessor(secrets, { debug, ...(options.onLine ? { onLine: options.onLine } : {}) });
    const outcome = await runNode(options.nodePath ?? process.execPath, script, {
      cwd: workingDirectory,
      env,
      timeoutInMs: options.timeoutInMs ?? DEFAULT_TIMEOUT_IN_MS,
      onLine: (line) => processor.line(line),
    });
    return { ...processor.collected(), ...outcome };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function makeDirectory(root: string, name: string): string {
  const directory = path.join(root, name);
  fs.mkdirSync(directory, { recursive: true });
  return directory;
}

interface NodeOutcome {
  exitCode: number;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** Runs the task's node process in its own process group (killed as a whole at the timeout). */
function runNode(
  nodePath: string,
  script: string,
  options: { cwd: string; env: Record<string, string>; timeoutInMs: number; onLine: (line: string) => void },
): Promise<NodeOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(nodePath, [script], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stdout: string[] = [];
    const stderr: string[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutInMs);
    const streamsDone = [child.stdout, child.stderr].map(
      (stream, index) =>
        new Promise<void>((done) => {
          const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
          lines.on('line', (line) => {
            (index === 0 ? stdout : stderr).push(line);
            options.onLine(line);
          });
          lines.on('close', done);
        }),
    );
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      void Promise.all(streamsDone).then(() =>
        resolve({
          exitCode: code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1),
          timedOut,
          stdout: stdout.join('\n'),
          stderr: stderr.join('\n'),
        }),
      );
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
