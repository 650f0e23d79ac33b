/**
 * Reads an azure-pipelines.yml into the steps the local runner can execute, and refuses, with a
 * message naming the feature and where it is written, anything it cannot run faithfully.
 * Supported: see docs/local-pipeline-runner.md.
 */
import { type Pipeline, PipelineError, type PipelineStep, type PipelineVariable, type TaskFolder } from './model';
import { findExpression, readYaml, type YamlSource } from './yaml-source';

const TASKS: Record<string, TaskFolder> = {
  buildandpushaiimage: 'BuildAndPushAiImageV1',
  deploytoaci: 'DeployToAciV1',
  smoketestmodel: 'SmokeTestModelV1',
};
const SUPPORTED_TASKS = 'BuildAndPushAiImage@1, DeployToAci@1 and SmokeTestModel@1';

/** Accepted and without effect on a local run. */
const IGNORED_TOP_LEVEL = new Set(['trigger', 'pr', 'pool', 'name', 'appendCommitMessageToRunName', 'lockBehavior']);
const REFUSED_TOP_LEVEL: Record<string, string> = {
  stages: 'stages',
  extends: 'templates (extends)',
  template: 'templates',
  resources: 'resources',
  parameters: 'runtime parameters',
  schedules: 'schedules',
};
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
const IGNORED_JOB_KEYS = new Set(['job', 'displayName', 'pool', 'timeoutInMinutes', 'cancelTimeoutInMinutes', 'workspace', 'continueOnError', 'variables', 'steps']);
const REFUSED_JOB_KEYS: Record<string, string> = {
  deployment: 'deployment jobs',
  template: 'job templates',
  strategy: 'job strategies (matrix, parallel)',
  dependsOn: 'job dependencies',
  condition: 'job conditions',
  container: 'container jobs',
  services: 'service containers',
  uses: 'job resources (uses)',
  environment: 'environments',
};

export function parsePipeline(yamlText: string, file: string): Pipeline {
  const source = readYaml(yamlText, file);
  const expression = findExpression(source.root);
  if (expression) {
    const feature = expression.kind === 'template' ? "template expressions ('${{ ... }}')" : "runtime expressions ('$[ ... ]')";
    throw refused(source.where(expression.path), feature, 'Azure DevOps evaluates them before the agent runs; write the value itself or pass it with --var NAME=VALUE.');
  }
  const root = asRecord(source.root, source.where(''));
  const ignored: string[] = [];
  for (const key of Object.keys(root)) {
    const feature = REFUSED_TOP_LEVEL[key];
    if (feature) throw refused(source.where(key), feature, 'use a single job with steps.');
    if (IGNORED_TOP_LEVEL.has(key)) ignored.push(key);
    else if (!['variables', 'steps', 'jobs'].includes(key)) throw refused(source.where(key), `the top-level key '${key}'`);
  }
  const variables = parseVariables(root['variables'], 'variables', source);
  let stepsPath = 'steps';
  if (root['jobs'] !== undefined) {
    if (root['steps'] !== undefined) throw new PipelineError(`${source.where('jobs')}: give either 'steps' or 'jobs', not both.`);
    const job = singleJob(root['jobs'], source, ignored);
    variables.push(...parseVariables(job['variables'], 'jobs[0].variables', source));
    stepsPath = 'jobs[0].steps';
  }
  const stepsNode = stepsPath === 'steps' ? root['steps'] : asRecord((root['jobs'] as unknown[])[0], source.where('jobs[0]'))['steps'];
  if (!Array.isArray(stepsNode) || stepsNode.length === 0) throw new PipelineError(`${source.where(stepsPath)}: no steps found.`);
  const steps = stepsNode.flatMap((node, index) => parseStep(node, `${stepsPath}[${index}]`, source, ignored));
  if (steps.length === 0) throw new PipelineError(`${source.where(stepsPath)}: no enabled task steps.`);
  return { file, variables, steps: nameSteps(steps, file), ignored };
}

/** `<where>: <feature> are not supported by the local runner; <hint>` (features are named in the plural, or as 'the ... key'). */
function refused(where: string, feature: string, hint = ''): PipelineError {
  const verb = feature.startsWith('the ') || feature === 'retryCountOnTaskFailure' ? 'is' : 'are';
  return new PipelineError(`${where}: ${feature} ${verb} not supported by the local runner${hint ? `; ${hint}` : '.'}`);
}

function singleJob(node: unknown, source: YamlSource, ignored: string[]): Record<string, unknown> {
  if (!Array.isArray(node) || node.length !== 1) {
    throw refused(source.where('jobs'), `pipelines with ${Array.isArray(node) ? node.length : 0} jobs`, 'it runs exactly one job.');
  }
  const job = asRecord(node[0], source.where('jobs[0]'));
  for (const key of Object.keys(job)) {
    const feature = REFUSED_JOB_KEYS[key];
    if (feature) throw refused(source.where(`jobs[0].${key}`), feature, 'use a single job with steps.');
    if (!IGNORED_JOB_KEYS.has(key)) throw refused(source.where(`jobs[0].${key}`), `the job key '${key}'`);
    if (!['variables', 'steps'].includes(key)) ignored.push(`jobs[0].${key}`);
  }
  return job;
}

function parseVariables(node: unknown, path: string, source: YamlSource): PipelineVariable[] {
  if (node === undefined || node === null) return [];
  if (Array.isArray(node)) {
    return node.map((entry, index) => {
      const where = source.where(`${path}[${index}]`);
      const item = asRecord(entry, where);
      if (item['group'] !== undefined) throw refused(where, 'variable groups', 'pass their values with --var NAME=VALUE (and --secret NAME=VALUE for secrets).');
      if (item['template'] !== undefined) throw refused(where, 'variable templates');
      if (typeof item['name'] !== 'string') throw new PipelineError(`${where}: a variable needs a 'name'.`);
      return { name: item['name'], value: scalar(item['value'], where), isSecret: false };
    });
  }
  return Object.entries(asRecord(node, source.where(path))).map(([name, value]) => ({ name, value: scalar(value, source.where(`${path}.${name}`)), isSecret: false }));
}

type UnnamedStep = Omit<PipelineStep, 'name'> & { givenName?: string };

function parseStep(node: unknown, path: string, source: YamlSource, ignored: string[]): UnnamedStep[] {
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
  const condition = step['condition'];
  if (condition !== undefined && show(condition).replace(/\s+/g, '') !== 'succeeded()') {
    throw refused(source.where(`${path}.condition`), `conditions (got '${show(condition)}')`, "only 'succeeded()', the default, is.");
  }
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
  return [
    {
      where,
      reference,
      task,
      ...(typeof name === 'string' ? { givenName: name } : {}),
      named: typeof name === 'string',
      displayName: typeof step['displayName'] === 'string' ? step['displayName'] : reference,
      inputs: stringMap(step['inputs'], `${path}.inputs`, source),
      env: stringMap(step['env'], `${path}.env`, source),
      continueOnError: continueOnError === true,
      ...(typeof timeout === 'number' ? { timeoutInMinutes: timeout } : {}),
    },
  ];
}

/** Gives every step its reference name: the one written, else the agent's (`DeployToAci`, `DeployToAci1`, ...). */
function nameSteps(steps: UnnamedStep[], file: string): PipelineStep[] {
  const used = new Set<string>();
  for (const step of steps) {
    if (step.givenName === undefined) continue;
    const key = step.givenName.toLowerCase();
    if (used.has(key)) throw new PipelineError(`${step.where}: step name '${step.givenName}' is used twice in ${file}.`);
    used.add(key);
  }
  return steps.map(({ givenName, ...step }) => {
    if (givenName !== undefined) return { ...step, name: givenName };
    const base = step.task.replace(/V\d+$/, '');
    let name = base;
    for (let suffix = 1; used.has(name.toLowerCase()); suffix++) name = `${base}${suffix}`;
    used.add(name.toLowerCase());
    return { ...step, name };
  });
}

export function resolveTask(reference: string, where: string): TaskFolder {
  const match = /^(?:[\w-]+\.){0,3}([A-Za-z]+)@(\d+)$/.exec(reference.trim());
  const task = match?.[1] ? TASKS[match[1].toLowerCase()] : undefined;
  if (!match || !task) throw new PipelineError(`${where}: the task '${reference}' is not supported by the local runner; it runs ${SUPPORTED_TASKS}.`);
  if (match[2] !== '1') throw new PipelineError(`${where}: the task '${reference}' does not exist; the only major version is 1 (${match[1] ?? ''}@1).`);
  return task;
}

/** A YAML value in a message: as written for scalars, as JSON for lists and mappings. */
function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? 'nothing';
}

function asRecord(node: unknown, where: string): Record<string, unknown> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new PipelineError(`${where}: expected a mapping.`);
  return node as Record<string, unknown>;
}

function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  throw new PipelineError(`${where}: expected a single value, not a list or mapping.`);
}

function stringMap(node: unknown, path: string, source: YamlSource): Record<string, string> {
  if (node === undefined || node === null) return {};
  return Object.fromEntries(Object.entries(asRecord(node, source.where(path))).map(([key, value]) => [key, scalar(value, source.where(`${path}.${key}`))]));
}
