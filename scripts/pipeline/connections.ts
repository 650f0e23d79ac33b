/**
 * Service connections: a pipeline names them (`azureSubscription: azure-models`); the agent gives the
 * task the connection's id and its ENDPOINT_* variables. Locally, every name is mapped to one of the
 * local Azure's seeded connections: by default an Azure Resource Manager name to the workload identity
 * federation connection and a Docker registry name to the registry's admin-user connection, or as
 * `--connection NAME=KIND` says.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandMacros } from '../agent/agent-inputs';
import type { TaskJsonInput as TaskJsonInputDeclaration } from '../task-json';
import { type Pipeline, PipelineError, type TaskFolder } from './model';

export const LOCAL_CONNECTION_KINDS = ['spnKey', 'spnCertificate', 'workloadIdentity', 'managedIdentity', 'spnPullOnly', 'dockerRegistry'] as const;
export type LocalConnectionKind = (typeof LOCAL_CONNECTION_KINDS)[number];
export type EndpointType = 'azurerm' | 'dockerregistry';

const KIND_TYPE: Record<LocalConnectionKind, EndpointType> = {
  spnKey: 'azurerm',
  spnCertificate: 'azurerm',
  workloadIdentity: 'azurerm',
  managedIdentity: 'azurerm',
  spnPullOnly: 'azurerm',
  dockerRegistry: 'dockerregistry',
};
export const DEFAULT_KIND: Record<EndpointType, LocalConnectionKind> = { azurerm: 'workloadIdentity', dockerregistry: 'dockerRegistry' };

/** A `connectedService:*` input of a task, by its name and aliases. */
export interface ConnectionInput {
  names: string[];
  type: EndpointType;
}

type TaskJsonInput = Pick<TaskJsonInputDeclaration, 'name' | 'type' | 'aliases'>;

/** The connection inputs a task.json declares. */
export function connectionInputsOf(taskJson: { inputs?: TaskJsonInput[] }): ConnectionInput[] {
  return (taskJson.inputs ?? []).flatMap((input) => {
    const type = /^connectedService:(.+)$/i.exec(input.type)?.[1]?.toLowerCase();
    if (type !== 'azurerm' && type !== 'dockerregistry') return [];
    return [{ names: [input.name, ...(input.aliases ?? [])].map((name) => name.toLowerCase()), type }];
  });
}

export function readConnectionInputs(repositoryRoot: string, tasks: readonly TaskFolder[]): Record<TaskFolder, ConnectionInput[]> {
  const entries = tasks.map((task) => {
    const taskJson = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'tasks', task, 'task.json'), 'utf8')) as { inputs?: TaskJsonInput[] };
    return [task, connectionInputsOf(taskJson)] as const;
  });
  return Object.fromEntries(entries) as Record<TaskFolder, ConnectionInput[]>;
}

/** Where a connection name is used: which step, which input. */
export interface ConnectionUse {
  /** The name after `$(variable)` expansion with the pipeline's variables (connections are resolved before the job runs). */
  name: string;
  type: EndpointType;
  stepIndex: number;
  input: string;
}

export interface ConnectionPlan {
  uses: ConnectionUse[];
  /** Each connection name (lower case) -> the local connection it stands for. */
  kinds: Map<string, { name: string; kind: LocalConnectionKind; fromDefault: boolean }>;
}

/**
 * Finds every connection the pipeline names and picks a local connection for it. Fails on a name
 * still holding a macro, a `--connection` of the wrong type, or a `--connection` for a name the
 * pipeline never uses.
 */
export function planConnections(
  pipeline: Pipeline,
  connectionInputs: Record<TaskFolder, ConnectionInput[]>,
  variables: Record<string, string>,
  overrides: Record<string, LocalConnectionKind>,
): ConnectionPlan {
  const uses: ConnectionUse[] = [];
  pipeline.steps.forEach((step, stepIndex) => {
    for (const [input, raw] of Object.entries(step.inputs)) {
      const definition = connectionInputs[step.task].find((candidate) => candidate.names.includes(input.toLowerCase()));
      if (!definition) continue;
      const name = expandMacros(raw, variables).trim();
      if (name === '') continue;
      if (/\$\(/.test(name)) {
        throw new PipelineError(`${step.where}: input '${input}' names the service connection '${raw}', whose variable is not defined; service connections are resolved before the job runs, from the pipeline's variables (or --var).`);
      }
      uses.push({ name, type: definition.type, stepIndex, input });
    }
  });
  const overridesByName = new Map(Object.entries(overrides).map(([name, kind]) => [name.toLowerCase(), { name, kind }]));
  const kinds: ConnectionPlan['kinds'] = new Map();
  for (const use of uses) {
    const key = use.name.toLowerCase();
    const override = overridesByName.get(key);
    const kind = override?.kind ?? DEFAULT_KIND[use.type];
    if (KIND_TYPE[kind] !== use.type) {
      const step = pipeline.steps[use.stepIndex];
      throw new PipelineError(
        `--connection ${override?.name ?? use.name}=${kind}: ${step?.where ?? 'a step'} uses '${use.name}' in input '${use.input}', which takes ${describeType(use.type)} connection; ${kind} is ${describeType(KIND_TYPE[kind])} connection. Use one of: ${kindsOf(use.type).join(', ')}.`,
      );
    }
    if (!kinds.has(key)) kinds.set(key, { name: use.name, kind, fromDefault: override === undefined });
  }
  for (const { name } of overridesByName.values()) {
    if (!kinds.has(name.toLowerCase())) {
      const known = [...kinds.values()].map((entry) => `'${entry.name}'`);
      throw new PipelineError(`--connection ${name}=...: ${pipeline.file} uses no service connection named '${name}'${known.length > 0 ? `; it uses ${known.join(', ')}` : ''}.`);
    }
  }
  return { uses, kinds };
}

/** The steps' inputs with each connection name replaced by the local connection's id, as the agent passes it. */
export function withConnectionIds(pipeline: Pipeline, plan: ConnectionPlan, idOf: (kind: LocalConnectionKind) => string): Pipeline {
  const steps = pipeline.steps.map((step, stepIndex) => {
    const inputs = { ...step.inputs };
    for (const use of plan.uses.filter((candidate) => candidate.stepIndex === stepIndex)) {
      const entry = plan.kinds.get(use.name.toLowerCase());
      if (entry) inputs[use.input] = idOf(entry.kind);
    }
    return { ...step, inputs };
  });
  return { ...pipeline, steps };
}

/**
 * A service connection name as Azure DevOps takes it: any text (hyphens, spaces, dots, parentheses...)
 * except ASCII control characters, which no Azure DevOps name may hold (docs: "Naming restrictions and
 * conventions", general considerations); compared case-insensitively, surrounding blanks trimmed.
 */
export function checkConnectionName(name: string, argument: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new PipelineError(`${argument}: the service connection name is empty.`);
  const control = [...trimmed].find((character) => character.charCodeAt(0) < 32 || character.charCodeAt(0) === 127);
  if (control !== undefined) {
    const code = `U+${control.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
    throw new PipelineError(`${argument}: the service connection name ${JSON.stringify(trimmed)} holds a control character (${code}), which Azure DevOps does not accept in a name.`);
  }
  return trimmed;
}

export function parseConnectionKind(value: string, argument: string): LocalConnectionKind {
  const kind = LOCAL_CONNECTION_KINDS.find((candidate) => candidate.toLowerCase() === value.trim().toLowerCase());
  if (!kind) throw new PipelineError(`${argument}: '${value}' is not a local connection; use one of: ${LOCAL_CONNECTION_KINDS.join(', ')}.`);
  return kind;
}

function describeType(type: EndpointType): string {
  return type === 'azurerm' ? 'an Azure Resource Manager' : 'a Docker registry';
}

function kindsOf(type: EndpointType): LocalConnectionKind[] {
  return LOCAL_CONNECTION_KINDS.filter((kind) => KIND_TYPE[kind] === type);
}
