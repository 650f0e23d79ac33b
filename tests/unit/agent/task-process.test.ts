import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listProcesses, parseProcStat } from '../../../scripts/agent/process-table';
import { type TaskProcessOutcome, cancellationKnobs, runTaskProcess } from '../../../scripts/agent/task-process';

/**
 * The agent's cancellation of a task process (ProcessInvoker.cs CancelAndKillProcessTree; the knobs
 * PROCESS_SIGINT_TIMEOUT and PROCESS_SIGTERM_TIMEOUT shortened so that the test is quick) and its view
 * of processes a task leaves behind (JobExtension.cs, VSTS_PROCESS_LOOKUP_ID).
 */
describe('task process cancellation (as the agent cancels a Node task)', function () {
  this.timeout(30_000);
  let folder: string;
  const lookupId = `vsts_test_${process.pid}_${Date.now()}`;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'task-process-'));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  async function run(script: string, cancelAfterInMs: number | undefined, signals: NodeJS.Signals[] = []): Promise<TaskProcessOutcome & { lines: string[] }> {
    const file = path.join(folder, `task-${Math.random().toString(36).slice(2)}.js`);
    fs.writeFileSync(file, script);
    const controller = new AbortController();
    const lines: string[] = [];
    const outcome = runTaskProcess(process.execPath, file, {
      cwd: folder,
      env: { PATH: process.env.PATH ?? '', VSTS_PROCESS_LOOKUP_ID: lookupId },
      onLine: (line) => {
        lines.push(line);
        if (line === 'ready' && cancelAfterInMs !== undefined) setTimeout(() => controller.abort(), cancelAfterInMs);
      },
      cancellation: controller.signal,
      processLookupId: lookupId,
      sigintTimeoutInMs: 400,
      sigtermTimeoutInMs: 400,
      onSignal: (signal) => signals.push(signal),
    });
    return { ...(await outcome), lines };
  }

  it('sends SIGINT to the task only, and is done when the task ends within the SIGINT timeout', async () => {
    const signals: NodeJS.Signals[] = [];
    const outcome = await run(`process.on('SIGINT', () => { console.log('got SIGINT'); process.exit(0); }); console.log('ready'); setInterval(() => {}, 1000);`, 50, signals);
    assert.deepEqual(signals, ['SIGINT']);
    assert.equal(outcome.stoppedBy, 'SIGINT');
    assert.ok(outcome.lines.includes('got SIGINT'));
  });

  it('sends SIGTERM after the SIGINT timeout, then SIGKILL after the SIGTERM timeout', async () => {
    const signals: NodeJS.Signals[] = [];
    const termed = await run(`process.on('SIGINT', () => {}); process.on('SIGTERM', () => process.exit(0)); console.log('ready'); setInterval(() => {}, 1000);`, 50, signals);
    assert.deepEqual(signals, ['SIGINT', 'SIGTERM']);
    assert.equal(termed.stoppedBy, 'SIGTERM');
    const stubborn = await run(`process.on('SIGINT', () => {}); process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);`, 50);
    assert.equal(stubborn.stoppedBy, 'SIGKILL');
    assert.equal(stubborn.exitCode, 137);
  });

  it("reports a child left running, and whether it kept VSTS_PROCESS_LOOKUP_ID (the agent reaps only those)", async () => {
    const script = [
      "const { spawn } = require('node:child_process');",
      `const keep = spawn('sleep', ['600'], { stdio: 'ignore', env: process.env });`,
      `const { VSTS_PROCESS_LOOKUP_ID: _dropped, ...without } = process.env;`,
      `const leak = spawn('sleep', ['601'], { stdio: 'ignore', env: without });`,
      "keep.unref(); leak.unref();",
      "console.log('ready');",
    ].join('\n');
    const outcome = await run(script, undefined);
    try {
      const commands = outcome.leftProcesses.map((left) => ({ command: left.command, tracked: left.environment.VSTS_PROCESS_LOOKUP_ID === lookupId }));
      assert.deepEqual(commands.sort((a, b) => a.command.localeCompare(b.command)), [
        { command: 'sleep 600', tracked: true },
        { command: 'sleep 601', tracked: false },
      ]);
    } finally {
      for (const left of outcome.leftProcesses) process.kill(left.pid, 'SIGKILL');
    }
    // What this test started is gone again.
    spawnSync('sleep', ['0.2']);
    assert.deepEqual(listProcesses().filter((p) => outcome.leftProcesses.some((left) => left.pid === p.pid)), []);
  });

  it('ends the step when forced complete (task.complete done=true) while the process runs on: later output dropped, the process left (NodeHandler, ExecutionContext.ForceTaskComplete)', async () => {
    const file = path.join(folder, 'done.js');
    fs.writeFileSync(file, "console.log('ready'); setTimeout(() => console.log('after done'), 300); setInterval(() => {}, 1000);");
    const forced = new AbortController();
    const lines: string[] = [];
    const outcome = await runTaskProcess(process.execPath, file, {
      cwd: folder,
      env: { PATH: process.env.PATH ?? '', VSTS_PROCESS_LOOKUP_ID: lookupId },
      onLine: (line) => {
        lines.push(line);
        if (line === 'ready') forced.abort();
      },
      cancellation: new AbortController().signal,
      processLookupId: lookupId,
      forceCompleted: forced.signal,
    });
    try {
      assert.equal(outcome.forceCompleted, true);
      assert.equal(outcome.exitCode, 0);
      assert.deepEqual(lines, ['ready'], 'output after the forced completion is dropped');
      assert.ok(outcome.leftProcesses.some((left) => left.command.includes('done.js')), 'the task process is left running');
    } finally {
      for (const left of outcome.leftProcesses) process.kill(left.pid, 'SIGKILL');
    }
  });

  it('reads the PROCESS_SIGINT_TIMEOUT and PROCESS_SIGTERM_TIMEOUT knobs from a job variable, then the environment (AgentKnobs.cs)', () => {
    assert.deepEqual(cancellationKnobs({}, {}), { sigintTimeoutInMs: 7500, sigtermTimeoutInMs: 2500 });
    assert.deepEqual(cancellationKnobs({ process_sigint_timeout: '20000' }, { PROCESS_SIGINT_TIMEOUT: '1', PROCESS_SIGTERM_TIMEOUT: '500' }), { sigintTimeoutInMs: 20000, sigtermTimeoutInMs: 500 });
    assert.deepEqual(cancellationKnobs({ PROCESS_SIGINT_TIMEOUT: 'soon' }, {}), { sigintTimeoutInMs: 7500, sigtermTimeoutInMs: 2500 });
  });

  it('reads the state and process group from /proc/<pid>/stat, even with odd command names', () => {
    assert.deepEqual(parseProcStat('4242 (node (x) y) S 100 4242 4242 0 -1 4194560'), { state: 'S', processGroup: 4242 });
  });
});
