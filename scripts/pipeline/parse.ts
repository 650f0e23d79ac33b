/**
 * Reads an azure-pipelines.yml into the steps the local runner can execute, and refuses, with a
 * message naming the feature and where it is written, anything it cannot run faithfully.
 * Shapes: `steps:`, `jobs:` with one job, `stages:` with one stage holding one job.
 * Supported: see docs/local-pipeline-runner.md.
 */
import { type Pipeline, PipelineError, type PipelineStep, type PipelineVariable } from './model';
import { asRecord, parseStep, refused, scalar, type UnnamedStep } from './parse-step';
import { compileTimeVariables, expandTemplateVariables } from './template-variables';
import { findExpression, readYaml, type YamlSource } from './yaml-source';

export { resolveTask } from './parse-step';

/** Accepted and without effect on a local run. */
const IGNORED_TOP_LEVEL = new Set(['trigger', 'pr', 'pool', 'name', 'appendCommitMessageToRunName', 'lockBehavior']);
const REFUSED_TOP_LEVEL: Record<string, string> = {
  extends: 'templates (extends)',
  template: 'templates',
  resources: 'resources',
  parameters: 'runtime parameters',
  schedules: 'schedules',
};
const IGNORED_STAGE_KEYS = new Set(['stage', 'displayName', 'pool', 'lockBehavior', 'variables', 'jobs']);
const REFUSED_STAGE_KEYS: Record<string, string> = {
  template: 'stage templates',
  dependsOn: 'stage dependencies',
  condition: 'stage conditions',
  trigger: 'manual stages (trigger)',
  isSkippable: 'isSkippable',
  templateContext: 'templateContext',
};
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
  const written = readYaml(yamlText, file);
  // `${{ variables.x }}` is compiled by Azure DevOps before the agent sees the job: do the same first.
  const expanded = expandTemplateVariables(written.root, compileTimeVariables(written.root));
  const source: YamlSource = { ...written, root: expanded.root };
  const expression = findExpression(source.root);
  if (expression) {
    const feature = expression.kind === 'template' ? "template expressions ('${{ ... }}') other than ${{ variables.name }}" : "runtime expressions ('$[ ... ]')";
    throw refused(source.where(expression.path), feature, 'Azure DevOps evaluates them before the agent runs; write the value itself or pass it with --var NAME=VALUE.');
  }
  const root = asRecord(source.root, source.where(''));
  const ignored: string[] = [];
  for (const key of Object.keys(root)) {
    const feature = REFUSED_TOP_LEVEL[key];
    if (feature) throw refused(source.where(key), feature, 'use a single job with steps.');
    if (IGNORED_TOP_LEVEL.has(key)) ignored.push(key);
    else if (!['variables', 'steps', 'jobs', 'stages'].includes(key)) throw refused(source.where(key), `the top-level key '${key}'`);
  }
  const shapes = ['steps', 'jobs', 'stages'].filter((key) => root[key] !== undefined);
  if (shapes.length > 1) throw new PipelineError(`${source.where(shapes[1] ?? '')}: give one of 'steps', 'jobs' or 'stages', not ${shapes.map((key) => `'${key}'`).join(' and ')}.`);
  const variables = parseVariables(root['variables'], 'variables', source);
  let stepsPath = 'steps';
  let steps: unknown = root['steps'];
  let jobs: { node: unknown; path: string } | undefined = root['jobs'] !== undefined ? { node: root['jobs'], path: 'jobs' } : undefined;
  if (root['stages'] !== undefined) {
    const stage = single(root['stages'], 'stages', 'stage', source);
    checkKeys(stage, 'stages[0]', IGNORED_STAGE_KEYS, REFUSED_STAGE_KEYS, 'stage', source, ignored);
    variables.push(...parseVariables(stage['variables'], 'stages[0].variables', source));
    jobs = { node: stage['jobs'], path: 'stages[0].jobs' };
  }
  if (jobs) {
    const job = single(jobs.node, jobs.path, 'job', source);
    checkKeys(job, `${jobs.path}[0]`, IGNORED_JOB_KEYS, REFUSED_JOB_KEYS, 'job', source, ignored);
    variables.push(...parseVariables(job['variables'], `${jobs.path}[0].variables`, source));
    stepsPath = `${jobs.path}[0].steps`;
    steps = job['steps'];
  }
  if (!Array.isArray(steps) || steps.length === 0) throw new PipelineError(`${source.where(stepsPath)}: no steps found.`);
  const parsed = steps.flatMap((node, index) => parseStep(node, `${stepsPath}[${index}]`, source, ignored));
  if (parsed.length === 0) throw new PipelineError(`${source.where(stepsPath)}: no enabled task steps.`);
  return {
    file,
    variables,
    steps: nameSteps(parsed, file),
    ignored,
    undefinedTemplateVariables: expanded.undefinedNames.map(({ path, name }) => ({ where: source.where(path), name })),
  };
}

function single(node: unknown, path: string, kind: 'stage' | 'job', source: YamlSource): Record<string, unknown> {
  if (node === undefined || node === null) throw new PipelineError(`${source.where(path.replace(/\.\w+$/, ''))}: no '${kind}s' found.`);
  if (!Array.isArray(node) || node.length !== 1) {
    const count = Array.isArray(node) ? node.length : 0;
    throw refused(source.where(path), `pipelines with ${count} ${kind}s`, `it runs exactly one job${kind === 'stage' ? ' (in one stage)' : ''}.`);
  }
  return asRecord(node[0], source.where(`${path}[0]`));
}

function checkKeys(
  node: Record<string, unknown>,
  path: string,
  allowed: ReadonlySet<string>,
  refusedKeys: Record<string, string>,
  kind: 'stage' | 'job',
  source: YamlSource,
  ignored: string[],
): void {
  for (const key of Object.keys(node)) {
    const feature = refusedKeys[key];
    if (feature) throw refused(source.where(`${path}.${key}`), feature, `use a single ${kind} without it.`);
    if (!allowed.has(key)) throw refused(source.where(`${path}.${key}`), `the ${kind} key '${key}'`);
    if (!['variables', 'steps', 'jobs'].includes(key)) ignored.push(`${path}.${key}`);
  }
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
