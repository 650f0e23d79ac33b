/**
 * The local agent starts each task in its own process group (as the agent does), so Ctrl+C in the
 * terminal does not reach it. On cancel, the runner ends the groups it started itself: its direct
 * children that lead their own group, found by process id in /proc (Linux).
 */
import * as fs from 'node:fs';

/** Parses /proc/<pid>/stat: the parent's id and the process group's id. */
export function parseProcStat(stat: string): { ppid: number; pgrp: number } | undefined {
  // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  const pgrp = Number(fields[2]);
  return Number.isInteger(ppid) && Number.isInteger(pgrp) ? { ppid, pgrp } : undefined;
}

/** Sends `signal` to each process group led by a direct child of this process; returns their ids. */
export function signalChildProcessGroups(signal: NodeJS.Signals = 'SIGTERM'): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  const signalled: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const parsed = parseProcStat(stat);
    if (parsed?.ppid !== process.pid || parsed.pgrp !== pid) continue;
    try {
      process.kill(-pid, signal);
      signalled.push(pid);
    } catch {
      // Already gone.
    }
  }
  return signalled;
}
