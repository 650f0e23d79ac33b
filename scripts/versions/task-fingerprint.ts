/**
 * Agents cache a task by its version, so a task whose bundle or definition changed must get a new
 * version. A task's fingerprint is the sha256 of what an agent runs and shows: the scripts of dist/ and
 * task.json without its version. tasks/versions.lock.json records the fingerprint of each version.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const LOCK_FILE = path.join(ROOT, 'tasks', 'versions.lock.json');

export interface TaskVersion {
  version: string;
  fingerprint: string;
}

export type VersionLock = Record<string, TaskVersion>;

export function taskFolders(): string[] {
  return fs
    .readdirSync(path.join(ROOT, 'tasks'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(ROOT, 'tasks', entry.name, 'task.json')))
    .map((entry) => entry.name)
    .sort();
}

export function currentVersion(folder: string): TaskVersion {
  const taskJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'tasks', folder, 'task.json'), 'utf8')) as Record<string, unknown> & {
    version: { Major: number; Minor: number; Patch: number };
  };
  const dist = path.join(ROOT, 'tasks', folder, 'dist');
  if (!fs.existsSync(path.join(dist, 'index.js'))) throw new Error(`${folder} is not built: run 'npm run build' first.`);
  const { version, ...definition } = taskJson;
  // Every script of the bundle: index.js and the SDKs it loads on first use (azure-sdk.js).
  const scripts = fs.readdirSync(dist).filter((file) => file.endsWith('.js')).sort();
  const hash = createHash('sha256');
  for (const script of scripts) hash.update(fs.readFileSync(path.join(dist, script))).update('\0');
  hash.update(JSON.stringify(definition));
  return { version: `${version.Major}.${version.Minor}.${version.Patch}`, fingerprint: `sha256:${hash.digest('hex')}` };
}

export function readLock(): VersionLock {
  return fs.existsSync(LOCK_FILE) ? (JSON.parse(fs.readFileSync(LOCK_FILE, 'utf8')) as VersionLock) : {};
}

export function isNewer(version: string, than: string): boolean {
  const a = version.split('.').map(Number);
  const b = than.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
}

/** Why a task's current state doesn't match the lock, or undefined when it does. */
export function lockProblem(folder: string, current: TaskVersion, locked: TaskVersion | undefined): string | undefined {
  if (locked === undefined) return `${folder} has no entry in tasks/versions.lock.json: run 'npm run version-lock'.`;
  if (current.fingerprint === locked.fingerprint && current.version === locked.version) return undefined;
  if (current.fingerprint === locked.fingerprint) return `${folder}'s version changed (${locked.version} -> ${current.version}) but nothing else did: run 'npm run version-lock' to record it.`;
  if (!isNewer(current.version, locked.version)) {
    return `${folder} changed since version ${locked.version} (its bundle or task.json), but its version was not bumped: agents cache tasks by version. Raise "version" in tasks/${folder}/task.json, then run 'npm run version-lock'.`;
  }
  return `${folder} is now version ${current.version}: run 'npm run version-lock' to record its fingerprint.`;
}
