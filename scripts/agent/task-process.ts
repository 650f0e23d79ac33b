import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as readline from 'node:readline';
import { type ProcessInfo, listProcesses } from './process-table';

/** src/Agent.Sdk/ProcessInvoker.cs `_defaultSigintTimeout`/`_defaultSigtermTimeout` (knobs PROCESS_SIGINT_TIMEOUT, PROCESS_SIGTERM_TIMEOUT). */
export const SIGINT_TIMEOUT_IN_MS = 7500;
export const SIGTERM_TIMEOUT_IN_MS = 2500;

/**
 * The knobs PROCESS_SIGINT_TIMEOUT and PROCESS_SIGTERM_TIMEOUT (Agent.Sdk/Knob/AgentKnobs.cs: a job variable
 * first, then the agent's environment; milliseconds), read by NodeHandler.cs before it starts the task.
 * A value that is not a whole number leaves the default.
 */
export function cancellationKnobs(variables: Record<string, string>, agentEnvironment: NodeJS.ProcessEnv = process.env): { sigintTimeoutInMs: number; sigtermTimeoutInMs: number } {
  const knob = (name: string, fallback: number): number => {
    const text = (Object.entries(variables).find(([key]) => key.toUpperCase() === name)?.[1] ?? agentEnvironment[name] ?? '').trim();
    return /^\d+$/.test(text) ? Number(text) : fallback;
  };
  return { sigintTimeoutInMs: knob('PROCESS_SIGINT_TIMEOUT', SIGINT_TIMEOUT_IN_MS), sigtermTimeoutInMs: knob('PROCESS_SIGTERM_TIMEOUT', SIGTERM_TIMEOUT_IN_MS) };
}

export interface TaskProcessOptions {
  cwd: string;
  env: Record<string, string>;
  onLine: (line: string) => void;
  /** Aborted when the step is cancelled (job cancel or step timeout). */
  cancellation: AbortSignal;
  /** The job's VSTS_PROCESS_LOOKUP_ID, to find the processes the agent would reap. */
  processLookupId: string;
  sigintTimeoutInMs?: number;
  sigtermTimeoutInMs?: number;
  /**
   * Aborted 5 s after task.complete done=true (ExecutionContext.ForceTaskComplete): if the process still
   * runs, the step ends now (NodeHandler waits for either), its later output is dropped, and the process is
   * left running like any other (the agent ends it at job end through VSTS_PROCESS_LOOKUP_ID).
   */
  forceCompleted?: AbortSignal;
  /** Told when each signal is sent to the task's process, e.g. for the runner's own output. */
  onSignal?: (signal: NodeJS.Signals, pid: number) => void;
}

export interface TaskProcessOutcome {
  exitCode: number;
  /** The signal that ended the cancelled task: SIGINT when it stopped within the SIGINT timeout, and so on. */
  stoppedBy?: NodeJS.Signals;
  stdout: string;
  stderr: string;
  /** Processes of the task's process group, or with its VSTS_PROCESS_LOOKUP_ID, still running after it ended. */
  leftProcesses: ProcessInfo[];
  /** The step ended through task.complete done=true while the process still ran (it is among leftProcesses). */
  forceCompleted?: true;
}

/**
 * Runs the task's node process as ProcessInvoker does and cancels it as ProcessInvoker.cs
 * `CancelAndKillProcessTree` does for a Node handler (killProcessOnCancel: false): SIGINT to the task's
 * process only, up to 7.5 s for it to exit, then SIGTERM, up to 2.5 s, then SIGKILL of that process
 * alone (ProcessInvoker.MacLinux.cs `NixKillProcessTree`). Its children are not signalled: the agent
 * ends them only at job end, and only those that kept VSTS_PROCESS_LOOKUP_ID (JobExtension.cs). The task
 * runs in a process group of its own so that the local agent can find what it left behind.
 */
export function runTaskProcess(nodePath: string, script: string, options: TaskProcessOptions): Promise<TaskProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(nodePath, [script], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stdout: string[] = [];
    const stderr: string[] = [];
    let stoppedBy: NodeJS.Signals | undefined;
    let exited = false;
    const exitWaiters: (() => void)[] = [];
    const waitForExit = (timeoutInMs: number): Promise<boolean> =>
      new Promise((done) => {
        if (exited) return done(true);
        const timer = setTimeout(() => done(false), timeoutInMs);
        exitWaiters.push(() => {
          clearTimeout(timer);
          done(true);
        });
      });
    const signal = (name: NodeJS.Signals): boolean => {
      if (exited || child.pid === undefined) return false;
      try {
        process.kill(child.pid, name);
      } catch {
        return false;
      }
      stoppedBy = name;
      options.onSignal?.(name, child.pid);
      return true;
    };
    const cancel = async (): Promise<void> => {
      if (signal('SIGINT') && (await waitForExit(options.sigintTimeoutInMs ?? SIGINT_TIMEOUT_IN_MS))) return;
      if (signal('SIGTERM') && (await waitForExit(options.sigtermTimeoutInMs ?? SIGTERM_TIMEOUT_IN_MS))) return;
      signal('SIGKILL');
    };
    const onAbort = (): void => void cancel();
    if (options.cancellation.aborted) onAbort();
    else options.cancellation.addEventListener('abort', onAbort, { once: true });

    let forced = false;
    const onForceCompleted = (): void => {
      if (exited || forced) return;
      forced = true;
      options.cancellation.removeEventListener('abort', onAbort);
      void leftProcesses(-1, options.processLookupId, child.pid).then((left) =>
        resolve({ exitCode: 0, forceCompleted: true, stdout: stdout.join('\n'), stderr: stderr.join('\n'), leftProcesses: left }),
      );
    };
    if (options.forceCompleted?.aborted) onForceCompleted();
    else options.forceCompleted?.addEventListener('abort', onForceCompleted, { once: true });

    const streamsDone = [child.stdout, child.stderr].map(
      (stream, index) =>
        new Promise<void>((done) => {
          const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
          lines.on('line', (line) => {
            // NodeHandler.OnDataReceived: output after a forced completion is dropped.
            if (forced) return;
            (index === 0 ? stdout : stderr).push(line);
            options.onLine(line);
          });
          lines.on('close', done);
        }),
    );
    child.on('error', (error) => {
      options.cancellation.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('exit', (code, signalName) => {
      exited = true;
      options.forceCompleted?.removeEventListener('abort', onForceCompleted);
      if (forced) return;
      for (const waiter of exitWaiters.splice(0)) waiter();
      options.cancellation.removeEventListener('abort', onAbort);
      // ProcessInvoker.cs `ProcessExitedHandler`: up to 5 s more for the output streams (a child may hold them).
      const streamsTimeout = new Promise<void>((done) => setTimeout(done, 5000).unref());
      void Promise.race([Promise.all(streamsDone), streamsTimeout])
        .then(() => leftProcesses(child.pid ?? -1, options.processLookupId))
        .then((left) =>
          resolve({
            exitCode: code ?? (signalName ? 128 + (os.constants.signals[signalName] ?? 0) : 1),
            ...(stoppedBy === undefined ? {} : { stoppedBy }),
            stdout: stdout.join('\n'),
            stderr: stderr.join('\n'),
            leftProcesses: left,
          }),
        );
    });
  });
}

/**
 * What the task left running: processes of its process group, or carrying the job's lookup id. Those
 * still ending on their own get up to 2 s (the agent looks at job end, later than this).
 */
async function leftProcesses(taskPid: number, processLookupId: string, processGroup = taskPid): Promise<ProcessInfo[]> {
  const find = (): ProcessInfo[] => listProcesses().filter((p) => p.pid !== taskPid && (p.processGroup === processGroup || p.environment.VSTS_PROCESS_LOOKUP_ID === processLookupId));
  for (let attempt = 0; attempt < 20; attempt++) {
    if (find().length === 0) return [];
    await new Promise((done) => setTimeout(done, 100));
  }
  return find();
}
