/**
 * In Azure a group's `<label>.<region>.azurecontainer.io` resolves to its IP address. Here the names
 * resolve through /etc/hosts (which the resolver reads before DNS), so a client that looks the name up
 * gets the group's loopback address and no DNS query ever leaves the machine. Each instance marks its
 * lines with its id and pid, rewrites only those, and drops lines of instances that are gone.
 */
import * as fs from 'node:fs';

export interface LocalDnsEntry {
  fqdn: string;
  ip: string;
}

export interface LocalDns {
  /** Makes exactly these names (of this instance) resolve. */
  sync(entries: readonly LocalDnsEntry[]): void;
  /** Removes every line of this instance. */
  clear(): void;
  /** Why names can't be published (e.g. not root), or undefined when they can. */
  readonly unavailableBecause: string | undefined;
}

const MARK = '# lazure-dns';
const LOCK_STALE_AFTER_MS = 10_000;

export function createLocalDns(instanceId: string, hostsPath = '/etc/hosts'): LocalDns {
  const unavailableBecause = writableReason(hostsPath);
  const ownMark = `${MARK} ${instanceId} pid=${process.pid}`;
  const rewrite = (entries: readonly LocalDnsEntry[]): void => {
    if (unavailableBecause !== undefined) return;
    withLock(`${hostsPath}.lazure.lock`, () => {
      const kept = fs
        .readFileSync(hostsPath, 'utf8')
        .split('\n')
        .filter((line) => !line.includes(MARK) || (!line.includes(` ${instanceId} `) && ownerAlive(line)));
      while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
      const added = entries.map((entry) => `${entry.ip} ${entry.fqdn} ${ownMark}`);
      // Written in place, not renamed: /etc/hosts is often a bind mount in containers.
      fs.writeFileSync(hostsPath, `${[...kept, ...added].join('\n')}\n`);
    });
  };
  return { sync: rewrite, clear: () => rewrite([]), unavailableBecause };
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
