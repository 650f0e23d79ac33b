/**
 * Runs a parsed pipeline's job through the local agent (scripts/agent/job.ts) against a local Azure,
 * streaming each step's log as it comes.
 */
import type { LocalAzure } from '../../emulator/index';
import { type JobRun, runJob } from '../agent/job';
import { SIGINT_TIMEOUT_IN_MS, SIGTERM_TIMEOUT_IN_MS } from '../agent/task-process';
import { type ConnectionPlan, withConnectionIds } from './connections';
import { planJob } from './job-plan';
import type { Pipeline } from './model';
import { LogRenderer, type Style, stepFooter, stepHeader } from './render';

export interface LocalRunOptions {
  pipeline: Pipeline;
  connections: ConnectionPlan;
  azure: LocalAzure;
  /** Variables the runner sets (e.g. baseImage), overridden by --var. */
  runnerVariables: Record<string, string>;
  variables: Record<string, string>;
  secrets: Record<string, string>;
  workingDirectory: string;
  style: Style;
  write: (line: string) => void;
  /** Cancels the job as the agent does (Ctrl+C in the runner). */
  cancellation?: AbortSignal;
}

/** What the runner says when the cancellation signals a task, with the agent's timeouts (ProcessInvoker.cs). */
function signalLine(signal: NodeJS.Signals, pid: number): string {
  if (signal === 'SIGINT') return `SIGINT sent to the task (pid ${pid}); it has ${SIGINT_TIMEOUT_IN_MS / 1000} s to end before SIGTERM.`;
  if (signal === 'SIGTERM') return `SIGTERM sent to the task (pid ${pid}) after ${SIGINT_TIMEOUT_IN_MS / 1000} s; it has ${SIGTERM_TIMEOUT_IN_MS / 1000} s more before it is killed.`;
  return `killed the task (pid ${pid}, ${signal}): it did not end ${SIGTERM_TIMEOUT_IN_MS / 1000} s after SIGTERM.`;
}

export async function runPipelineLocally(options: LocalRunOptions): Promise<JobRun> {
  const { pipeline, azure, style, write } = options;
  const withIds = withConnectionIds(pipeline, options.connections, (kind) => azure.connections[kind].id);
  const plan = planJob(withIds, { runnerVariables: options.runnerVariables, variables: options.variables, secrets: options.secrets });
  for (const { name, value, by } of plan.overridden) write(style.dim(`variable ${name} = ${value} (set by ${by})`));
  for (const name of Object.keys(plan.secretVariables)) write(style.dim(`secret variable ${name} = *** (--secret)`));
  const usedKinds = new Set([...options.connections.kinds.values()].map((entry) => entry.kind));
  const stepsByName = new Map(pipeline.steps.map((step, index) => [step.name, { step, index }]));
  let renderer = new LogRenderer(style);
  return runJob(plan.steps, {
    connections: [...usedKinds].map((kind) => azure.connections[kind]),
    variables: plan.variables,
    secretVariables: plan.secretVariables,
    env: azure.agentEnvironment(),
    workingDirectory: options.workingDirectory,
    ...(options.cancellation ? { cancellation: options.cancellation } : {}),
    onSignal: (step, signal, pid) => write(style.yellow(`  step '${step}': ${signalLine(signal, pid)}`)),
    onStepStart: (step) => {
      const entry = stepsByName.get(step.name);
      if (entry) write(stepHeader(entry.step, entry.index, pipeline.steps.length, style));
      renderer = new LogRenderer(style);
    },
    onLine: (_step, line) => {
      for (const rendered of renderer.render(line)) write(`  ${rendered}`);
    },
    onStepEnd: (stepRun) => {
      const entry = stepsByName.get(stepRun.step.name);
      if (stepRun.skipped || !stepRun.run) {
        if (entry) write(stepHeader(entry.step, entry.index, pipeline.steps.length, style));
        write(`  ${stepFooter('Skipped', 0, style, false, options.cancellation?.aborted === true ? 'cancelled' : entry?.step.condition === 'failed' ? 'failed' : 'succeeded')}`);
        return;
      }
      for (const rendered of renderer.finish()) write(`  ${rendered}`);
      const { run } = stepRun;
      const result = run.exitCode !== 0 ? 'Failed' : (run.result ?? 'Succeeded');
      if (run.timedOut) write(`  ${style.red(`The step was cancelled at its timeout (timeoutInMinutes).`)}`);
      write(`  ${stepFooter(result, stepRun.durationInMs, style, result === 'Failed' && stepRun.step.continueOnError === true)}`);
    },
  });
}
