import { strict as assert } from 'node:assert';
import { ensureBuilt } from '../../../scripts/agent/build-once';
import { runBundledTask, type RunTaskOptions, type TaskRun } from '../../../scripts/agent/run-task';

export type SmokeRunOptions = Pick<RunTaskOptions, 'variables' | 'secretVariables' | 'connections' | 'env' | 'workingDirectory'>;

/** Runs the bundled SmokeTestModel task as the agent does, with quick defaults for tests. */
export async function runSmokeTest(inputs: Record<string, string>, options: SmokeRunOptions = {}): Promise<TaskRun> {
  await ensureBuilt();
  return runBundledTask({
    task: 'SmokeTestModelV1',
    inputs: { readinessTimeoutInSeconds: '20', requests: '5', ...inputs },
    ...options,
    timeoutInMs: 60_000,
  });
}

export function assertSucceeded(run: TaskRun): void {
  assert.equal(run.result, 'Succeeded', `expected success; message: ${run.message ?? '(none)'}\n--- log ---\n${run.log}\n--- stderr ---\n${run.stderr}`);
  assert.equal(run.exitCode, 0);
}

export function assertFailed(run: TaskRun, pattern: RegExp): void {
  assert.equal(run.result, 'Failed', `expected failure; log:\n${run.log}`);
  assert.match(run.message ?? '', pattern, `unexpected failure message:\n${run.message ?? ''}\n--- log ---\n${run.log}`);
}
