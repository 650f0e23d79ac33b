/**
 * Checks a parsed pipeline against its tasks' task.json before the job starts, for the mistakes that
 * pass silently on Azure DevOps: inputs the task does not declare (with "did you mean"), required
 * inputs left out, `$(macros)` that no variable defines, `${{ variables.x }}` with no such variable.
 * Pure: pipeline and task definitions in, findings out. `--strict` turns them into errors.
 */
import { CHAINED_VARIABLE } from '../../tasks/common/chained-variables';
import type { TaskJson } from '../task-json';
import type { Pipeline, PipelineStep, TaskFolder } from './model';

export interface Finding {
  /** `file:line (path)` of the step or input. */
  where: string;
  message: string;
  /** What Azure DevOps itself does with it. */
  onAzureDevOps: string;
}

export type TaskDefinitions = Record<TaskFolder, Pick<TaskJson, 'inputs' | 'outputVariables'>>;

/** Plain (not output) variables the tasks set for the later steps (tasks/common/chained-variables.ts). */
const TASK_SET_VARIABLES: Record<TaskFolder, string[]> = {
  BuildAndPushAiImageV1: [CHAINED_VARIABLE.imageUri],
  DeployToAciV1: [CHAINED_VARIABLE.modelUrl],
  DeployToAksV1: [CHAINED_VARIABLE.modelUrl],
  SmokeTestModelV1: [],
};

/** Predefined variables the agent and Azure DevOps set (Build.BuildId, System.TeamProject, Agent.TempDirectory, ...). */
const PREDEFINED_PREFIXES = ['agent.', 'build.', 'system.', 'pipeline.', 'release.', 'environment.', 'resources.', 'strategy.', 'checks.', 'common.', 'task.'];
const PREDEFINED_NAMES = ['tf_build'];

const ACCEPTED_SILENTLY = 'Azure DevOps accepts it: the run starts';

export interface PreflightOptions {
  /** Every variable the job starts with: the YAML's, the runner's, --var and --secret names. */
  variableNames: readonly string[];
}

export function preflight(pipeline: Pipeline, tasks: TaskDefinitions, options: PreflightOptions): Finding[] {
  const findings: Finding[] = [];
  for (const { where, name } of pipeline.undefinedTemplateVariables) {
    findings.push({ where, message: `\${{ variables.${name} }} names no variable defined in the YAML, so it became an empty string.`, onAzureDevOps: `${ACCEPTED_SILENTLY} with the empty string` });
  }
  /** Lower-case name -> the name as written. */
  const known = new Map(options.variableNames.map((name) => [name.toLowerCase(), name]));
  for (const step of pipeline.steps) {
    const declared = tasks[step.task].inputs ?? [];
    findings.push(...undeclaredInputs(step, declared), ...missingInputs(step, declared), ...undefinedMacros(step, known));
    // What this step leaves for the later ones.
    for (const output of tasks[step.task].outputVariables ?? []) known.set(`${step.name}.${output.name}`.toLowerCase(), `${step.name}.${output.name}`);
    for (const name of TASK_SET_VARIABLES[step.task]) known.set(name.toLowerCase(), name);
  }
  return findings;
}

type Declared = NonNullable<TaskJson['inputs']>;

function writtenWhere(step: PipelineStep, key: string): string {
  return step.written[key] ?? step.where;
}

function undeclaredInputs(step: PipelineStep, declared: Declared): Finding[] {
  const names = declared.flatMap((input) => [input.name, ...(input.aliases ?? [])]);
  const lower = new Set(names.map((name) => name.toLowerCase()));
  return Object.keys(step.inputs)
    .filter((given) => !lower.has(given.toLowerCase()))
    .map((given) => {
      const suggestion = closest(given, names);
      return {
        where: writtenWhere(step, `inputs.${given}`),
        message: `${step.reference} has no input '${given}'${suggestion ? `; did you mean '${suggestion}'?` : '.'} The task never sees it.`,
        onAzureDevOps: `${ACCEPTED_SILENTLY} and the task ignores the input`,
      };
    });
}

function missingInputs(step: PipelineStep, declared: Declared): Finding[] {
  const given = new Map(Object.entries(step.inputs).map(([name, value]) => [name.toLowerCase(), value]));
  const valueOf = (input: Declared[number]): string | undefined =>
    [input.name, ...(input.aliases ?? [])].map((name) => given.get(name.toLowerCase())).find((value) => value !== undefined) ??
    (input.defaultValue === undefined ? undefined : String(input.defaultValue));
  const effective = new Map(declared.map((input) => [input.name.toLowerCase(), valueOf(input) ?? '']));
  return declared
    .filter((input) => input.required === true && (valueOf(input) ?? '').trim() === '' && isVisible(input.visibleRule, effective))
    .map((input) => ({
      where: step.where,
      message: `${step.reference} needs the input '${input.name}'${input.aliases?.length ? ` (or ${input.aliases.map((alias) => `'${alias}'`).join(', ')})` : ''}${input.visibleRule ? ` when ${input.visibleRule}` : ''}; it is not given.`,
      onAzureDevOps: `${ACCEPTED_SILENTLY}; the step then fails with "Input required: ${input.name}"`,
    }));
}

/** task.json's `visibleRule` (`a = x`, `a != x`, joined by `&&` or `||`), evaluated on the step's inputs; no rule: visible. */
export function isVisible(rule: string | undefined, inputs: ReadonlyMap<string, string>): boolean {
  if (rule === undefined || rule.trim() === '') return true;
  const clause = (text: string): boolean => {
    const match = /^\s*([\w.]+)\s*(!=|=)\s*(.*?)\s*$/.exec(text);
    if (!match) return true;
    const actual = (inputs.get((match[1] ?? '').toLowerCase()) ?? '').toLowerCase();
    const expected = (match[3] ?? '').toLowerCase();
    return match[2] === '=' ? actual === expected : actual !== expected;
  };
  return rule.includes('||') ? rule.split('||').some(clause) : rule.split('&&').every(clause);
}

function undefinedMacros(step: PipelineStep, known: ReadonlyMap<string, string>): Finding[] {
  const findings: Finding[] = [];
  const check = (kind: 'inputs' | 'env', name: string, value: string): void => {
    for (const match of value.matchAll(/\$\(([^()\s]+)\)/g)) {
      const variable = match[1] ?? '';
      const lower = variable.toLowerCase();
      if (known.has(lower) || PREDEFINED_NAMES.includes(lower) || PREDEFINED_PREFIXES.some((prefix) => lower.startsWith(prefix))) continue;
      const suggestion = closest(variable, [...known.values()]);
      findings.push({
        where: writtenWhere(step, `${kind}.${name}`),
        message: `$(${variable}) is not defined by any variable${lower.includes('.') ? ' or an earlier step' : ''}${suggestion ? ` (did you mean $(${suggestion})?)` : ''}; the ${kind === 'inputs' ? 'input' : 'environment variable'} '${name}' gets the text '$(${variable})' itself.`,
        onAzureDevOps: `${ACCEPTED_SILENTLY} and the agent leaves the macro as written`,
      });
    }
  };
  for (const [name, value] of Object.entries(step.inputs)) check('inputs', name, value);
  for (const [name, value] of Object.entries(step.env)) check('env', name, value);
  return findings;
}

/** The candidate nearest to `given` (edit distance, or one containing the other), when near enough to be a likely typo. */
export function closest(given: string, candidates: readonly string[]): string | undefined {
  const lower = given.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const contained = other.length >= 4 && lower.length >= 4 && (other.includes(lower) || lower.includes(other));
    const distance = contained ? Math.abs(other.length - lower.length) / 10 : editDistance(lower, other);
    const limit = Math.max(2, Math.ceil(Math.max(lower.length, other.length) / 3));
    if ((contained || distance <= limit) && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The lines shown before the job: one per finding, with what Azure DevOps would do. */
export function findingLines(findings: readonly Finding[]): string[] {
  return findings.map((finding) => `${finding.where}: ${finding.message} (${finding.onAzureDevOps}.)`);
}
