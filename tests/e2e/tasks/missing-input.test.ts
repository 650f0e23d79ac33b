import { strict as assert } from 'node:assert';
import { ensureBuilt } from '../../../scripts/agent/build-once';
import { runBundledTask } from '../../../scripts/agent/run-task';
import { TASK_FOLDERS, readTaskDefinition } from '../../contract/task-definitions';

/**
 * Each bundled task, copied alone into an empty folder (no node_modules) and run as the agent runs it
 * with only task.json's defaults, fails at once with one error that names the input it lacks.
 */
describe('bundled tasks with a required input missing', function () {
  this.timeout(120_000);
  before(() => ensureBuilt());

  for (const task of TASK_FOLDERS) {
    it(`${task} fails with task.complete result=Failed naming the input, and exit code 0 (no second error from the agent)`, async () => {
      const declared = (readTaskDefinition(task).inputs ?? []).map((input) => input.name);
      const run = await runBundledTask({ task, inputs: {}, timeoutInMs: 60_000 });
      assert.equal(run.exitCode, 0, 'a non-zero exit code makes the agent add an error of its own');
      assert.equal(run.result, 'Failed');
      assert.match(run.stdout, /##vso\[task\.complete result=Failed;?\]/);
      const named = /^Input '([^']+)' is required/.exec(run.message ?? '')?.[1];
      assert.ok(named !== undefined, `the failure message does not name a missing input: ${run.message ?? '(none)'}`);
      // An input may be required only in context (SmokeTestModel's url defaults to DeployToAci's output).
      assert.ok(declared.includes(named), `'${named}' is not an input of ${task}`);
      assert.deepEqual(run.issues, [{ type: 'error', message: run.message }], 'exactly one issue: the error (no task-lib warnings such as a missing resource file)');
      assert.equal(run.stderr, '', 'nothing on stderr');
    });
  }
});
