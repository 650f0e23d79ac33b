/**
 * Everything the runner checks before anything slow starts, in milliseconds: the YAML (refusals with
 * file and line), the Dockerfiles' base images (a public FROM is refused), the service connections,
 * the Azure names to create, and the warnings (findings) that --strict turns into errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskJson } from '../task-json';
import type { RunnerArguments } from './arguments';
import { type AzureNames, planAzureNames } from './azure-names';
import { type ConnectionPlan, planConnections, readConnectionInputs } from './connections';
import { type Pipeline, PipelineError, type TaskFolder } from './model';
import { parsePipeline } from './parse';
import { type Finding, preflight, type TaskDefinitions } from './preflight';
import { publicBaseImageProblems } from './public-base-images';

export interface CheckedRun {
  pipeline: Pipeline;
  /** The pipeline file as shown in messages: relative to the current folder when inside it. */
  shownFile: string;
  yamlVariables: Record<string, string>;
  connections: ConnectionPlan;
  azureNames: AzureNames;
  findings: Finding[];
  /** The root of the Git repository holding the pipeline (the agent's Build.SourcesDirectory). */
  workingDirectory: string;
}

export function checkBeforeTheJob(args: RunnerArguments, repositoryRoot: string): CheckedRun {
  const pipelineFile = path.resolve(args.pipelineFile);
  if (!fs.existsSync(pipelineFile)) throw new PipelineError(`The pipeline file '${args.pipelineFile}' does not exist.`);
  const relativeFile = path.relative(process.cwd(), pipelineFile);
  const shownFile = relativeFile === '' || relativeFile.startsWith('..') ? pipelineFile : relativeFile;
  const pipeline = parsePipeline(fs.readFileSync(pipelineFile, 'utf8'), shownFile);
  const yamlVariables = Object.fromEntries(pipeline.variables.map((variable) => [variable.name, variable.value]));
  const tasks = [...new Set(pipeline.steps.map((step) => step.task))];
  const connections = planConnections(pipeline, readConnectionInputs(repositoryRoot, tasks), { ...yamlVariables, ...args.variables }, args.connections);
  const workingDirectory = repositoryRootOf(pipelineFile);
  const read = (file: string): string | undefined => (fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined);
  const publicBases = publicBaseImageProblems(pipeline, { yaml: yamlVariables, commandLine: args.variables }, workingDirectory, read);
  if (publicBases.length > 0) throw new PipelineError(publicBases.join('\n'));
  const azureNames = planAzureNames(pipeline, { ...yamlVariables, ...args.variables });
  const variableNames = [...Object.keys(yamlVariables), 'baseImage', ...Object.keys(args.variables), ...Object.keys(args.secrets)];
  const findings = [...preflight(pipeline, readTaskDefinitions(repositoryRoot, tasks), { variableNames }), ...azureNames.findings];
  return { pipeline, shownFile, yamlVariables, connections, azureNames, findings, workingDirectory };
}

function repositoryRootOf(file: string): string {
  for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, '.git'))) return folder;
    if (path.dirname(folder) === folder) return process.cwd();
  }
}

function readTaskDefinitions(repositoryRoot: string, tasks: readonly TaskFolder[]): TaskDefinitions {
  const definitions: Partial<TaskDefinitions> = {};
  for (const task of tasks) definitions[task] = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'tasks', task, 'task.json'), 'utf8')) as TaskJson;
  return definitions as TaskDefinitions;
}
