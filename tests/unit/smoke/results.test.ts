import { strict as assert } from 'node:assert';
import { evaluateGates } from '../../../tasks/SmokeTestModelV1/src/checks';
import { buildJUnit, escapeXml, seconds } from '../../../tasks/SmokeTestModelV1/src/junit';
import { histogram, latencyStats, percentile } from '../../../tasks/SmokeTestModelV1/src/stats';
import { buildSummary, markdownCell, textHistogram } from '../../../tasks/SmokeTestModelV1/src/summary';
import { parseXml, childrenNamed } from '../../../scripts/agent/xml-reader';

describe('SmokeTestModel latency statistics (nearest rank)', () => {
  it('computes percentiles by nearest rank: always a measured value', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 95), 95);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile([7], 99), 7);
    assert.equal(percentile([1, 2, 3, 4], 50), 2);
    assert.equal(percentile([1, 2, 3, 4, 5], 50), 3);
    assert.throws(() => percentile([], 50));
  });
  it('reports min, max, mean and percentiles of unsorted input', () => {
    assert.deepEqual(latencyStats([30, 10, 20]), { count: 3, minMs: 10, maxMs: 30, meanMs: 20, p50Ms: 20, p95Ms: 30, p99Ms: 30 });
    assert.equal(latencyStats([]), undefined);
  });
  it('buckets a histogram from min to max, counting every value', () => {
    const buckets = histogram([1, 2, 3, 4, 10], 3);
    assert.equal(buckets.length, 3);
    assert.equal(buckets.reduce((sum, b) => sum + b.count, 0), 5);
    assert.deepEqual(buckets.map((b) => b.count), [3, 1, 1]);
    assert.deepEqual(histogram([5, 5], 10), [{ fromMs: 5, toMs: 5, count: 2 }]);
    const lines = textHistogram(buckets);
    assert.match(lines[0] ?? '', /^ 1\.0-4\.0 ms \| #{30} 3$/);
  });
});

describe('SmokeTestModel gates', () => {
  const stats = { count: 10, minMs: 1, maxMs: 90, meanMs: 20, p50Ms: 10, p95Ms: 80, p99Ms: 90 };
  it('makes one check per gate that is set, and one for the error rate', () => {
    const checks = evaluateGates({ maxLatencyP50Ms: 20, maxLatencyP95Ms: 50, maxErrorRate: 0.1 }, stats, { total: 10, errors: 1 });
    assert.deepEqual(checks.map((c) => [c.name, c.status]), [['latency p50 <= 20.0 ms', 'passed'], ['latency p95 <= 50.0 ms', 'failed'], ['error rate <= 10%', 'passed']]);
    assert.equal(checks[1]?.message, 'latency p95 was 80.0 ms, above the limit of 50.0 ms (over 10 requests)');
  });
  it('fails the error-rate gate above the limit and latency gates with nothing measured', () => {
    const [rate] = evaluateGates({ maxErrorRate: 0 }, stats, { total: 4, errors: 1 });
    assert.equal(rate?.status, 'failed');
    assert.equal(rate?.message, '1 of 4 requests failed (25%), above the limit of 0%');
    const [latency] = evaluateGates({ maxLatencyP99Ms: 5, maxErrorRate: 1 }, undefined, { total: 2, errors: 2 });
    assert.equal(latency?.status, 'failed');
  });
});

describe('SmokeTestModel JUnit XML', () => {
  const report = {
    suiteName: 'SmokeTestModel http://h/?a=1&b=<2>',
    timestamp: '2024-01-01T00:00:00.000Z',
    properties: { url: 'http://h' },
    checks: [
      { classname: 'SmokeTestModel.readiness', name: 'ready within 600 s', status: 'passed' as const, durationInMs: 1234, output: 'ready "soon" & fine' },
      { classname: 'SmokeTestModel.assertions', name: "$.a == 'x' <b>", status: 'failed' as const, durationInMs: 0, failureType: 'AssertionFailed', message: 'line1\nline2 \u0001 & <end>' },
      { classname: 'SmokeTestModel.performance', name: 'gates', status: 'skipped' as const, durationInMs: 0, message: 'not run' },
    ],
  };

  it('escapes XML and drops characters XML cannot hold', () => {
    assert.equal(escapeXml(`a&b<c>"d'\u0000e`), 'a&amp;b&lt;c&gt;&quot;d&apos;e');
    assert.equal(seconds(1234), '1.234');
  });

  it('produces testsuites/testsuite/testcase with times in seconds, failure message and type, skipped and system-out', () => {
    const root = parseXml(buildJUnit(report));
    assert.equal(root.name, 'testsuites');
    const suite = childrenNamed(root, 'testsuite')[0];
    assert.ok(suite);
    assert.equal(suite.attributes.name, 'SmokeTestModel http://h/?a=1&b=<2>');
    assert.deepEqual([suite.attributes.tests, suite.attributes.failures, suite.attributes.skipped, suite.attributes.time], ['3', '1', '1', '1.234']);
    const cases = childrenNamed(suite, 'testcase');
    assert.deepEqual(cases.map((c) => c.attributes.time), ['1.234', '0.000', '0.000']);
    assert.equal(childrenNamed(cases[0] as (typeof cases)[number], 'system-out')[0]?.text, 'ready "soon" & fine');
    const failure = childrenNamed(cases[1] as (typeof cases)[number], 'failure')[0];
    assert.equal(failure?.attributes.message, 'line1\nline2  & <end>');
    assert.equal(failure?.attributes.type, 'AssertionFailed');
    assert.equal(cases[1]?.attributes.name, "$.a == 'x' <b>");
    assert.equal(childrenNamed(cases[2] as (typeof cases)[number], 'skipped').length, 1);
  });

  it("gives the suite the whole run's time when known (the agent ends the run at timestamp + suite time)", () => {
    const suite = childrenNamed(parseXml(buildJUnit({ ...report, durationInMs: 65_432 })), 'testsuite')[0];
    assert.equal(suite?.attributes.time, '65.432');
    assert.equal(suite?.attributes.timestamp, '2024-01-01T00:00:00.000Z');
  });

  it('summarises in markdown with a latency table, a histogram and one row per check', () => {
    const markdown = buildSummary({
      url: 'http://h', protocolTitle: 'KServe V1', model: 'm', checks: report.checks, requests: 3, concurrency: 1, warmupRequests: 1, successRate: 2 / 3,
      stats: { count: 3, minMs: 1, maxMs: 3, meanMs: 2, p50Ms: 2, p95Ms: 3, p99Ms: 3 }, histogram: histogram([1, 2, 3], 2),
    });
    assert.match(markdown, /^\*\*Failed\*\*: 1 of 3 checks passed/);
    assert.match(markdown, /\| 2\.0 ms \| 3\.0 ms \| 3\.0 ms \| 1\.0 ms \| 2\.0 ms \| 3\.0 ms \| 66\.7% \|/);
    assert.match(markdown, /```text\n.*\| #+/);
    assert.match(markdown, /\| \$\.a == 'x' &lt;b&gt; \| \*\*failed\*\* \| line1 line2/);
    assert.equal(markdownCell('a|b\nc'), 'a\\|b c');
  });
});
