/**
 * A cache folder written once and never rewritten: filled in a temporary sibling of this process's own
 * and renamed into place, so that it only ever appears whole and a run reading it never sees it change.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Fills `target` through `write(temporary folder)` and renames it into place, unless it is there already
 * or another run put it there first (its name must stand for its content, e.g. a fingerprint).
 */
export async function writeFolderOnce(target: string, write: (folder: string) => Promise<void>): Promise<void> {
  if (fs.existsSync(target)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await write(temporary);
    fs.renameSync(temporary, target);
  } catch (error) {
    // The target only ever appears whole (by a rename), so another run's copy in place is as good as ours.
    if (!fs.existsSync(target)) throw error;
  } finally {
    fs.rmSync(temporary, { recursive: true, force: true });
  }
}
