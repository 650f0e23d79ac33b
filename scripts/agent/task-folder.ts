import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskJson } from '../task-json';
import type { TaskName } from './task-run';

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

export function taskSourceFolder(task: TaskName): string {
  return path.join(REPOSITORY_ROOT, 'tasks', task);
}

/**
 * Copies a built task as the agent unpacks it (task.json, icon.png, dist/) into `destination`, which
 * holds no node_modules: the bundle must stand alone. Returns the folder, the script of its highest Node handler and its task.json.
 */
export function installTask(task: TaskName, destination: string): { folder: string; script: string; taskJson: TaskJson } {
  const source = taskSourceFolder(task);
  const dist = path.join(source, 'dist');
  if (!fs.existsSync(path.join(dist, 'index.js'))) {
    throw new Error(`${task} is not built (no ${path.relative(REPOSITORY_ROOT, dist)}/index.js): run 'npm run build' or call ensureBuilt() first.`);
  }
  const folder = path.join(destination, task);
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(path.join(source, 'task.json'), path.join(folder, 'task.json'));
  if (fs.existsSync(path.join(source, 'icon.png'))) fs.copyFileSync(path.join(source, 'icon.png'), path.join(folder, 'icon.png'));
  fs.cpSync(dist, path.join(folder, 'dist'), { recursive: true });
  const taskJson = JSON.parse(fs.readFileSync(path.join(folder, 'task.json'), 'utf8')) as TaskJson;
  return { folder, script: path.join(folder, handlerTarget(path.join(folder, 'task.json'))), taskJson };
}

const HANDLER_PREFERENCE = ['Node24', 'Node20_1', 'Node16', 'Node10', 'Node'];

/** The target of the highest Node handler task.json declares (the handler agent 4.x picks; node-handler.ts picks its Node). */
export function handlerTarget(taskJsonPath: string): string {
  const taskJson = JSON.parse(fs.readFileSync(taskJsonPath, 'utf8')) as { execution?: Record<string, { target?: string }> };
  for (const handler of HANDLER_PREFERENCE) {
    const target = taskJson.execution?.[handler]?.target;
    if (target !== undefined) return target;
  }
  throw new Error(`${taskJsonPath} declares no Node handler in 'execution'.`);
}
