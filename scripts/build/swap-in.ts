/**
 * Puts a freshly built folder in place of the one tasks run from. A dist/ that already holds exactly
 * the same files is left as it is (only its bundle's time is refreshed), so that a rebuild while tasks
 * run from it (`npm run package` in one test lane, the bundled tasks in another) never removes it
 * under them; a changed one is swapped in with two renames.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function swapIn(staging: string, target: string, freshnessFile: string): void {
  if (sameFiles(staging, target)) {
    const now = new Date();
    fs.utimesSync(path.join(target, freshnessFile), now, now);
    return;
  }
  const old = `${staging}.old`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(staging, target);
  fs.rmSync(old, { recursive: true, force: true });
}

/** True when both folders hold the same files with the same contents. */
export function sameFiles(a: string, b: string): boolean {
  if (!fs.existsSync(b) || !fs.statSync(b).isDirectory()) return false;
  const names = (folder: string): string[] =>
    fs.readdirSync(folder, { withFileTypes: true }).map((entry) => `${entry.name}${entry.isDirectory() ? '/' : ''}`).sort();
  const [inA, inB] = [names(a), names(b)];
  if (inA.join('\n') !== inB.join('\n')) return false;
  return inA.every((name) => {
    const [fileA, fileB] = [path.join(a, name), path.join(b, name)];
    if (name.endsWith('/')) return sameFiles(fileA, fileB);
    return fs.statSync(fileA).size === fs.statSync(fileB).size && fs.readFileSync(fileA).equals(fs.readFileSync(fileB));
  });
}
