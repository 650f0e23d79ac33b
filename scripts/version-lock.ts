/**
 * `npm run version-lock`: records each task's version and fingerprint in tasks/versions.lock.json,
 * after `npm run build`. Refuses when a task changed without a new version.
 */
import * as fs from 'node:fs';
import { LOCK_FILE, type VersionLock, currentVersion, isNewer, readLock, taskFolders } from './versions/task-fingerprint';
import { buildTasks } from './build';

async function main(): Promise<void> {
  await buildTasks();
  const lock = readLock();
  const next: VersionLock = {};
  const refused: string[] = [];
  for (const folder of taskFolders()) {
    const current = currentVersion(folder);
    const locked = lock[folder];
    if (locked && current.fingerprint !== locked.fingerprint && !isNewer(current.version, locked.version)) {
      refused.push(`${folder} changed since version ${locked.version}: raise its version in tasks/${folder}/task.json first.`);
    }
    next[folder] = current;
  }
  if (refused.length > 0) {
    console.error(refused.join('\n'));
    process.exitCode = 1;
    return;
  }
  fs.writeFileSync(LOCK_FILE, `${JSON.stringify(next, null, 2)}\n`);
  for (const [folder, entry] of Object.entries(next)) console.log(`${folder} ${entry.version} ${entry.fingerprint.slice(0, 19)}...`);
}

void main();
