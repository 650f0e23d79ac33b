/**
 * In Azure a group's `<label>.<region>.azurecontainer.io` resolves to its IP address. Here the names
 * resolve through /etc/hosts (which the resolver reads before DNS), so a client that looks the name up
 * gets the group's loopback address and no DNS query ever leaves the machine. Each instance marks its
 * lines with its id and pid, rewrites only those, and drops lines of instances that are gone.
 *
 * The file is also where instances on the machine see each other's names, as Azure's DNS is shared by
 * everyone: a name another live instance holds is refused (DnsNameLabelAlreadyTaken), checked and
 * written under one lock so two instances publishing the same name at once cannot both get it.
 * Without write access to /etc/hosts the same lines go to a claims file in the temp folder: names then
 * do not resolve, but they stay unique across instances.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface LocalDnsEntry {
  fqdn: string;
  ip: string;
}

export interface LocalDns {
  /**
   * Makes exactly these names (of this instance) resolve, except those another live instance holds:
   * those are not written and are returned.
   */
  sync(entries: readonly LocalDnsEntry[]): string[];
  /** Whether another live instance holds this name (a quick check; `sync` decides). */
  heldElsewhere(fqdn: string): boolean;
  /** Removes every line of this instance. */
  clear(): void;
  /** Why names can't be published (e.g. not root), or undefined when they can. */
  readonly unavailableBecause: string | undefined;
}

const MARK = '# lazure-dns';
const LOCK_STALE_AFTER_MS = 10_000;

export function createLocalDns(instanceId: string, hostsPath = '/etc/hosts', claimsPath = path.join(os.tmpdir(), 'lazure-dns-claims')): LocalDns {
  const unavailableBecause = writableReason(hostsPath);
  const file = unavailableBecause === undefined ? hostsPath : claimsPath;
  const ownMark = `${MARK} ${instanceId} pid=${process.pid}`;
  const othersLines = (lines: readonly string[]): string[] => lines.filter((line) => line.includes(MARK) && !line.includes(` ${instanceId} `) && ownerAlive(line));
  const readLines = (): string[] => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : []);
  const rewrite = (entries: readonly LocalDnsEntry[]): string[] => {
    let refused: string[] = [];
    withLock(`${file}.lazure.lock`, () => {
      const lines = readLines();
      const heldByOthers = new Set(othersLines(lines).map(fqdnOfLine));
      refused = entries.filter((entry) => heldByOthers.has(entry.fqdn.toLowerCase())).map((entry) => entry.fqdn);
      const kept = lines.filter((line) => !line.includes(MARK) || (!line.includes(` ${instanceId} `) && ownerAlive(line)));
      while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
      const added = entries.filter((entry) => !refused.includes(entry.fqdn)).map((entry) => `${entry.ip} ${entry.fqdn} ${ownMark}`);
      const text = [...kept, ...added].join('\n');
      if (file === claimsPath && text === '') fs.rmSync(file, { force: true });
      else replaceWhole(file, `${text}\n`);
    });
    return refused;
  };
  return {
    sync: rewrite,
    heldElsewhere: (fqdn) => othersLines(readLines()).map(fqdnOfLine).includes(fqdn.toLowerCase()),
    clear: () => void rewrite([]),
    unavailableBecause,
  };
}

/**
 * Replaces the file so that a resolver reading it at the same moment sees the old text or the new one,
 * never an empty or half-written file (other instances rewrite it while this one's names are looked up):
 * a sibling file renamed over it. Where that cannot be done (/etc/hosts is often a bind mount in
 * containers: EBUSY), written over in place and cut to length, so the file is never empty meanwhile.
 */
function replaceWhole(file: string, text: string): void {
  const sibling = `${file}.lazure-${process.pid}.tmp`;
  try {
    const mode = fs.statSync(file, { throwIfNoEntry: false })?.mode ?? 0o644;
    fs.writeFileSync(sibling, text);
    fs.chmodSync(sibling, mode & 0o777);
    fs.renameSync(sibling, file);
    return;
  } catch {
    fs.rmSync(sibling, { force: true });
  }
  const bytes = Buffer.from(text);
  const fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w');
  try {
    fs.writeSync(fd, bytes, 0, bytes.length, 0);
    fs.ftruncateSync(fd, bytes.length);
  } finally {
    fs.closeSync(fd);
  }
}

function fqdnOfLine(line: string): string {
  return (line.trim().split(/\s+/)[1] ?? '').toLowerCase();
}

function writableReason(hostsPath: string): string | undefined {
  try {
    fs.accessSync(hostsPath, fs.constants.R_OK | fs.constants.W_OK);
    return undefined;
  } catch {
    return `${hostsPath} is not writable (run the local Azure as root to make container group DNS names resolve)`;
  }
}

function ownerAlive(line: string): boolean {
  const pid = Number(/ pid=(\d+)/.exec(line)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function withLock(lockPath: string, body: () => void): void {
  const giveUpAt = Date.now() + 5000;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (fs.statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_AFTER_MS) fs.rmSync(lockPath, { force: true });
      else if (Date.now() > giveUpAt) throw new Error(`Timed out waiting for ${lockPath}.`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    body();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}
