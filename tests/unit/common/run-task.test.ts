import { strict as assert } from 'node:assert';
import { InputError, TaskError, invalidInput, messageOf, missingInput, truncate } from '../../../tasks/common/errors';
import { runTask } from '../../../tasks/common/run-task';
import type { TaskResult, TaskRuntime } from '../../../tasks/common/task-runtime';

function recordingRuntime(): { runtime: TaskRuntime; results: [TaskResult, string][]; debug: string[] } {
  const results: [TaskResult, string][] = [];
  const debug: string[] = [];
  const runtime = {
    setResult: (result: TaskResult, message: string) => results.push([result, message]),
    debug: (message: string) => debug.push(message),
  } as Partial<TaskRuntime> as TaskRuntime;
  return { runtime, results, debug };
}

describe('runTask (the one place a task fails)', () => {
  let exitCode: typeof process.exitCode;
  beforeEach(() => {
    exitCode = process.exitCode;
  });
  afterEach(() => {
    process.exitCode = exitCode;
  });

  it("shows a TaskError's message as is, once, and leaves the exit code at 0 (the agent would add a second error for a non-zero one)", async () => {
    const { runtime, results, debug } = recordingRuntime();
    await runTask(runtime, () => Promise.reject(missingInput('image')));
    assert.deepEqual(results, [['Failed', "Input 'image' is required but was not set."]]);
    assert.deepEqual(debug, []);
    assert.equal(process.exitCode ?? 0, exitCode ?? 0);
  });

  it('reports anything else as an unexpected error, with its stack only in debug', async () => {
    const { runtime, results, debug } = recordingRuntime();
    await runTask(runtime, () => Promise.reject(new RangeError('boom')));
    assert.deepEqual(results, [['Failed', 'Unexpected error: boom']]);
    assert.match(debug[0] ?? '', /RangeError: boom/);
  });

  it("sets Succeeded once, with the body's message, when the body succeeds", async () => {
    const { runtime, results } = recordingRuntime();
    await runTask(runtime, () => Promise.resolve('All done.'));
    assert.deepEqual(results, [['Succeeded', 'All done.']]);
  });
});

describe('errors', () => {
  it('say what an input must be and what it got', () => {
    const error = invalidInput('cpu', 'a number from 0.1 to 4', 'abc');
    assert.ok(error instanceof InputError && error instanceof TaskError);
    assert.equal(error.input, 'cpu');
    assert.equal(error.message, "Input 'cpu' must be a number from 0.1 to 4; got 'abc'.");
  });

  it('truncate long values and never dump objects', () => {
    assert.equal(truncate('abcdef', 3), 'abc... (3 more characters)');
    assert.equal(messageOf({ secret: 'x' }), 'unknown error');
    assert.equal(messageOf('text'), 'text');
    assert.match(invalidInput('x', 'short', 'y'.repeat(500)).message, /\(300 more characters\)/);
  });
});
