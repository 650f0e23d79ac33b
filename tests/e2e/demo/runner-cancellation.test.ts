// Ctrl+C in the local runner (`npm start`) while a step runs, as a terminal sends it (SIGINT to the
// runner's process group). The runner cancels the job as the agent does (azure-pipelines-agent
// src/Agent.Listener/JobDispatcher.cs cancels the job, src/Agent.Worker/StepsRunner.cs cancels the running
// step and marks it Canceled, src/Agent.Sdk/ProcessInvoker.cs `CancelAndKillProcessTree` sends SIGINT to the
// task's process, then SIGTERM after 7.5 s, then kills it after 2.5 s more; the escalation itself is
// tested with short knobs in tests/unit/agent/task-process.test.ts). Here, through the real runner and
// the bundled BuildAndPushAiImage in the middle of `docker build`: the task gets SIGINT and ends within
// that window with its one cancellation line, the later step is skipped, the runner says the job was
// cancelled and exits 130, and nothing is left: no file in the run's TMPDIR (the temporary Docker config
// with its ACR token lived there), no process of the run, no build container, no container of its local Azure.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '../../support/eventually';
import { runDemo } from './run-demo';

const run = promisify(execFile);
const BUSYBOX = '/bin/busybox';

function pipeline(marker: string): string {
  return [
    'steps:',
    '  - task: BuildAndPushAiImage@1',
    '    name: image',
    '    inputs:',
    '      azureSubscription: sc-cancel',
    '      azureContainerRegistry: crcancel',
    `      repository: e2e/${marker}`,
    "      tags: '1'",
    '  - task: SmokeTestModel@1',
    '    name: smoke',
    '    inputs:',
    '      url: http://127.0.0.1:9',
    '      protocol: http',
    '',
  ].join('\n');
}

/** Processes whose command line or environment names `marker` (the run's own TMPDIR), from /proc. */
function processesNaming(marker: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    const read = (file: string): string => {
      try {
        return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
      } catch {
        return '';
      }
    };
    if (Number(pid) === process.pid) continue;
    const command = read('cmdline').split('\0').join(' ');
    if (command.includes(marker) || read('environ').includes(marker)) found.push(`${pid} ${command.slice(0, 160)}`);
  }
  return found;
}

describe('local runner: Ctrl+C while a step runs', function () {
  this.timeout(10 * 60_000);
  const marker = `runner-cancel-${randomBytes(4).toString('hex')}`;
  let folder: string;
  let tmp: string;

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-cancel-app-'));
    fs.copyFileSync(BUSYBOX, path.join(folder, 'busybox'));
    fs.writeFileSync(path.join(folder, 'Dockerfile'), `FROM scratch\nCOPY busybox /${marker}/busybox\nRUN ["/${marker}/busybox", "sleep", "300"]\n`);
    fs.writeFileSync(path.join(folder, 'azure-pipelines.yml'), pipeline(marker));
    await run('git', ['init', '--quiet', folder]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${marker}-tmp-`));
  });
  after(() => {
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('cancels the step as the agent does, skips the rest, says so, exits non-zero and leaves nothing behind', async () => {
    let pressedAt = 0;
    const result = await runDemo([path.join(folder, 'azure-pipelines.yml'), '--connection', 'sc-cancel=spnKey'], 8 * 60_000, { TMPDIR: tmp }, {
      onLine: (line, pressCtrlC) => {
        if (pressedAt === 0 && line.includes(`RUN ["/${marker}/busybox"`)) {
          pressedAt = Date.now();
          setTimeout(pressCtrlC, 500);
        }
      },
    });
    const output = result.output;
    assert.ok(pressedAt > 0, `the build never started:\n${output.slice(-4000)}`);
    assert.equal(result.code, 130, `the runner's exit code:\n${output.slice(-4000)}`);
    // The runner forwards SIGINT to the task's process only, and the task ends within the SIGINT window.
    assert.match(output, /SIGINT: cancelling the running step as the agent does/);
    assert.match(output, /step 'image': SIGINT sent to the task \(pid \d+\)/);
    assert.doesNotMatch(output, /SIGTERM sent to the task|killed the task/, 'the task ended within the 7.5 s after SIGINT');
    const cancelled = output.split('\n').filter((line) => /The step was cancelled/.test(line));
    assert.equal(cancelled.length, 1, `one line of the task says it was cancelled:\n${output.slice(-4000)}`);
    assert.match(cancelled[0] ?? '', new RegExp(`while building .*e2e/${marker}:1\\. Nothing was pushed\\..*The docker build command was stopped.*The temporary Docker sign-in was deleted`));
    assert.match(output, /■ Canceled after/);
    assert.match(output, /○ Skipped: the job was cancelled/);
    assert.match(output, /Job cancelled \(SIGINT\): step 'image' was cancelled; 1 later step skipped\./);
    assert.doesNotMatch(output, /Job (succeeded|failed)/);

    // Nothing left behind.
    assert.deepEqual(processesNaming(tmp), [], 'no process of the run is left');
    const instance = /registry crmodels([0-9a-f]+) at/.exec(output)?.[1];
    assert.ok(instance, 'the local Azure instance id was not printed');
    assert.equal((await run('docker', ['ps', '--all', '--quiet', '--filter', `name=lazure-${instance}`])).stdout.trim(), '', "the run's local Azure left containers");
    await eventually(
      'the build container to go',
      async () => ((await run('docker', ['ps', '--all', '--no-trunc', '--format', '{{.ID}} {{.Command}}'])).stdout.includes(marker) ? undefined : true),
      { timeoutInMs: 60_000, intervalInMs: 500 },
    );
    // tsx keeps its compile cache in TMPDIR (tsx-<uid>): the tool's, not the run's.
    const left = fs.readdirSync(tmp).filter((entry) => !/^tsx-\d+$/.test(entry));
    assert.deepEqual(left, [], "nothing is left in the run's TMPDIR (agent folders, the temporary Docker config)");
    if (process.env.RUNNER_CANCELLATION_OUTPUT) fs.writeFileSync(process.env.RUNNER_CANCELLATION_OUTPUT, output);
  });
});
