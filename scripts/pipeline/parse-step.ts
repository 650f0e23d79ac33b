/**
 * One step of an azure-pipelines.yml: a task step of this extension, with the step keys the local
 * runner honours; anything else is refused with where it is written.
 */
import { type PipelineStep, PipelineError, type StepCondition, type TaskFolder } from './model';
import type { YamlSource } from './yaml-source';

const TASKS: Record<string, TaskFolder> = {
  buildandpushaiimage: 'BuildAndPushAiImageV1',
  deploytoaci: 'DeployToAciV1',
  deploytoaks: 'DeployToAksV1',
  smoketestmodel: 'SmokeTestModelV1',
};
const SUPPORTED_TASKS = 'BuildAndPushAiImage@1, DeployToAci@1, DeployToAks@1 and SmokeTestModel@1';

const REFUSED_STEP_KINDS: Record<string, string> = {
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
const STEP_KEYS = new Set(['task', 'name', 'displayName', 'inputs', 'env', 'continueOnError', 'timeoutInMinutes', 'enabled', 'condition', 'retryCountOnTaskFailure', 'target']);
/** The conditions the runner evaluates, by their text without blanks and in lower case. */
const CONDITIONS: Record<string, StepCondition> = {
  'succeeded()': 'succeeded',
  'always()': 'always',
  'succeededorfailed()': 'always',
  'failed()': 'failed',
};

export type UnnamedStep = Omit<PipelineStep, 'name'> & { givenName?: string };

/** `<where>: <feature> are not supported by the local runner; <hint>` (features are named in the plural, or as 'the ... key'). */
export function refused(where: string, feature: string, hint = ''): PipelineError {
  const verb = feature.startsWith('the ') || feature === 'retryCountOnTaskFailure' ? 'is' : 'are';
  return new PipelineError(`${where}: ${feature} ${verb} not supported by the local runner${hint ? `; ${hint}` : '.'}`);
}

export function parseStep(node: unknown, path: string, source: YamlSource, ignored: string[]): UnnamedStep[] {
  const where = source.where(path);
  const step = asRecord(node, where);
  if (step['checkout'] !== undefined) {
    ignored.push(`${path} (checkout: the runner works in your clone)`);
    return [];
  }
  for (const [kind, feature] of Object.entries(REFUSED_STEP_KINDS)) {
    if (step[kind] !== undefined) throw refused(where, feature, `it runs only ${SUPPORTED_TASKS}.`);
  }
  const reference = step['task'];
  if (typeof reference !== 'string') throw new PipelineError(`${where}: not a task step (expected 'task:').`);
  const task = resolveTask(reference, source.where(`${path}.task`));
  for (const key of Object.keys(step)) {
    if (!STEP_KEYS.has(key)) throw refused(source.where(`${path}.${key}`), `the step key '${key}'`);
  }
  const condition = parseCondition(step['condition'], source.where(`${path}.condition`));
  if (step['retryCountOnTaskFailure'] !== undefined) throw refused(source.where(`${path}.retryCountOnTaskFailure`), 'retryCountOnTaskFailure');
  if (step['target'] !== undefined) throw refused(source.where(`${path}.target`), 'step targets');
  if (step['enabled'] === false) {
    ignored.push(`${path} (${reference}: enabled is false)`);
    return [];
  }
  const name = step['name'];
  if (name !== undefined && (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))) {
    throw new PipelineError(`${source.where(`${path}.name`)}: step name '${show(name)}' must start with a letter or '_' and hold only letters, digits and '_'.`);
  }
  const timeout = step['timeoutInMinutes'];
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
    throw new PipelineError(`${source.where(`${path}.timeoutInMinutes`)}: timeoutInMinutes must be a number above 0; got '${show(timeout)}'.`);
  }
  const continueOnError = step['continueOnError'];
  if (continueOnError !== undefined && typeof continueOnError !== 'boolean') {
    throw new PipelineError(`${source.where(`${path}.continueOnError`)}: continueOnError must be true or false; got '${show(continueOnError)}'.`);
  }
  const inputs = stringMap(step['inputs'], `${path}.inputs`, source);
  const env = stringMap(step['env'], `${path}.env`, source);
  const written: Record<string, string> = {};
  for (const [kind, map] of [['inputs', inputs], ['env', env]] as const) {
    for (const key of Object.keys(map)) written[`${kind}.${key}`] = source.where(`${path}.${kind}.${key}`);
  }
  return [
    {
      where,
      reference,
      task,
      ...(typeof name === 'string' ? { givenName: name } : {}),
      named: typeof name === 'string',
      displayName: typeof step['displayName'] === 'string' ? step['displayName'] : reference,
      inputs,
      env,
      written,
      continueOnError: continueOnError === true,
      ...(typeof timeout === 'number' ? { timeoutInMinutes: timeout } : {}),
      condition,
    },
  ];
}

function parseCondition(node: unknown, where: string): StepCondition {
  if (node === undefined) return 'succeeded';
  const condition = typeof node === 'string' ? CONDITIONS[node.replace(/\s+/g, '').toLowerCase()] : undefined;
  if (!condition) throw refused(where, `conditions other than succeeded(), always(), succeededOrFailed() and failed() (got '${show(node)}')`, 'the runner does not evaluate expressions; write one of these or remove the condition.');
  return condition;
}

export function resolveTask(reference: string, where: string): TaskFolder {
  const match = /^(?:[\w-]+\.){0,3}([A-Za-z]+)@(\d+)$/.exec(reference.trim());
  const task = match?.[1] ? TASKS[match[1].toLowerCase()] : undefined;
  if (!match || !task) throw new PipelineError(`${where}: the task '${reference}' is not supported by the local runner; it runs ${SUPPORTED_TASKS}.`);
  if (match[2] !== '1') throw new PipelineError(`${where}: the task '${reference}' does not exist; the only major version is 1 (${match[1] ?? ''}@1).`);
  return task;
}

/** A YAML value in a message: as written for scalars, as JSON for lists and mappings. */
export function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? 'nothing';
}

export function asRecord(node: unknown, where: string): Record<string, unknown> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new PipelineError(`${where}: expected a mapping.`);
  return node as Record<string, unknown>;
}

export function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  throw new PipelineError(`${where}: expected a single value, not a list or mapping.`);
}

function stringMap(node: unknown, path: string, source: YamlSource): Record<string, string> {
  if (node === undefined || node === null) return {};
  return Object.fromEntries(Object.entries(asRecord(node, source.where(path))).map(([key, value]) => [key, scalar(value, source.where(`${path}.${key}`))]));
}
