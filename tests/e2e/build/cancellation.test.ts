/**
 * BuildAndPushAiImage cancelled as the agent cancels a step (SIGINT to the task, 7.5 s, SIGTERM, 2.5 s,
 * kill), during `docker build` and during `docker push`: the task stops docker, deletes its temporary
 * Docker config (it holds an ACR refresh token), ends within the SIGINT window, says in one line what was
 * cancelled and what is left, and leaves no process and no build container behind.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskRun } from '../../../scripts/agent/task-run';
import { listProcesses } from '../../../scripts/agent/process-table';
import { entriesNamed } from '../../support/secret-scan';
import { docker, runAzureRmBuild, useBuildEnvironment } from './build-fixture';

const BUSYBOX = '/bin/busybox';

describe('BuildAndPushAiImage end to end: cancellation', function () {
  this.timeout(5 * 60_000);
  const build = useBuildEnvironment({ name: 'cancel', modelBytes: 64 * 1024, baseBytes: 16 * 1024 });

  /** Runs the task and cancels the job 500 ms after a line matching `when`. */
  function cancelWhen(inputs: Record<string, string>, when: RegExp): Promise<TaskRun> {
    const { azure, baseImage, workspace, agentTemp } = build;
    const controller = new AbortController();
    return runAzureRmBuild(azure, baseImage, azure.connections.spnKey, {
      inputs,
      workingDirectory: workspace.root,
      env: { AGENT_TEMPDIRECTORY: agentTemp },
      cancellation: controller.signal,
      onLine: (line) => {
        if (when.test(line) && !controller.signal.aborted) setTimeout(() => controller.abort(), 500);
      },
    });
  }

  async function assertNothingLeft(run: TaskRun, marker: string): Promise<void> {
    assert.equal(run.result, 'Canceled', run.log.slice(-3000));
    assert.equal(run.stoppedBy, 'SIGINT', 'the task ends within the SIGINT window');
    assert.deepEqual(run.leftProcesses, [], 'no process left behind');
    assert.deepEqual(entriesNamed(build.agentTemp, 'docker-config-'), [], 'the temporary Docker config is deleted');
    // The engine stops the build's container (and the process running in it) and removes it once docker
    // stopped, on its own time: give it a moment, with a deadline.
    const deadline = Date.now() + 60_000;
    let containers = '';
    let processes: ReturnType<typeof listProcesses> = [];
    do {
      processes = listProcesses().filter((p) => p.command.includes(marker));
      containers = (await docker(['ps', '--all', '--no-trunc', '--format', '{{.ID}} {{.Command}}'])).split('\n').filter((line) => line.includes(marker)).join('\n');
      if (containers === '' && processes.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } while (Date.now() < deadline);
    assert.deepEqual(processes, [], 'no docker process of this run');
    assert.equal(containers, '', 'no build container left');
  }

  function oneCancellationLine(run: TaskRun): string {
    const lines = run.log.split('\n').filter((line) => /cancelled/i.test(line));
    assert.equal(lines.length, 1, `one line says the step was cancelled:\n${run.log.slice(-3000)}`);
    return lines[0] ?? '';
  }

  it('during docker build: stops the build, deletes the sign-in, pushes nothing', async () => {
    const marker = `cancel-build-${randomBytes(4).toString('hex')}`;
    const context = path.join(build.workspace.root, marker);
    fs.mkdirSync(context);
    fs.copyFileSync(BUSYBOX, path.join(context, 'busybox'));
    fs.writeFileSync(path.join(context, 'Dockerfile'), `FROM scratch\nCOPY busybox /${marker}/busybox\nRUN ["/${marker}/busybox", "sleep", "300"]\n`);
    const repository = `e2e/${marker}`;
    const run = await cancelWhen({ repository, dockerfile: `${marker}/Dockerfile`, buildArguments: '', tags: '1' }, /RUN \["\/cancel-build/);
    const line = oneCancellationLine(run);
    assert.match(line, new RegExp(`while building .*${repository}:1\\. Nothing was pushed\\.`));
    assert.match(line, /The docker build command was stopped/);
    assert.match(line, /The temporary Docker sign-in was deleted/);
    await assertNothingLeft(run, marker);
    const images = await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    assert.ok(!images.includes(repository), 'no image was tagged');
  });

  it('during docker push: stops the push, deletes the sign-in, says what was pushed', async () => {
    const { azure } = build;
    const marker = `cancel-push-${randomBytes(4).toString('hex')}`;
    azure.faults.addHttpFault({ route: 'acr.v2.blobUploads', kind: 'latency', latencyInMs: 120_000 });
    try {
      const run = await cancelWhen({ repository: `e2e/${marker}`, tags: '1' }, /^Pushing /);
      const line = oneCancellationLine(run);
      assert.match(line, new RegExp(`while pushing .*e2e/${marker}:1\\. Nothing was tagged in the registry yet`));
      assert.match(line, /The docker push command was stopped/);
      assert.match(line, /The temporary Docker sign-in was deleted/);
      await assertNothingLeft(run, marker);
    } finally {
      azure.faults.clear();
    }
  });
});
