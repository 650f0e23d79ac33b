/**
 * The machine's processes from /proc (Linux), as the agent's orphan clean-up sees them
 * (src/Agent.Worker/JobExtension.cs `FinalizeJob`: processes whose environment holds the job's
 * VSTS_PROCESS_LOOKUP_ID). Processes of other users, and zombies, are left out.
 */
import * as fs from 'node:fs';

export interface ProcessInfo {
  pid: number;
  processGroup: number;
  /** The command line, arguments joined with spaces. */
  command: string;
  /** Only the variables that matter here (VSTS_PROCESS_LOOKUP_ID); empty when unreadable. */
  environment: { VSTS_PROCESS_LOOKUP_ID?: string };
}

/** Parses /proc/<pid>/stat: state and process group (comm may hold spaces and parentheses: split after the last ')'). */
export function parseProcStat(stat: string): { state: string; processGroup: number } | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const processGroup = Number(fields[2]);
  return fields[0] !== undefined && Number.isInteger(processGroup) ? { state: fields[0], processGroup } : undefined;
}

export function listProcesses(): ProcessInfo[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  const processes: ProcessInfo[] = [];
  for (const entry of entries) {
    const stat = readOrUndefined(`/proc/${entry}/stat`);
    const parsed = stat === undefined ? undefined : parseProcStat(stat);
    if (parsed === undefined || parsed.state === 'Z') continue;
    const lookupId = /(?:^|\0)VSTS_PROCESS_LOOKUP_ID=([^\0]*)/.exec(readOrUndefined(`/proc/${entry}/environ`) ?? '')?.[1];
    processes.push({
      pid: Number(entry),
      processGroup: parsed.processGroup,
      command: (readOrUndefined(`/proc/${entry}/cmdline`) ?? '').split('\0').filter((part) => part !== '').join(' '),
      environment: lookupId === undefined ? {} : { VSTS_PROCESS_LOOKUP_ID: lookupId },
    });
  }
  return processes;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
