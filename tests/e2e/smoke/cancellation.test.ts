/**
 * SmokeTestModel cancelled as the agent cancels a step (SIGINT, 7.5 s, SIGTERM, 2.5 s, kill), while it
 * waits for readiness and while it sends the measured requests: it stops within the SIGINT window,
 * says in one line what was cancelled and that nothing was published, and leaves no process behind.
 */
import { strict as assert } from 'node:assert';
import { ensureBuilt } from '../../../scripts/agent/build-once';
import { runBundledTask } from '../../../scripts/agent/run-task';
import type { TaskRun } from '../../../scripts/agent/task-run';
import { KSERVE_MODEL, type RunningServer, startKserveV1Server } from '../../fixtures/model-servers';

describe('SmokeTestModel (bundled): cancellation', function () {
  this.timeout(120_000);
  let server: RunningServer | undefined;
  before(() => ensureBuilt());
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Runs the task and cancels the job once a line matching `when` was shown. */
  async function cancelWhen(inputs: Record<string, string>, when: RegExp): Promise<TaskRun> {
    const controller = new AbortController();
    return runBundledTask({
      task: 'SmokeTestModelV1',
      inputs: { protocol: 'kserveV1', modelName: KSERVE_MODEL, requestBody: '{"instances": [[6.8, 2.8, 4.8, 1.4]]}', ...inputs },
      cancellation: controller.signal,
      onLine: (line) => {
        if (when.test(line) && !controller.signal.aborted) setTimeout(() => controller.abort(), 300);
      },
      timeoutInMs: 90_000,
    });
  }

  function assertCancelledCleanly(run: TaskRun, phase: RegExp): void {
    assert.equal(run.result, 'Canceled', run.log);
    assert.equal(run.stoppedBy, 'SIGINT', 'the task ends within the SIGINT window');
    const lines = run.log.split('\n').filter((line) => /cancelled/i.test(line));
    assert.equal(lines.length, 1, `one line says the step was cancelled:\n${run.log}`);
    assert.match(lines[0] ?? '', phase);
    assert.match(lines[0] ?? '', /No test results, summary or output variables were published/);
    assert.deepEqual(run.testResults, []);
    assert.deepEqual(run.summaries, []);
    assert.deepEqual(run.leftProcesses, [], 'no process left behind');
  }

  it('stops waiting for readiness', async () => {
    server = await startKserveV1Server({ neverReady: true });
    const run = await cancelWhen({ url: server.url, readinessTimeoutInSeconds: '120' }, /Waiting for/);
    assertCancelledCleanly(run, /while waiting for http:\/\/127\.0\.0\.1:\d+ to be ready/);
  });

  it('stops the measured requests in flight', async () => {
    server = await startKserveV1Server({ latencyInMs: 40 });
    const run = await cancelWhen({ url: server.url, requests: '100000', concurrency: '4', warmupRequests: '0' }, /^Sending 100000 requests/);
    assertCancelledCleanly(run, /while sending the measured requests to http:\/\/127\.0\.0\.1:\d+/);
    const inferences = server.inferences();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(server.inferences(), inferences, 'no request is sent after the task ended');
  });
});
