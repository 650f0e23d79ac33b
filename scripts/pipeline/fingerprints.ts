/**
 * Content fingerprints of the runner's preparations (task bundles, the .vsix, the base image's registry
 * copy), so that a second run redoes only what changed. A fingerprint is a SHA-256 over the relative
 * paths and contents of the files it covers; the last ones are kept in .cache/local-run/fingerprints.json.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The fingerprint of files and folders (recursively) under `root`; a missing entry counts as such. */
export function fingerprintOf(root: string, entries: readonly string[], extra: readonly string[] = []): string {
  const hash = createHash('sha256');
  for (const line of extra) hash.update(`extra ${line}\n`);
  const visit = (relative: string): void => {
    const full = path.join(root, relative);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      hash.update(`missing ${relative}\n`);
      return;
    }
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(full).sort()) visit(path.join(relative, child));
      return;
    }
    hash.update(`file ${relative.split(path.sep).join('/')} ${stat.size}\n`);
    hash.update(fs.readFileSync(full));
  };
  for (const entry of [...entries].sort()) visit(entry);
  return hash.digest('hex');
}

export interface FingerprintStore {
  /** The value recorded with `name` when its fingerprint is still `fingerprint`. */
  get(name: string, fingerprint: string): string | undefined;
  record(name: string, fingerprint: string, value?: string): void;
}

type StoredEntries = Record<string, { fingerprint: string; value: string }>;

function readEntries(file: string): StoredEntries {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StoredEntries;
  } catch {
    return {};
  }
}

/**
 * Two runs in one clone may share the store: a record re-reads the file and changes only its own entry
 * (another run's records stay), and is written through a temporary file of this process's own, renamed
 * into place, so that a reader never sees half a file and two writers never rename each other's file.
 */
export function openFingerprintStore(file: string): FingerprintStore {
  let entries = readEntries(file);
  return {
    get: (name, fingerprint) => (entries[name]?.fingerprint === fingerprint ? entries[name].value : undefined),
    record(name, fingerprint, value = '') {
      entries = { ...readEntries(file), [name]: { fingerprint, value } };
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      fs.writeFileSync(temporary, `${JSON.stringify(entries, null, 2)}\n`);
      fs.renameSync(temporary, file);
    },
  };
}
