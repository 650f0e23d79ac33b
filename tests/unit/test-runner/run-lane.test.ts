import { strict as assert } from 'node:assert';
import { runLane } from '../../../scripts/test/run-lane';

describe('npm test lanes: one lane run', function () {
  this.timeout(60_000);

  it('counts passed and skipped tests and keeps stdout and stderr whole', async () => {
    const result = await runLane({ name: 'fixture', node: process.execPath, files: ['tests/fixtures/lanes/passes-and-logs.ts'] }, 50_000);
    assert.deepEqual(result.counts, { passes: 1, failures: 0, pending: 1 });
    assert.deepEqual(result.failureList, []);
    assert.match(result.output, /said on stdout/);
    assert.match(result.output, /said on stderr/);
    assert.equal(result.timedOutAfterMs, undefined);
  });

  it('records each failed test with its title, file and error, for the closing list of npm test', async () => {
    const result = await runLane({ name: 'failing fixture', node: process.execPath, files: ['tests/fixtures/lanes/fails.ts'] }, 50_000);
    assert.deepEqual(result.counts, { passes: 1, failures: 1, pending: 0 });
    assert.equal(result.failureList.length, 1);
    const [failure] = result.failureList;
    assert.equal(failure?.title, 'a failing lane fixture fails with a message');
    assert.equal(failure?.file, 'tests/fixtures/lanes/fails.ts');
    assert.match(failure?.error ?? '', /one is not two/);
  });

  it('stops a lane that outlives its timeout, counts it failed and says so after its output so far', async () => {
    const result = await runLane({ name: 'hanging fixture', node: process.execPath, files: ['tests/fixtures/lanes/hangs.ts'] }, 6_000);
    assert.ok(result.timedOutAfterMs !== undefined);
    assert.equal(result.counts.failures, 1);
    assert.match(result.output, /started, now hanging[\s\S]*lane 'hanging fixture' did not finish within 6 s: stopped/);
  });

  it('counts a Node that cannot start as a failure with the reason', async () => {
    const result = await runLane({ name: 'no node', node: '/nonexistent/node', files: ['tests/fixtures/lanes/passes-and-logs.ts'] }, 50_000);
    assert.equal(result.counts.failures, 1);
    assert.match(result.output, /could not start mocha with \/nonexistent\/node/);
  });
});
