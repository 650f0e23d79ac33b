import type { Check } from './checks';

/**
 * JUnit XML as Azure Pipelines' JUnit reader (agent Worker/TestResults/JunitResultReader.cs) takes it:
 * <testsuites><testsuite name timestamp time><testcase classname name time>. It reads `name` as the test's
 * title and automated name, `classname` as its storage, `time` in seconds; <failure message> as the
 * error message and its text as the stack trace; <skipped message> as "not executed"; <system-out>
 * only of failed cases (as their console log).
 */
export interface JUnitReport {
  readonly suiteName: string;
  /** ISO 8601 start of the run. */
  readonly timestamp: string;
  readonly hostname?: string;
  readonly checks: readonly Check[];
  /**
   * The whole run, for the suite's `time` (the agent's reader ends the run at timestamp + suite time);
   * default: the sum of the checks' times.
   */
  readonly durationInMs?: number;
  /** Shown as <properties> of the suite (url, protocol...). */
  readonly properties?: Readonly<Record<string, string>>;
}

// XML 1.0 allows tab, LF, CR and characters from U+0020; everything else is dropped.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARACTERS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values also keep their line breaks (a parser would fold raw ones into spaces). */
function attribute(text: string): string {
  return escapeXml(text).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

export function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

export function buildJUnit(report: JUnitReport): string {
  const failures = report.checks.filter((check) => check.status === 'failed').length;
  const skipped = report.checks.filter((check) => check.status === 'skipped').length;
  const totalMs = report.durationInMs ?? report.checks.reduce((sum, check) => sum + check.durationInMs, 0);
  const counts = `tests="${report.checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(totalMs)}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attribute(report.suiteName)}" ${counts}>`,
    `  <testsuite name="${attribute(report.suiteName)}" ${counts} timestamp="${attribute(report.timestamp)}"${
      report.hostname === undefined ? '' : ` hostname="${attribute(report.hostname)}"`
    }>`,
  ];
  const properties = Object.entries(report.properties ?? {});
  if (properties.length > 0) {
    lines.push('    <properties>');
    for (const [name, value] of properties) lines.push(`      <property name="${attribute(name)}" value="${attribute(value)}"/>`);
    lines.push('    </properties>');
  }
  for (const check of report.checks) lines.push(...testCase(check));
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function testCase(check: Check): string[] {
  const open = `    <testcase classname="${attribute(check.classname)}" name="${attribute(check.name)}" time="${seconds(check.durationInMs)}"`;
  const children: string[] = [];
  if (check.status === 'failed') {
    const message = check.message ?? 'failed';
    children.push(`      <failure message="${attribute(message)}" type="${attribute(check.failureType ?? 'AssertionFailed')}">${escapeXml(message)}</failure>`);
  } else if (check.status === 'skipped') {
    children.push(`      <skipped message="${attribute(check.message ?? 'not run')}"/>`);
  }
  if (check.output !== undefined && check.output !== '') children.push(`      <system-out>${escapeXml(check.output)}</system-out>`);
  return children.length === 0 ? [`${open}/>`] : [`${open}>`, ...children, '    </testcase>'];
}
