import { type Cancellation, type CancellationController, createCancellation, listenForCancellation } from './cancellation';
import { TaskError, messageOf } from './errors';
import type { TaskRuntime } from './task-runtime';

export type TaskBody = (runtime: TaskRuntime, cancellation: Cancellation) => Promise<string>;

/**
 * The one place a task's result is set. Everything below it throws on failure and the body returns the
 * one-line success message. A TaskError's message is shown as is; anything else is reported as an
 * unexpected error; once cancelled, whatever was thrown, the result is the one cancellation line.
 */
export async function runTask(
  runtime: TaskRuntime,
  body: TaskBody,
  controller: CancellationController = createCancellation(),
  onCancelled: (line: string) => void = (line) => runtime.setResult('Failed', line),
): Promise<void> {
  const { cancellation } = controller;
  try {
    const successMessage = await body(runtime, cancellation);
    if (cancellation.signal.aborted) return finishCancelled(controller, onCancelled);
    runtime.setResult('Succeeded', successMessage);
  } catch (error) {
    if (cancellation.signal.aborted) return finishCancelled(controller, onCancelled);
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

function finishCancelled(controller: CancellationController, onCancelled: (line: string) => void): void {
  controller.runForcedCleanups();
  onCancelled(controller.cancellation.describe());
}

/**
 * index.ts's entry point: runTask listening for the agent's SIGINT and SIGTERM. A cancelled task sets
 * its result to the one cancellation line (task.complete Failed: task-lib's 'Cancelled' is not a result
 * the agent accepts, and the agent marks the step Canceled itself) and exits at once, leaving no
 * keep-alive socket or timer to hold it past the agent's SIGKILL.
 */
export function runTaskOnAgent(runtime: TaskRuntime, body: TaskBody): Promise<void> {
  let finished = false;
  const finish = (line: string): void => {
    if (finished) return;
    finished = true;
    runtime.setResult('Failed', line);
    process.exit(0);
  };
  const controller = listenForCancellation(process, { finish });
  return runTask(runtime, body, controller, finish);
}
