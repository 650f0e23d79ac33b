import { spawn } from 'node:child_process';
import { CancelledError, type Cancellation } from '../cancellation';
import { TaskError } from '../errors';
import type { TaskLog } from '../task-runtime';

export interface DockerProcessResult {
  exitCode: number;
  stdout: string;
  /** At most the last 64 KiB. */
  stderr: string;
}

export interface DockerProcessOptions {
  env: NodeJS.ProcessEnv;
  timeoutInMs: number;
  /** Stream output, neutralised, into the log (otherwise only captured). */
  log?: TaskLog;
  /** On cancellation docker gets SIGINT (a build or push stops and the engine removes its build container), SIGKILL 3 s later. */
  cancellation?: Cancellation;
}

/** How long docker has after SIGINT before SIGKILL. */
const DOCKER_STOP_GRACE_IN_MS = 3000;

const MAX_CAPTURE = 64 * 1024;

/**
 * Environment variables a child process never inherits: the task's inputs, connections and secrets.
 * VSTS_PROCESS_LOOKUP_ID stays: the agent ends the job's leftover processes by it (JobExtension.cs).
 */
const PRIVATE_VARIABLE = /^(INPUT_|ENDPOINT_|SECRET_|SYSTEM_ACCESSTOKEN$|SYSTEM_OIDCREQUESTURI$|VSTS_(?!PROCESS_LOOKUP_ID$)|AZURE_CLIENT_SECRET$|AZURE_FEDERATED_TOKEN|DOCKER_CONFIG$)/i;

/** The task's environment, less everything private; what every docker process starts from. */
export function childEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !PRIVATE_VARIABLE.test(key)) env[key] = value;
  }
  return env;
}

/** Runs `docker <args>` (an argument array, no shell), capturing and optionally streaming its output. */
export function runDockerProcess(dockerPath: string, args: readonly string[], options: DockerProcessOptions): Promise<DockerProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(dockerPath, [...args], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
    const outStream = options.log?.foreignStream();
    const errStream = options.log?.foreignStream();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, options.timeoutInMs);
    const cancellation = options.cancellation;
    let killTimer: NodeJS.Timeout | undefined;
    const onCancel = (): void => {
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), DOCKER_STOP_GRACE_IN_MS);
    };
    const unregister = cancellation?.onForcedExit(() => child.kill('SIGKILL'));
    if (cancellation?.signal.aborted) onCancel();
    else cancellation?.signal.addEventListener('abort', onCancel, { once: true });
    const settle = (): void => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      unregister?.();
      cancellation?.signal.removeEventListener('abort', onCancel);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout = keepTail(stdout + chunk.toString('utf8'), 4 * MAX_CAPTURE);
      outStream?.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = keepTail(stderr + chunk.toString('utf8'), MAX_CAPTURE);
      errStream?.write(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      settle();
      if (error.code === 'ENOENT') {
        reject(
          new TaskError(
            `The docker command was not found on this agent ('${dockerPath}' is not on PATH). ` +
              'Install Docker on the agent, or use an agent that has Docker (for example the Microsoft-hosted ubuntu-latest image).',
          ),
        );
      } else {
        reject(new TaskError(`Could not start docker: ${error.message}`));
      }
    });
    child.on('close', (code, signal) => {
      settle();
      outStream?.end();
      errStream?.end();
      if (cancellation?.signal.aborted) {
        cancellation.noteCleanup(`the docker ${args[0] ?? ''} command was stopped`);
        reject(new CancelledError(`docker ${args[0] ?? ''} was stopped by the cancellation.`));
        return;
      }
      if (timedOut) {
        reject(new TaskError(`docker ${args[0] ?? ''} did not finish within ${Math.round(options.timeoutInMs / 1000)} s and was stopped.`));
        return;
      }
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

function keepTail(text: string, max: number): string {
  return text.length <= max ? text : text.slice(text.length - max);
}
