import * as fs from 'node:fs';
import * as path from 'node:path';
import { TASK_NAMES, buildTasks } from '../build';
import { REPOSITORY_ROOT } from './task-folder';

let building: Promise<void> | undefined;

/** Builds the task bundles once per process, when a bundle is missing or older than its sources. */
export function ensureBuilt(): Promise<void> {
  building ??= (async () => {
    if (TASK_NAMES.every((task) => isFresh(task))) return;
    await buildTasks();
  })();
  return building;
}

function isFresh(task: string): boolean {
  const bundle = path.join(REPOSITORY_ROOT, 'tasks', task, 'dist', 'index.js');
  if (!fs.existsSync(bundle)) return false;
  const builtAt = fs.statSync(bundle).mtimeMs;
  const sources = [
    path.join(REPOSITORY_ROOT, 'tasks', task, 'src'),
    path.join(REPOSITORY_ROOT, 'tasks', 'common'),
    path.join(REPOSITORY_ROOT, 'package-lock.json'),
  ];
  return sources.every((source) => newestModification(source) <= builtAt);
}

function newestModification(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(entry)
    .reduce((newest, child) => Math.max(newest, newestModification(path.join(entry, child))), stat.mtimeMs);
}
