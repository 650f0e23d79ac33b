import assert from 'node:assert/strict';
import type { TaskRun } from '../../../scripts/agent/task-run';
import { readIrisAnswer } from '../../../scripts/pipeline/prediction';
import { createStyle } from '../../../scripts/pipeline/render';
import { readJUnitChecks, smokeTestLines, table, timingLines } from '../../../scripts/pipeline/report';

const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="s" tests="3" failures="1"><testsuite name="s">
    <testcase classname="smoke" name="ready within 300 s" time="1.250"/>
    <testcase classname="smoke" name="$.outputs[1].data == [0, 1, 2]" time="0.000">
      <failure message="$.outputs[1].data is [0, 1, 1] &amp; not [0, 1, 2]" type="AssertionFailed">x</failure>
    </testcase>
    <testcase classname="smoke" name="latency p95 &lt;= 500 ms" time="0.000"><skipped message="not run"/></testcase>
</testsuite></testsuites>`;

function smokeRun(): TaskRun {
  return {
    result: 'Failed',
    exitCode: 0,
    timedOut: false,
    taskResult: 'Failed',
    cancelled: false,
    commandErrors: [],
    leftProcesses: [],
    prependPath: [],
    registeredSecrets: [],
    node: { handler: 'Node20_1', path: 'node', version: 'v20.0.0' },
    variables: { latencyP50Ms: { value: '2.3', isOutput: true, isSecret: false }, successRate: { value: '1', isOutput: true, isSecret: false } },
    issues: [],
    summaries: [],
    testResults: [{ type: 'JUnit', files: ['/tmp/x.xml'], contents: [JUNIT] }],
    attachments: [],
    log: '',
    stdout: '',
    stderr: '',
    secrets: [],
  };
}

describe('local pipeline runner: closing report', () => {
  it('reads the test cases of the published JUnit file, skipped ones left out', () => {
    assert.deepEqual(readJUnitChecks(JUNIT), [
      { name: 'ready within 300 s', passed: true, seconds: 1.25 },
      { name: '$.outputs[1].data == [0, 1, 2]', passed: false, seconds: 0, message: '$.outputs[1].data is [0, 1, 1] & not [0, 1, 2]' },
    ]);
  });

  it('shows the smoke test checks as a table with the failures spelled out, then the latency outputs', () => {
    assert.deepEqual(smokeTestLines(smokeRun(), createStyle(false)), [
      'result  check                              time',
      '──────  ──────────────────────────────  ───────',
      'pass    ready within 300 s              1.250 s',
      'FAIL    $.outputs[1].data == [0, 1, 2]  0.000 s',
      '  $.outputs[1].data == [0, 1, 2]: $.outputs[1].data is [0, 1, 1] & not [0, 1, 2]',
      '',
      'latency p50 2.3 ms, p95 -, p99 -; success rate 1; protocol -',
    ]);
  });

  it('aligns tables, numbers to the right', () => {
    assert.deepEqual(table(['a', 'n'], [['long name', '1.5 s'], ['x', '12.0 s']]), ['a               n', '─────────  ──────', 'long name   1.5 s', 'x          12.0 s']);
    const lines = timingLines([{ label: 'Start', durationInMs: 1200 }, { label: 'step image', durationInMs: 2900, note: 'Succeeded', step: true }], 16_300);
    assert.equal(lines.at(-1), 'total (wall time)  16.3 s');
    assert.match(lines.at(-2) ?? '', /^outside the steps {2}13\.4 s {2}the runner/);
  });

  it('reads the predicted species and its probability from an Open Inference Protocol answer', () => {
    const answer = { outputs: [{ name: 'probabilities', data: [[0.0, 0.001, 0.999]] }, { name: 'label', data: [2] }] };
    assert.deepEqual(readIrisAnswer(answer), { species: 'virginica', probability: 0.999 });
    assert.equal(readIrisAnswer({ outputs: [{ name: 'label', data: [7] }] }), undefined);
    assert.equal(readIrisAnswer('not json'), undefined);
  });
});
