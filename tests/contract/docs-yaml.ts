/**
 * The YAML of the documentation, checked against the tasks: every ```yaml block is parsed, every step
 * of this extension's tasks found in it, and each step's inputs compared with its task.json (names or
 * aliases, pick-list options, booleans). Pure: markdown text in, problems out.
 */
import { parseDocument } from 'yaml';
import type { TaskDefinition, TaskInput } from './task-definitions';

export const DOCUMENTED_TASKS = { BuildAndPushAiImage: 'BuildAndPushAiImageV1', DeployToAci: 'DeployToAciV1', DeployToAks: 'DeployToAksV1', SmokeTestModel: 'SmokeTestModelV1' } as const;
export type DocumentedTask = keyof typeof DOCUMENTED_TASKS;

export interface YamlBlock {
  /** `README.md:123`: the block's first line of YAML. */
  readonly where: string;
  readonly text: string;
}

export interface DocStep {
  /** `README.md:123 step 2 (DeployToAci@1)`. */
  readonly where: string;
  readonly task: DocumentedTask;
  readonly major: number;
  /** Input keys as written, values as the agent receives them (strings). */
  readonly inputs: Readonly<Record<string, string>>;
  /** The block's own `variables:` (pipeline or job level), for `$(name)` macros. */
  readonly variables: Readonly<Record<string, string>>;
}

/** ```yaml (or ```yml) fenced blocks, indented ones (inside list items) included. */
export function extractYamlBlocks(file: string, markdown: string): YamlBlock[] {
  const blocks: YamlBlock[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)```ya?ml\s*$/.exec(lines[index] ?? '');
    if (!open) continue;
    const indent = open[1]?.length ?? 0;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? '')) body.push((lines[end++] ?? '').slice(indent));
    if (end >= lines.length) throw new Error(`${file}:${index + 1}: the yaml block is never closed.`);
    blocks.push({ where: `${file}:${index + 2}`, text: body.join('\n') });
    index = end;
  }
  return blocks;
}

const TASK_REFERENCE = /^(?:[\w-]+\.)?(BuildAndPushAiImage|DeployToAci|DeployToAks|SmokeTestModel)@(\d+)$/;

/** Parses a block and finds this extension's task steps anywhere in it (steps, jobs, stages). */
export function stepsOf(block: YamlBlock): { steps: DocStep[]; problems: string[] } {
  const document = parseDocument(block.text);
  if (document.errors.length > 0) return { steps: [], problems: document.errors.map((error) => `${block.where}: not valid YAML: ${error.message}`) };
  const root: unknown = document.toJS();
  const variables = variablesOf(root);
  const steps: DocStep[] = [];
  const problems: string[] = [];
  visit(root, (node) => {
    const reference = typeof node.task === 'string' ? TASK_REFERENCE.exec(node.task) : null;
    if (!reference) return;
    const where = `${block.where} step ${steps.length + 1} (${String(node.task)})`;
    const inputs = node.inputs ?? {};
    if (!isRecord(inputs)) {
      problems.push(`${where}: 'inputs' must be a mapping.`);
      return;
    }
    steps.push({
      where,
      task: reference[1] as DocumentedTask,
      major: Number(reference[2]),
      inputs: Object.fromEntries(Object.entries(inputs).map(([key, value]) => [key, scalarText(value)])),
      variables,
    });
  });
  return { steps, problems };
}

/** What the agent would refuse or misread: a wrong major version, undeclared inputs, values outside a pick list, non-boolean booleans. */
export function checkDeclaredInputs(step: DocStep, definition: TaskDefinition): string[] {
  if (step.major !== definition.version.Major) return [`${step.where}: ${step.task} has version ${definition.version.Major}, not ${step.major}.`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(step.inputs)) {
    const input = declaredInput(definition, key);
    if (input === undefined) {
      problems.push(`${step.where}: input '${key}' is not declared in tasks/${DOCUMENTED_TASKS[step.task]}/task.json.`);
      continue;
    }
    if (value.includes('$(')) continue;
    if (input.type === 'pickList' && input.properties?.EditableOptions?.toLowerCase() !== 'true') {
      const options = Object.keys(input.options ?? {});
      if (!options.includes(value.trim())) problems.push(`${step.where}: input '${key}' is '${value}', not one of ${options.map((option) => `'${option}'`).join(', ')}.`);
    }
    if (input.type === 'boolean' && !/^(true|false)$/i.test(value.trim())) problems.push(`${step.where}: input '${key}' is '${value}', not 'true' or 'false'.`);
  }
  return problems;
}

export function declaredInput(definition: TaskDefinition, key: string): TaskInput | undefined {
  return (definition.inputs ?? []).find((input) => input.name === key || (input.aliases ?? []).includes(key));
}

type YamlMap = Record<string, unknown>;

function isRecord(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function visit(node: unknown, onMapping: (mapping: YamlMap) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, onMapping);
  } else if (isRecord(node)) {
    onMapping(node);
    for (const value of Object.values(node)) visit(value, onMapping);
  }
}

/** Scalars as the agent hands them to a task: `true` -> 'true', `8080` -> '8080'. */
function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** `variables:` as a mapping or a list of `name`/`value`, at the top and in jobs. */
function variablesOf(root: unknown): Record<string, string> {
  const variables: Record<string, string> = {};
  visit(root, (node) => {
    const list = node.variables;
    if (isRecord(list)) for (const [name, value] of Object.entries(list)) variables[name] = scalarText(value);
    if (Array.isArray(list)) {
      for (const item of list) if (isRecord(item) && typeof item.name === 'string') variables[item.name] = scalarText(item.value);
    }
  });
  return variables;
}
