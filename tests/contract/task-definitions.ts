import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskJson as TaskDefinition } from '../../scripts/task-json';

export const ROOT = path.resolve(__dirname, '..', '..');
export const TASK_FOLDERS = ['BuildAndPushAiImageV1', 'DeployToAciV1', 'DeployToAksV1', 'SmokeTestModelV1'] as const;

export type { TaskJsonInput as TaskInput, TaskJson as TaskDefinition } from '../../scripts/task-json';

export function taskJsonPath(folder: string): string {
  return path.join(ROOT, 'tasks', folder, 'task.json');
}

/** Reads a task.json; fails (never skips) when a task has none yet. */
export function readTaskDefinition(folder: string): TaskDefinition {
  const file = taskJsonPath(folder);
  if (!fs.existsSync(file)) throw new Error(`tasks/${folder}/task.json does not exist.`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TaskDefinition;
}

/** Input names a visibleRule refers to: `a = x && b != y || c NotEndsWith z`. */
export function visibleRuleInputs(rule: string): string[] {
  return rule
    .split(/&&|\|\|/)
    .map((clause) => /^\s*([A-Za-z][A-Za-z0-9]*)\s*(?:=|!=|<=|>=|<|>|NotContains|Contains|NotStartsWith|StartsWith|NotEndsWith|EndsWith)/.exec(clause)?.[1] ?? `<unparsable: ${clause.trim()}>`);
}

/** `$(name)` references in a string. */
export function macroReferences(text: string): string[] {
  return [...text.matchAll(/\$\(([^)]+)\)/g)].map((match) => match[1] ?? '');
}
