/**
 * Cold start: each bundled task, run from a folder of its own with no node_modules as the agent unpacks
 * it, from spawn to the exit after its missing-input error, in turn with `node -e 0` (A B A B ...).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from '../agent/build-once';
import { installTask } from '../agent/task-folder';
import { TASK_NAMES } from '../build';
import { type Comparison, inTurn } from './support/comparison';
import { type BenchResult, median } from './types';

const RUNS = 15;

/** Wall time of `node <args>` from spawn to exit, in ms; `check` looks at what it printed. */
function timeRun(args: string[], env: NodeJS.ProcessEnv, check?: (stdout: string) => void): Promise<number> {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  check?.(result.stdout);
  return Promise.resolve(elapsed);
}

export async function run(): Promise<BenchResult> {
  await ensureBuilt();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cold-start-'));
  try {
    const env = { PATH: process.env.PATH ?? '', AGENT_TEMPDIRECTORY: root, SYSTEM_DEBUG: 'false' };
    const comparisons: Comparison[] = [];
    for (const task of TASK_NAMES) {
      const { script } = installTask(task, root);
      const check = (stdout: string): void => {
        if (!/##vso\[task\.complete result=Failed;?\]Input '/.test(stdout)) throw new Error(`${task} did not fail on a missing input: ${stdout.slice(-300)}`);
      };
      await timeRun([script], env, check); // warm-up: the file cache
      await timeRun(['-e', '0'], env);
      const samples = await inTurn(RUNS, () => timeRun([script], env, check), () => timeRun(['-e', '0'], env));
      comparisons.push({ measure: `cold start to the missing-input error: ${task}`, unit: 'ms', task: samples.a, raw: samples.b, rawLabel: 'node -e 0', aim: { kind: 'ratio', atMost: 3 } });
    }
    return {
      title: `Cold start to the missing-input error (${RUNS} runs in turn with node -e 0, Node ${process.versions.node})`,
      rows: comparisons.map((c) => ({
        task: c.measure.split(': ')[1] ?? c.measure,
        'task median (ms)': Math.round(median(c.task)),
        'node -e 0 median (ms)': Math.round(median(c.raw ?? [])),
        'ratio of medians': Math.round((median(c.task) / median(c.raw ?? [])) * 100) / 100,
      })),
      comparisons,
      notes: [`Load average while measuring: ${os.loadavg().map((load) => load.toFixed(1)).join(', ')} on ${os.cpus().length} CPUs.`],
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
