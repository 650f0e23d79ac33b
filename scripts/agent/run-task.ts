import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type StepEnvironmentSpec, agentEnvironment, jobVariables, newProcessLookupId } from './agent-environment';
import { agentInputs } from './agent-inputs';
import { chooseNodeHandler, nodeBinary, nodeKnobs } from './node-handler';
import { OutputProcessor } from './output-processor';
import { ENFORCE_READ_ONLY_VARIABLE, readOnlyAmong } from './read-only-variables';
import { installTask } from './task-folder';
import { cancellationKnobs, runTaskProcess } from './task-process';
import { worstResult } from './task-result';
import type { LeftProcess, TaskName, TaskRun } from './task-run';

export type { TaskName, TaskRun } from './task-run';
export type { AgentProxy } from './agent-environment';

/**
 * One step for the local agent. `inputs` are by input name or alias as task.json declares it; task.json
 * defaults fill the rest and `$(variable)` macros are expanded; the other step fields are as the agent
 * turns them into the task's environment (StepEnvironmentSpec).
 */
export interface RunTaskOptions extends Pick<StepEnvironmentSpec, 'inputs' | 'connections' | 'variables' | 'secretVariables' | 'env' | 'stepEnv' | 'proxy'> {
  task: TaskName;
  /** The step's working directory (System.DefaultWorkingDirectory, where filePath inputs are rooted); a fresh empty folder when unset. */
  workingDirectory?: string;
  /** The step's timeout (default 10 minutes): the task is cancelled then, and the step fails. */
  timeoutInMs?: number;
  /** The job's cancellation (Ctrl+C in the runner): the task is cancelled as the agent cancels it, and the step is Canceled. */
  cancellation?: AbortSignal;
  /** The job's VSTS_PROCESS_LOOKUP_ID (one per job); a fresh one when unset. */
  processLookupId?: string;
  /** The job's task.prependpath folders so far (ExecutionContext.PrependPath), put before PATH as Handler.AddPrependPathToEnvironment does. */
  prependPath?: readonly string[];
  /** Variables earlier steps of the job set with isreadonly=true. */
  readOnlyVariables?: readonly string[];
  /** The agent's PROCESS_SIGINT_TIMEOUT and PROCESS_SIGTERM_TIMEOUT knobs (7500 and 2500 ms; else read from the job's variables, then the environment). */
  sigintTimeoutInMs?: number;
  sigtermTimeoutInMs?: number;
  /** Each line as the agent shows it (masked), as it arrives. */
  onLine?: (line: string) => void;
  /** Told when the cancellation sends a signal to the task's process (the agent traces it in its diagnostic log, not the job's). */
  onSignal?: (signal: NodeJS.Signals, pid: number) => void;
}

const DEFAULT_TIMEOUT_IN_MS = 10 * 60_000;
/** ExecutionContext.ForceTaskComplete: 'Force finish current task in 5 sec.' */
export const FORCE_COMPLETE_AFTER_IN_MS = 5000;

/**
 * Runs a bundled task as the Azure Pipelines agent does: copied alone into an empty folder, started
 * with the Node of the handler the agent picks and the job's environment, its logging commands
 * consumed and its log masked, cancelled as the agent cancels it. Builds nothing: call ensureBuilt()
 * (scripts/agent/build-once.ts) first.
 */
export async function runBundledTask(options: RunTaskOptions): Promise<TaskRun> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-run-'));
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.timeoutInMs ?? DEFAULT_TIMEOUT_IN_MS);
  try {
    const { folder, taskJson } = installTask(options.task, path.join(root, 'tasks'));
    const agentTempDirectory = makeDirectory(root, '_temp');
    const workingDirectory = options.workingDirectory ?? makeDirectory(root, 's');
    const processLookupId = options.processLookupId ?? newProcessLookupId();
    const spec = {
      workingDirectory,
      agentTempDirectory,
      agentWorkFolder: root,
      ...(options.connections ? { connections: options.connections } : {}),
      ...(options.variables ? { variables: options.variables } : {}),
      ...(options.secretVariables ? { secretVariables: options.secretVariables } : {}),
      env: { ...options.env },
      ...(options.stepEnv ? { stepEnv: options.stepEnv } : {}),
      ...(options.proxy ? { proxy: options.proxy } : {}),
      processLookupId,
    };
    const variables = jobVariables(spec);
    const inputs = agentInputs(path.join(folder, 'task.json'), options.inputs, { ...variables, ...options.secretVariables }, variables['System.DefaultWorkingDirectory'] ?? workingDirectory);
    const { env, masker } = agentEnvironment({ ...spec, inputs });
    if (options.prependPath !== undefined && options.prependPath.length > 0) {
      // The last prepended folder comes first; the agent's own PATH follows.
      env.PATH = [...[...options.prependPath].reverse(), ...(env.PATH ?? process.env.PATH ?? '').split(path.delimiter)].filter((entry) => entry !== '').join(path.delimiter);
    }
    const jobVariableNames = [...Object.keys(variables), ...Object.keys(options.secretVariables ?? {})];
    const enforceReadOnly = Object.entries(variables).some(([name, value]) => name.toLowerCase() === ENFORCE_READ_ONLY_VARIABLE && value.trim().toLowerCase() === 'true');
    const choice = chooseNodeHandler(taskJson.execution, nodeKnobs(variables));
    const node = nodeBinary(choice.nodeMajor);
    const debug = (env.SYSTEM_DEBUG ?? '').toLowerCase() === 'true';
    // ExecutionContext.ForceTaskComplete: 5 s after task.complete done=true the step may end without the process.
    const forceCompleted = new AbortController();
    let forceTimer: NodeJS.Timeout | undefined;
    const processor = new OutputProcessor(masker, {
      onDone: () => {
        forceTimer ??= setTimeout(() => forceCompleted.abort(), FORCE_COMPLETE_AFTER_IN_MS);
      },
      debug,
      outputVariables: (taskJson.outputVariables ?? []).map((variable) => variable.name),
      readOnlyVariables: readOnlyAmong(jobVariableNames, options.readOnlyVariables ?? []),
      enforceReadOnlyVariables: enforceReadOnly,
      ...(options.onLine ? { onLine: options.onLine } : {}),
    });
    const cancellation = options.cancellation ? AbortSignal.any([options.cancellation, timeout.signal]) : timeout.signal;
    const outcome = await runTaskProcess(node.path, path.join(folder, choice.target), {
      cwd: variables['System.DefaultWorkingDirectory'] ?? workingDirectory,
      env,
      onLine: (line) => processor.line(line),
      cancellation,
      processLookupId,
      ...cancellationKnobs(variables),
      ...(options.sigintTimeoutInMs === undefined ? {} : { sigintTimeoutInMs: options.sigintTimeoutInMs }),
      ...(options.sigtermTimeoutInMs === undefined ? {} : { sigtermTimeoutInMs: options.sigtermTimeoutInMs }),
      ...(options.onSignal ? { onSignal: options.onSignal } : {}),
      forceCompleted: forceCompleted.signal,
    }).finally(() => clearTimeout(forceTimer));
    if (outcome.forceCompleted) processor.debug('The task was marked as "done", but the process has not closed after 5 seconds. Treating the task as complete.');
    const cancelled = options.cancellation?.aborted ?? false;
    const timedOut = !cancelled && timeout.signal.aborted;
    const leftProcesses = reportLeftProcesses(outcome.leftProcesses, processLookupId, (line) => processor.warn(line));
    if (timedOut) processor.error('The task has timed out.');
    else if (!cancelled && outcome.exitCode !== 0) processor.error(`Exit code ${outcome.exitCode} returned from process: file name '${node.path}', arguments '"${path.join(folder, choice.target)}"'.`);
    const collected = processor.collected();
    return {
      ...collected,
      result: stepResult(collected.taskResult, collected.commandErrors.length > 0, { cancelled, timedOut, exitCode: outcome.exitCode }),
      exitCode: outcome.exitCode,
      timedOut,
      cancelled,
      ...(outcome.stoppedBy === 'SIGINT' || outcome.stoppedBy === 'SIGTERM' || outcome.stoppedBy === 'SIGKILL' ? { stoppedBy: outcome.stoppedBy } : {}),
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      leftProcesses,
      node: { handler: choice.handler, path: node.path, version: node.version },
    };
  } finally {
    clearTimeout(timer);
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * src/Agent.Worker/StepsRunner.cs `RunStepAsync`: a cancelled job's step is Canceled, a timed-out step
 * Failed ('The task has timed out.'), a non-zero exit code fails it (NodeHandler runs with
 * requireExitCodeZero), refused commands merge Failed in (CommandResult), no result at all is Succeeded.
 */
function stepResult(
  taskResult: TaskRun['taskResult'],
  commandFailed: boolean,
  ending: { cancelled: boolean; timedOut: boolean; exitCode: number },
): TaskRun['result'] {
  if (ending.cancelled) return 'Canceled';
  if (ending.timedOut || ending.exitCode !== 0) return 'Failed';
  const merged = commandFailed ? worstResult(taskResult, 'Failed') : taskResult;
  return merged === 'Skipped' || merged === 'Abandoned' ? 'Canceled' : (merged ?? 'Succeeded');
}

/**
 * What the task left running, reported and then ended: the agent's orphan clean-up (JobExtension.cs
 * `FinalizeJob`) would end those with the job's VSTS_PROCESS_LOOKUP_ID; the others it would leave running
 * on the agent, so each is reported as leaked. The local agent ends both (SIGKILL) to keep the machine clean.
 */
function reportLeftProcesses(left: readonly { pid: number; command: string; environment: { VSTS_PROCESS_LOOKUP_ID?: string } }[], processLookupId: string, warn: (line: string) => void): LeftProcess[] {
  return left.map((process_) => {
    const tracked = process_.environment.VSTS_PROCESS_LOOKUP_ID === processLookupId;
    warn(
      tracked
        ? `The task left process ${process_.pid} (${process_.command.slice(0, 200)}) running; the agent ends it at the end of the job.`
        : `The task leaked process ${process_.pid} (${process_.command.slice(0, 200)}): it runs without VSTS_PROCESS_LOOKUP_ID, so the agent would leave it running after the job.`,
    );
    try {
      process.kill(process_.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    return { pid: process_.pid, command: process_.command, tracked };
  });
}

function makeDirectory(root: string, name: string): string {
  const directory = path.join(root, name);
  fs.mkdirSync(directory, { recursive: true });
  return directory;
}
