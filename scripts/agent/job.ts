import type { ServiceConnection } from '../../emulator/service-connection';
import { type AgentProxy, newProcessLookupId } from './agent-environment';
import { expandMacros } from './agent-inputs';
import { type RunTaskOptions, runBundledTask } from './run-task';
import { SecretMasker } from './secret-masker';
import type { TaskName, TaskRun } from './task-run';

/** One step of a job: a task with its inputs, which may use `$(variable)` macros like a pipeline. */
export interface JobStep {
  /** The step's name (YAML `name:`), which prefixes its output variables: `$(<name>.<variable>)`. */
  name: string;
  task: TaskName;
  inputs: Record<string, string>;
  /** The step's YAML `env:` (the agent's own variables override it). */
  env?: Record<string, string>;
  timeoutInMs?: number;
  /**
   * When the step runs, as the agent evaluates YAML `condition:` (azure-pipelines-agent
   * src/Agent.Worker/StepsRunner.cs): `succeeded` (the default) while no earlier step failed, `always`
   * whatever happened, `failed` only once an earlier step failed.
   */
  condition?: 'succeeded' | 'always' | 'failed';
  /** A failure of this step does not fail the job: the job ends SucceededWithIssues (YAML `continueOnError: true`). */
  continueOnError?: boolean;
}

export interface JobOptions {
  connections?: ServiceConnection[];
  variables?: Record<string, string>;
  secretVariables?: Record<string, string>;
  /** The agent machine's environment and the job's facts (see RunTaskOptions.env). */
  env?: Record<string, string>;
  proxy?: AgentProxy;
  workingDirectory?: string;
  /**
   * Cancels the job (Ctrl+C in the runner): the running step is cancelled as the agent cancels it
   * (SIGINT, 7.5 s, SIGTERM, 2.5 s, SIGKILL) and ends Canceled; later steps are skipped unless they run always().
   */
  cancellation?: AbortSignal;
  /** Each line of a step as the agent shows it, masked with every secret the job knows so far. */
  onLine?: (step: string, line: string) => void;
  /** Told when the cancellation sends a signal to a step's task process. */
  onSignal?: (step: string, signal: NodeJS.Signals, pid: number) => void;
  /** Called when a step starts (not for skipped steps), with its inputs after macro expansion. */
  onStepStart?: (step: JobStep, inputs: Record<string, string>) => void;
  /** Called when a step ends or is skipped. */
  onStepEnd?: (stepRun: JobStepRun) => void;
}

export interface JobStepRun {
  step: JobStep;
  /** The step's inputs after macro expansion (task.json defaults not included). */
  inputs: Record<string, string>;
  run?: TaskRun;
  skipped: boolean;
  /** Wall time of the step (0 when skipped). */
  durationInMs: number;
}

export interface JobRun {
  steps: JobStepRun[];
  /** Canceled when the job was cancelled; Failed when any step failed. */
  result: 'Succeeded' | 'SucceededWithIssues' | 'Failed' | 'Canceled';
  /** The job's variables at the end, output variables as `<step>.<name>`. */
  variables: Record<string, string>;
  /** The log of all steps, masked with every secret known by the end of the job. */
  log: string;
}

/**
 * Runs steps in sequence as one agent job: a step's variables reach the later steps (plain ones as
 * variables, output ones as `<step>.<name>` and env `<STEP>_<NAME>`), secrets stay masked across steps.
 */
export async function runJob(steps: JobStep[], options: JobOptions = {}): Promise<JobRun> {
  const variables: Record<string, string> = { ...options.variables };
  const secretVariables: Record<string, string> = { ...options.secretVariables };
  const masker = new SecretMasker();
  const processLookupId = newProcessLookupId();
  const runs: JobStepRun[] = [];
  // ExecutionContext.PrependPath and the variables set with isreadonly=true: job-wide, for the later steps.
  const prependPath: string[] = [];
  const readOnlyVariables = new Set<string>();
  const logs: string[] = [];
  let failed = false;
  let withIssues = false;
  for (const step of steps) {
    const known = { ...variables, ...secretVariables };
    const inputs = Object.fromEntries(Object.entries(step.inputs).map(([name, value]) => [name, expandMacros(value, known)]));
    const condition = step.condition ?? 'succeeded';
    // After a cancel only always() steps run (succeeded() and failed() are both false then).
    const cancelled = options.cancellation?.aborted === true;
    if (cancelled ? condition !== 'always' : condition === 'succeeded' ? failed : condition === 'failed' ? !failed : false) {
      const skippedRun: JobStepRun = { step, inputs, skipped: true, durationInMs: 0 };
      runs.push(skippedRun);
      options.onStepEnd?.(skippedRun);
      continue;
    }
    const runOptions: RunTaskOptions = {
      task: step.task,
      inputs,
      variables: { ...variables },
      secretVariables: { ...secretVariables },
      ...(options.env ? { env: options.env } : {}),
      stepEnv: Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, expandMacros(value, known)])),
      ...(options.proxy ? { proxy: options.proxy } : {}),
      processLookupId,
      prependPath: [...prependPath],
      readOnlyVariables: [...readOnlyVariables],
      ...(options.cancellation && condition !== 'always' ? { cancellation: options.cancellation } : {}),
      ...(options.connections ? { connections: options.connections } : {}),
      ...(options.workingDirectory ? { workingDirectory: options.workingDirectory } : {}),
      ...(step.timeoutInMs ? { timeoutInMs: step.timeoutInMs } : {}),
      ...(options.onLine ? { onLine: (line: string) => options.onLine?.(step.name, masker.mask(line)) } : {}),
      ...(options.onSignal ? { onSignal: (signal: NodeJS.Signals, pid: number) => options.onSignal?.(step.name, signal, pid) } : {}),
    };
    options.onStepStart?.(step, inputs);
    const startedAt = performance.now();
    const run = await runBundledTask(runOptions);
    const stepRun: JobStepRun = { step, inputs, run, skipped: false, durationInMs: performance.now() - startedAt };
    runs.push(stepRun);
    for (const secret of run.secrets) masker.add(secret);
    logs.push(`##[section]Starting: ${step.name}`, run.log, `##[section]Finishing: ${step.name}`);
    for (const folder of run.prependPath) {
      if (prependPath.includes(folder)) prependPath.splice(prependPath.indexOf(folder), 1);
      prependPath.push(folder);
    }
    for (const [name, variable] of Object.entries(run.variables)) {
      if (variable.isReadOnly) readOnlyVariables.add(variable.isOutput ? `${step.name}.${name}` : name);
      const target = variable.isSecret ? secretVariables : variables;
      target[variable.isOutput ? `${step.name}.${name}` : name] = variable.value;
    }
    const stepFailed = run.result === 'Failed' || run.result === 'Canceled';
    if (stepFailed && step.continueOnError) withIssues = true;
    else if (stepFailed) failed = true;
    if (run.result === 'SucceededWithIssues') withIssues = true;
    options.onStepEnd?.(stepRun);
  }
  return {
    steps: runs,
    result: options.cancellation?.aborted === true ? 'Canceled' : failed ? 'Failed' : withIssues ? 'SucceededWithIssues' : 'Succeeded',
    variables,
    log: masker.mask(logs.join('\n')),
  };
}
