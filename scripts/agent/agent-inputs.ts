import * as fs from 'node:fs';
import type { TaskJsonInput as TaskJsonInputDeclaration } from '../task-json';

type TaskJsonInput = Pick<TaskJsonInputDeclaration, 'name' | 'aliases' | 'defaultValue'>;

/** `$(name)` macros expanded as the agent does; unknown macros stay as written. Names are case-insensitive. */
export function expandMacros(text: string, variables: Record<string, string>): string {
  const byName = new Map(Object.entries(variables).map(([name, value]) => [name.toLowerCase(), value]));
  return text.replace(/\$\(([^()\s]+)\)/g, (macro, name: string) => byName.get(name.toLowerCase()) ?? macro);
}

/**
 * The inputs the agent gives a task: task.json's defaults, overridden by the step's inputs (an alias
 * counts as its input's name), with `$(variable)` macros expanded. Inputs task.json does not declare are
 * passed on as given (the agent would reject them at queue time; tests may use them on purpose).
 */
export function agentInputs(taskJsonPath: string, stepInputs: Record<string, string>, variables: Record<string, string>): Record<string, string> {
  const declared = (JSON.parse(fs.readFileSync(taskJsonPath, 'utf8')) as { inputs?: TaskJsonInput[] }).inputs ?? [];
  const inputs: Record<string, string> = {};
  for (const input of declared) {
    if (input.defaultValue !== undefined) inputs[input.name] = String(input.defaultValue);
  }
  for (const [given, value] of Object.entries(stepInputs)) {
    const lower = given.toLowerCase();
    const match = declared.find((input) => input.name.toLowerCase() === lower || (input.aliases ?? []).some((alias) => alias.toLowerCase() === lower));
    inputs[match?.name ?? given] = value;
  }
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, expandMacros(value, variables)]));
}
