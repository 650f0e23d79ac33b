/**
 * Runs one lane: mocha over the lane's files in a process group of its own, its output (stdout and
 * stderr, in order) kept whole so that it can be printed in one piece when the lane ends. A lane that
 * outlives its timeout is stopped (SIGTERM to its group, SIGKILL 15 s later) and counted as failed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const MOCHA = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
const REPORTER = path.join(__dirname, 'summary-reporter.ts');
const KILL_AFTER_TERM_IN_MS = 15_000;

export interface Counts {
  passes: number;
  failures: number;
  /** Skipped or pending tests: counted and shown, never silent. */
  pending: number;
}

/** One failed test, as scripts/test/summary-reporter.ts records it. */
export interface FailureSummary {
  /** The test's full title (its suites and its own title), as the spec reporter prints it. */
  title: string;
  /** The test file, relative to the repository when it can be. */
  file: string;
  /** The error's message and the start of its stack. */
  error: string;
}

export interface LaneJob {
  name: string;
  /** The Node binary that runs mocha (and, through the local agent, the tasks' handler choice). */
  node: string;
  files: readonly string[];
  env?: Record<string, string>;
}

export interface LaneResult {
  job: LaneJob;
  counts: Counts;
  /** Each failed test with its error, as mocha's reporter recorded it (empty when mocha wrote no summary). */
  failureList: FailureSummary[];
  output: string;
  elapsedInMs: number;
  /** Set when the lane was stopped for running past its timeout. */
  timedOutAfterMs?: number;
}

/** Lanes still running, so that a stopped `npm test` stops them too. */
const running = new Set<ChildProcess>();

export function stopAllLanes(signal: NodeJS.Signals): void {
  for (const child of running) killGroup(child, signal);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export function runLane(job: LaneJob, timeoutInMs: number): Promise<LaneResult> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mocha-lane-'));
  const summaryFile = path.join(folder, 'summary.json');
  const started = Date.now();
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    const child = spawn(job.node, [MOCHA, '--config', '.mocharc.json', '--reporter', REPORTER, ...job.files], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...job.env, MOCHA_SUMMARY_FILE: summaryFile },
    });
    running.add(child);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    let timedOutAfterMs: number | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const timeout = setTimeout(() => {
      timedOutAfterMs = Date.now() - started;
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_AFTER_TERM_IN_MS);
    }, timeoutInMs);
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      running.delete(child);
      let counts: Counts = { passes: 0, failures: 0, pending: 0 };
      let failureList: FailureSummary[] = [];
      const notes: string[] = [];
      if (fs.existsSync(summaryFile)) {
        const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as Partial<Counts> & { failureList?: FailureSummary[] };
        counts = { passes: summary.passes ?? 0, failures: summary.failures ?? 0, pending: summary.pending ?? 0 };
        failureList = summary.failureList ?? [];
      } else notes.push(`mocha ended (${signal ? `signal ${signal}` : `exit code ${code ?? 'none'}`}) without a summary`);
      if (timedOutAfterMs !== undefined) notes.push(`lane '${job.name}' did not finish within ${Math.round(timeoutInMs / 1000)} s: stopped (a test hangs; its output so far is above)`);
      // A crash, a hang or a failing exit without a counted failure is one failure.
      if ((code !== 0 || timedOutAfterMs !== undefined) && counts.failures === 0) counts = { ...counts, failures: 1 };
      fs.rmSync(folder, { recursive: true, force: true });
      const output = Buffer.concat(chunks).toString('utf8') + notes.map((note) => `\n${note}\n`).join('');
      resolve({ job, counts, failureList, output, elapsedInMs: Date.now() - started, ...(timedOutAfterMs !== undefined ? { timedOutAfterMs } : {}) });
    };
    child.on('error', (error) => {
      chunks.push(Buffer.from(`could not start mocha with ${job.node}: ${error.message}\n`));
      finish(null, null);
    });
    child.on('close', finish);
  });
}
