import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from '../agent/build-once';
import { installTask } from '../agent/task-folder';
import { TASK_NAMES } from '../build';
import { type BenchResult, median } from './types';

const RUNS = 15;

/** CPU time of the children this process has waited for (Linux /proc; ticks of 10 ms), in ms. */
function childrenCpuInMs(): number | undefined {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    // After "pid (comm) ", field 14 (cutime) and 15 (cstime) of stat(5) are at indexes 13 and 14.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Wall times of `node <args>` from spawn to exit, in ms, `RUNS` times after one warm-up run, and the
 * mean CPU time per run (user + system), which a busy machine disturbs less than wall time.
 */
function timeRuns(args: string[], env: NodeJS.ProcessEnv, check?: (stdout: string) => void): { times: number[]; cpuInMs?: number } {
  const times: number[] = [];
  let cpuBefore: number | undefined;
  for (let i = 0; i <= RUNS; i++) {
    if (i === 1) cpuBefore = childrenCpuInMs();
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    check?.(result.stdout);
    if (i > 0) times.push(elapsed);
  }
  const cpuAfter = childrenCpuInMs();
  return { times, ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuInMs: (cpuAfter - cpuBefore) / RUNS } : {}) };
}

export async function run(): Promise<BenchResult> {
  await ensureBuilt();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cold-start-'));
  try {
    const env = { PATH: process.env.PATH ?? '', AGENT_TEMPDIRECTORY: root, SYSTEM_DEBUG: 'false' };
    const bareRuns = timeRuns(['-e', '0'], env);
    const bare = median(bareRuns.times);
    const row = (name: string, runs: ReturnType<typeof timeRuns>): Record<string, string | number> => ({
      run: name,
      'median wall (ms)': Math.round(median(runs.times)),
      'over bare node (ms)': Math.round(median(runs.times) - bare),
      'min wall (ms)': Math.round(Math.min(...runs.times)),
      'mean CPU (ms)': runs.cpuInMs === undefined ? 'n/a' : Math.round(runs.cpuInMs),
    });
    const rows = [row('node -e 0', bareRuns)];
    for (const task of TASK_NAMES) {
      const { script } = installTask(task, root);
      const runs = timeRuns([script], env, (stdout) => {
        if (!/##vso\[task\.complete result=Failed;?\]Input '/.test(stdout)) throw new Error(`${task} did not fail on a missing input: ${stdout.slice(-300)}`);
      });
      rows.push(row(`${task} (missing input)`, runs));
    }
    return {
      title: `Cold start to the missing-input error (median of ${RUNS} runs, Node ${process.versions.node})`,
      rows,
      notes: [
        'Each task runs from a folder of its own with no node_modules, as the agent unpacks it (aim: at most 150 ms).',
        `Load average while measuring: ${os.loadavg().map((load) => load.toFixed(1)).join(', ')} on ${os.cpus().length} CPUs (wall times grow with load; CPU time much less).`,
      ],
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
