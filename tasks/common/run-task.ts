import { TaskError, messageOf } from './errors';
import type { TaskRuntime } from './task-runtime';

/**
 * The one place a task's result is set. index.ts calls it; everything below it throws on failure and
 * the body returns the one-line success message. A TaskError's message is shown as is; anything else
 * is reported as an unexpected error.
 */
export async function runTask(runtime: TaskRuntime, body: (runtime: TaskRuntime) => Promise<string>): Promise<void> {
  try {
    const successMessage = await body(runtime);
    runtime.setResult('Succeeded', successMessage);
  } catch (error) {
    if (!(error instanceof TaskError) && error instanceof Error && error.stack) {
      runtime.debug(error.stack);
    }
    const message = error instanceof TaskError ? error.message : `Unexpected error: ${messageOf(error)}`;
    // The exit code stays 0: the agent fails a step whose process exits non-zero with an error of its own
    // ('Exit code 1 returned from process ...', NodeHandler runs with requireExitCodeZero), a second error
    // for the same failure. The result travels in task.complete, as with every task-lib task.
    runtime.setResult('Failed', message);
  }
}
