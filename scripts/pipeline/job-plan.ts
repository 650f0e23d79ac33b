/**
 * Turns a parsed pipeline into the job the local agent runs (scripts/agent/job.ts): its variables, in
 * the order they win, and one JobStep per task step.
 */
import { expandMacros } from '../agent/agent-inputs';
import type { JobStep } from '../agent/job';
import type { Pipeline } from './model';

export interface JobPlan {
  steps: JobStep[];
  variables: Record<string, string>;
  secretVariables: Record<string, string>;
  /** Variables the runner set or --var overrode, for the run's header. */
  overridden: { name: string; value: string; by: 'runner' | '--var' }[];
}

/**
 * Variables: the YAML's (pipeline, then job), overridden by the runner's (e.g. `baseImage`, the local
 * registry's base image), overridden by --var. Values that use other variables (`1.0.$(Build.BuildId)`)
 * are expanded once the job's variables are known, as the agent does.
 */
export function planJob(
  pipeline: Pipeline,
  options: { runnerVariables: Record<string, string>; variables: Record<string, string>; secrets: Record<string, string> },
): JobPlan {
  const variables: Record<string, string> = {};
  const set = (name: string, value: string): void => {
    const existing = Object.keys(variables).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing !== undefined) delete variables[existing];
    variables[name] = value;
  };
  for (const variable of pipeline.variables) set(variable.name, variable.value);
  const overridden: JobPlan['overridden'] = [];
  for (const [name, value] of Object.entries(options.runnerVariables)) {
    if (Object.keys(options.variables).some((key) => key.toLowerCase() === name.toLowerCase())) continue;
    set(name, value);
    overridden.push({ name, value, by: 'runner' });
  }
  for (const [name, value] of Object.entries(options.variables)) {
    set(name, value);
    overridden.push({ name, value, by: '--var' });
  }
  const steps = pipeline.steps.map(
    (step): JobStep => ({
      name: step.name,
      task: step.task,
      inputs: step.inputs,
      env: step.env,
      ...(step.timeoutInMinutes === undefined ? {} : { timeoutInMs: Math.round(step.timeoutInMinutes * 60_000) }),
      ...(step.continueOnError ? { continueOnError: true } : {}),
      ...(step.condition === 'succeeded' ? {} : { condition: step.condition }),
    }),
  );
  return { steps, variables: expandNested(variables), secretVariables: { ...options.secrets }, overridden };
}

/** Expands `$(name)` inside variable values with the other variables (a few rounds, for chains); unknown names stay. */
export function expandNested(variables: Record<string, string>): Record<string, string> {
  let current = { ...variables };
  for (let round = 0; round < 5; round++) {
    const next = Object.fromEntries(Object.entries(current).map(([name, value]) => [name, expandMacros(value, withoutSelf(current, name))]));
    if (Object.entries(next).every(([name, value]) => current[name] === value)) return next;
    current = next;
  }
  return current;
}

function withoutSelf(variables: Record<string, string>, name: string): Record<string, string> {
  const copy = { ...variables };
  delete copy[name];
  return copy;
}
