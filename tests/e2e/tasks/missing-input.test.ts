import { strict as assert } from 'node:assert';
import { ensureBuilt } from '../../../scripts/agent/build-once';
import { runBundledTask } from '../../../scripts/agent/run-task';
import { TASK_FOLDERS, readTaskDefinition } from '../../contract/task-definitions';

/**
 * Each bundled task, copied alone into an empty folder (no node_modules) and run as the agent runs it
 * with no inputs at all, fails at once with one error that names a required input.
 */
describe('bundled tasks with a required input missing', function () {
  this.timeout(120_000);
  before(() => ensureBuilt());

  for (const task of TASK_FOLDERS) {
    it(`${task} exits non-zero with task.complete result=Failed naming the input`, async () => {
      const required = (readTaskDefinition(task).inputs ?? []).filter((input) => input.required === true).map((input) => input.name);
      assert.ok(required.length > 0, `${task} declares no required input`);
      const run = await runBundledTask({ task, inputs: {}, timeoutInMs: 60_000 });
      assert.notEqual(run.exitCode, 0, 'exit code');
      assert.equal(run.result, 'Failed');
      assert.match(run.stdout, /##vso\[task\.complete result=Failed;?\]/);
      const named = /^Input '([^']+)' is required/.exec(run.message ?? '')?.[1];
      assert.ok(named !== undefined, `the failure message does not name a missing input: ${run.message ?? '(none)'}`);
      assert.ok(required.includes(named), `'${named}' is not a required input of ${task} (required: ${required.join(', ')})`);
      assert.deepEqual(run.issues, [{ type: 'error', message: run.message }], 'exactly one issue: the error (no task-lib warnings such as a missing resource file)');
      assert.equal(run.stderr, '', 'nothing on stderr');
    });
  }
});
