import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskJsonInput as TaskJsonInputDeclaration } from '../task-json';

type TaskJsonInput = Pick<TaskJsonInputDeclaration, 'name' | 'aliases' | 'defaultValue' | 'type'>;

/** `$(name)` macros expanded as the agent does; unknown macros stay as written. Names are case-insensitive. */
export function expandMacros(text: string, variables: Record<string, string>): string {
  const byName = new Map(Object.entries(variables).map(([name, value]) => [name.toLowerCase(), value]));
  return text.replace(/\$\(([^()\s]+)\)/g, (macro, name: string) => byName.get(name.toLowerCase()) ?? macro);
}

/**
 * The inputs the agent gives a task, in the agent's order (microsoft/azure-pipelines-agent,
 * src/Agent.Worker/TaskRunner.cs, RunAsync):
 * 1. `LoadDefaultInputs`: every input task.json declares, set to its default trimmed, or '' when it has none;
 * 2. the step's inputs, trimmed (an alias counts as its input's name: the server resolves aliases);
 * 3. `$(variable)` macros expanded;
 * 4. every `filePath` input rooted by `TranslateFilePathInput`: an absolute path is normalised, anything
 *    else, the empty string included, is joined to the job's default path root (see `rootFilePath`).
 * Inputs task.json does not declare are passed on as given (the server would reject them at queue time;
 * tests may use them on purpose).
 */
export function agentInputs(
  taskJsonPath: string,
  stepInputs: Record<string, string>,
  variables: Record<string, string>,
  filePathRoot: string,
): Record<string, string> {
  const declared = (JSON.parse(fs.readFileSync(taskJsonPath, 'utf8')) as { inputs?: TaskJsonInput[] }).inputs ?? [];
  const inputs: Record<string, string> = {};
  for (const input of declared) inputs[input.name] = input.defaultValue === undefined ? '' : String(input.defaultValue).trim();
  for (const [given, value] of Object.entries(stepInputs)) {
    const lower = given.trim().toLowerCase();
    const match = declared.find((input) => input.name.toLowerCase() === lower || (input.aliases ?? []).some((alias) => alias.toLowerCase() === lower));
    inputs[match?.name ?? given.trim()] = value.trim();
  }
  const expanded = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, expandMacros(value, variables)]));
  for (const input of declared) {
    if (input.type.toLowerCase() === 'filepath') expanded[input.name] = rootFilePath(expanded[input.name] ?? '', filePathRoot);
  }
  return expanded;
}

/**
 * TaskRunner.cs `TranslateFilePathInput` with the job extension's `GetRootedPath`
 * (src/Agent.Worker/Build/BuildJobExtension.cs: the repository's folder, Build.SourcesDirectory, or
 * System.DefaultWorkingDirectory with several checkouts; src/Agent.Worker/Release/ReleaseJobExtension.cs:
 * System.ArtifactsDirectory): a rooted path is made full, any other value (even '') is joined to `root`.
 * So a task never sees an empty filePath input: "empty" arrives as the root folder itself.
 */
export function rootFilePath(value: string, root: string): string {
  return path.isAbsolute(value) ? path.resolve(value) : path.resolve(root, value);
}
