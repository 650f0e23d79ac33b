/**
 * Reads an azure-pipelines.yml into the steps the local runner can execute, and refuses, with a
 * message naming the feature and where it is, anything it cannot run faithfully.
 */
import { parse as parseYaml } from 'yaml';
import { assertNoExpressions } from './macros';
import { type Pipeline, PipelineError, type PipelineStep, type PipelineVariable, type TaskFolder } from './model';

const TASKS: Record<string, TaskFolder> = {
  buildandpushaiimage: 'BuildAndPushAiImageV1',
  deploytoaci: 'DeployToAciV1',
  smoketestmodel: 'SmokeTestModelV1',
};

/** Accepted and without effect on a local run. */
const IGNORED_TOP_LEVEL = new Set(['trigger', 'pr', 'pool', 'name', 'appendCommitMessageToRunName', 'lockBehavior']);
const UNSUPPORTED_TOP_LEVEL: Record<string, string> = {
  stages: 'stages',
  extends: 'templates (extends)',
  resources: 'resources',
  parameters: 'runtime parameters',
  schedules: 'schedules',
  template: 'templates',
};
const STEP_KINDS_REFUSED: Record<string, string> = {
  script: 'script steps',
  bash: 'bash steps',
  pwsh: 'pwsh steps',
  powershell: 'powershell steps',
  download: 'download steps',
  downloadBuild: 'downloadBuild steps',
  getPackage: 'getPackage steps',
  publish: 'publish steps',
  reviewApp: 'reviewApp steps',
  template: 'step templates',
};
const STEP_KEYS = new Set(['task', 'name', 'displayName', 'inputs', 'env', 'continueOnError', 'timeoutInMinutes', 'enabled', 'condition', 'retryCountOnTaskFailure']);

export function parsePipeline(yamlText: string, file: string): Pipeline {
  assertNoExpressions(yamlText, file);
  let document: unknown;
  try {
    document = parseYaml(yamlText);
  } catch (error) {
    throw new PipelineError(`${file} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const root = asRecord(document, file);
  const ignored: string[] = [];
  for (const key of Object.keys(root)) {
    const unsupported = UNSUPPORTED_TOP_LEVEL[key];
    if (unsupported) throw new PipelineError(`${file}: '${key}' (${unsupported}) is not supported by the local runner; use a single job with steps.`);
    if (IGNORED_TOP_LEVEL.has(key)) ignored.push(key);
    else if (!['variables', 'steps', 'jobs'].includes(key)) throw new PipelineError(`${file}: top-level key '${key}' is not supported by the local runner.`);
  }
  const variables = parseVariables(root['variables'], `${file} variables`);
  let stepsNode = root['steps'];
  if (root['jobs'] !== undefined) {
    if (stepsNode !== undefined) throw new PipelineError(`${file}: give either 'steps' or 'jobs', not both.`);
    const job = singleJob(root['jobs'], file, ignored);
    variables.push(...parseVariables(job['variables'], `${file} job variables`));
    stepsNode = job['steps'];
  }
  if (!Array.isArray(stepsNode) || stepsNode.length === 0) throw new PipelineError(`${file}: no steps found.`);
  const steps = stepsNode.flatMap((node, index) => parseStep(node, `${file} step ${index + 1}`, ignored));
  assertUniqueStepNames(steps, file);
  return { file, variables, steps, ignored };
}

function singleJob(node: unknown, file: string, ignored: string[]): Record<string, unknown> {
  if (!Array.isArray(node) || node.length !== 1) throw new PipelineError(`${file}: the local runner runs exactly one job; found ${Array.isArray(node) ? node.length : 0}.`);
  const job = asRecord(node[0], `${file} jobs[0]`);
  if (job['deployment'] !== undefined) throw new PipelineError(`${file}: deployment jobs are not supported by the local runner; use a job with steps.`);
  for (const key of Object.keys(job)) {
    if (key === 'template') throw new PipelineError(`${file}: job templates are not supported by the local runner.`);
    if (['strategy', 'dependsOn', 'condition', 'container', 'services', 'matrix'].includes(key)) {
      throw new PipelineError(`${file}: job '${key}' is not supported by the local runner.`);
    }
    if (['job', 'displayName', 'pool', 'timeoutInMinutes', 'cancelTimeoutInMinutes', 'workspace', 'continueOnError'].includes(key)) ignored.push(`job.${key}`);
  }
  return job;
}

function parseVariables(node: unknown, where: string): PipelineVariable[] {
  if (node === undefined || node === null) return [];
  if (Array.isArray(node)) {
    return node.map((entry, index) => {
      const item = asRecord(entry, `${where}[${index}]`);
      if (item['group'] !== undefined) throw new PipelineError(`${where}[${index}]: variable groups are not supported by the local runner; pass values with --var NAME=VALUE.`);
      if (item['template'] !== undefined) throw new PipelineError(`${where}[${index}]: variable templates are not supported by the local runner.`);
      if (typeof item['name'] !== 'string') throw new PipelineError(`${where}[${index}]: a variable needs a 'name'.`);
      return { name: item['name'], value: scalar(item['value'], `${where} ${item['name']}`), isSecret: false };
    });
  }
  return Object.entries(asRecord(node, where)).map(([name, value]) => ({ name, value: scalar(value, `${where} ${name}`), isSecret: false }));
}

function parseStep(node: unknown, where: string, ignored: string[]): PipelineStep[] {
  const step = asRecord(node, where);
  if (step['checkout'] !== undefined) {
    ignored.push(`${where} checkout`);
    return [];
  }
  for (const [kind, label] of Object.entries(STEP_KINDS_REFUSED)) {
    if (step[kind] !== undefined) throw new PipelineError(`${where}: ${label} are not supported by the local runner; it runs only the AI Model Deploy tasks.`);
  }
  const reference = step['task'];
  if (typeof reference !== 'string') throw new PipelineError(`${where}: not a task step (expected 'task:').`);
  for (const key of Object.keys(step)) {
    if (!STEP_KEYS.has(key)) throw new PipelineError(`${where} (${reference}): step key '${key}' is not supported by the local runner.`);
  }
  const condition = step['condition'];
  if (condition !== undefined && String(condition).replace(/\s+/g, '') !== 'succeeded()') {
    throw new PipelineError(`${where} (${reference}): conditions are not supported by the local runner (got '${String(condition)}'); only 'succeeded()' is.`);
  }
  if (step['retryCountOnTaskFailure'] !== undefined) throw new PipelineError(`${where} (${reference}): retryCountOnTaskFailure is not supported by the local runner.`);
  if (step['enabled'] === false) {
    ignored.push(`${where} (${reference}, disabled)`);
    return [];
  }
  const task = resolveTask(reference, where);
  const name = step['name'];
  if (name !== undefined && (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))) {
    throw new PipelineError(`${where}: step name '${String(name)}' must start with a letter or '_' and hold only letters, digits and '_'.`);
  }
  const timeout = step['timeoutInMinutes'];
  return [
    {
      reference,
      task,
      ...(typeof name === 'string' ? { name } : {}),
      displayName: typeof step['displayName'] === 'string' ? step['displayName'] : reference,
      inputs: stringMap(step['inputs'], `${where} inputs`),
      env: stringMap(step['env'], `${where} env`),
      continueOnError: step['continueOnError'] === true,
      ...(typeof timeout === 'number' ? { timeoutInMinutes: timeout } : {}),
    },
  ];
}

export function resolveTask(reference: string, where: string): TaskFolder {
  const match = /^(?:[\w-]+\.){0,3}([A-Za-z]+)@(\d+)$/.exec(reference.trim());
  const task = match?.[1] ? TASKS[match[1].toLowerCase()] : undefined;
  if (!match || !task) {
    throw new PipelineError(`${where}: task '${reference}' is not supported by the local runner; it runs BuildAndPushAiImage@1, DeployToAci@1 and SmokeTestModel@1.`);
  }
  if (match[2] !== '1') throw new PipelineError(`${where}: task '${reference}': only major version 1 exists.`);
  return task;
}

function assertUniqueStepNames(steps: PipelineStep[], file: string): void {
  const seen = new Set<string>();
  for (const step of steps) {
    if (!step.name) continue;
    const key = step.name.toLowerCase();
    if (seen.has(key)) throw new PipelineError(`${file}: step name '${step.name}' is used twice.`);
    seen.add(key);
  }
}

function asRecord(node: unknown, where: string): Record<string, unknown> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new PipelineError(`${where}: expected a mapping.`);
  return node as Record<string, unknown>;
}

function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  throw new PipelineError(`${where}: expected a single value.`);
}

function stringMap(node: unknown, where: string): Record<string, string> {
  if (node === undefined || node === null) return {};
  return Object.fromEntries(Object.entries(asRecord(node, where)).map(([key, value]) => [key, scalar(value, `${where}.${key}`)]));
}
