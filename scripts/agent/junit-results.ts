/**
 * What the agent reads from a JUnit file it publishes (src/Agent.Worker/TestResults/Legacy/JunitResultReader.cs,
 * and the Parser.cs JUnit parser of the current TestDataPublisher): the XML must load (XmlDocument.Load),
 * the root is `testsuites` (its `testsuite` children) or a `testsuite`, suites may nest; a `testcase` with
 * a `failure` or an `error` child failed, one with `skipped` was not executed. Pure.
 */
import { type XmlElement, childrenNamed, parseXml } from './xml-reader';

export interface JUnitOutcome {
  total: number;
  failed: number;
  skipped: number;
}

/** Throws (as XmlDocument.Load and the reader do) on malformed XML or a root that is no test suite. */
export function readJUnitOutcome(xml: string): JUnitOutcome {
  const root = parseXml(xml);
  if (root.name !== 'testsuites' && root.name !== 'testsuite') throw new Error(`the root element is <${root.name}>, not <testsuites> or <testsuite>`);
  const outcome: JUnitOutcome = { total: 0, failed: 0, skipped: 0 };
  const suites = root.name === 'testsuites' ? childrenNamed(root, 'testsuite') : [root];
  for (const suite of suites) count(suite, outcome);
  return outcome;
}

function count(suite: XmlElement, outcome: JUnitOutcome): void {
  for (const inner of childrenNamed(suite, 'testsuite')) count(inner, outcome);
  for (const testCase of childrenNamed(suite, 'testcase')) {
    outcome.total += 1;
    if (childrenNamed(testCase, 'failure').length > 0 || childrenNamed(testCase, 'error').length > 0) outcome.failed += 1;
    else if (childrenNamed(testCase, 'skipped').length > 0) outcome.skipped += 1;
  }
}
