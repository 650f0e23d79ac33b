/**
 * The closing report of a local run, as text: the model's URL and a prediction, the smoke test's
 * checks (from the JUnit file it published) and latency outputs, the .vsix, and where the time went.
 * Pure: data in, lines out.
 */
import type { TaskRun } from '../agent/task-run';
import type { Style } from './render';

export interface SmokeCheck {
  name: string;
  passed: boolean;
  seconds: number;
  message?: string;
}

/** The test cases of a JUnit file (`<testcase name time>`, `<failure message>`, `<skipped>`). */
export function readJUnitChecks(xml: string): SmokeCheck[] {
  const checks: SmokeCheck[] = [];
  const testCase = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const match of xml.matchAll(testCase)) {
    const attributes = match[1] ?? '';
    const body = match[3] ?? '';
    const failure = /<(failure|error)\b[^>]*?message="([^"]*)"/.exec(body);
    if (/<skipped\b/.test(body)) continue;
    checks.push({
      name: unescapeXml(attributeOf(attributes, 'name') ?? '(unnamed)'),
      passed: failure === null && !/<(failure|error)\b/.test(body),
      seconds: Number(attributeOf(attributes, 'time') ?? '0'),
      ...(failure?.[2] !== undefined ? { message: unescapeXml(failure[2]) } : {}),
    });
  }
  return checks;
}

function attributeOf(attributes: string, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(attributes)?.[1];
}

function unescapeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** A plain text table with aligned columns (numbers right-aligned). */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const numeric = headers.map((_, column) => rows.length > 0 && rows.every((row) => /^[\d.,]+( ?(s|ms|%))?$|^$/.test(row[column] ?? '')));
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(line)];
}

/** The smoke test's checks and its latency outputs. */
export function smokeTestLines(run: TaskRun, style: Style): string[] {
  const xml = run.testResults.flatMap((results) => results.contents).join('\n');
  const checks = readJUnitChecks(xml);
  const lines: string[] = [];
  if (checks.length > 0) {
    const rows = checks.map((check) => [check.passed ? style.green('pass') : style.red('FAIL'), check.name, `${check.seconds.toFixed(3)} s`]);
    // Colour codes do not count toward widths: pad on the plain text, colour afterwards.
    const plain = table(['result', 'check', 'time'], checks.map((check) => [check.passed ? 'pass' : 'FAIL', check.name, `${check.seconds.toFixed(3)} s`]));
    lines.push(...plain.slice(0, 2), ...plain.slice(2).map((line, index) => line.replace(/^(pass|FAIL)/, rows[index]?.[0] ?? '$1')));
    for (const check of checks.filter((candidate) => !candidate.passed && candidate.message)) lines.push(style.red(`  ${check.name}: ${check.message ?? ''}`));
  } else {
    lines.push('(the smoke test published no test results)');
  }
  const value = (name: string): string | undefined => run.variables[name]?.value;
  const latency = ['latencyP50Ms', 'latencyP95Ms', 'latencyP99Ms'].map((name) => value(name));
  if (latency.some((entry) => entry !== undefined)) {
    const [p50, p95, p99] = latency.map((entry) => (entry === undefined ? '-' : `${entry} ms`));
    lines.push('', `latency p50 ${p50 ?? '-'}, p95 ${p95 ?? '-'}, p99 ${p99 ?? '-'}; success rate ${value('successRate') ?? '-'}; protocol ${value('protocol') ?? '-'}`);
  }
  return lines;
}

export interface Timing {
  label: string;
  durationInMs: number;
  note?: string;
  /** A pipeline step (the rest is the runner's own overhead). */
  step?: boolean;
}

/** The phases and steps, the runner's overhead (the wall time outside the steps: preparations may run side by side), and the total. */
export function timingLines(timings: readonly Timing[], totalInMs: number): string[] {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const rows = timings.map((timing) => [timing.label, seconds(timing.durationInMs), timing.note ?? '']);
  const stepsInMs = timings.filter((timing) => timing.step === true).reduce((sum, timing) => sum + timing.durationInMs, 0);
  rows.push(['outside the steps', seconds(Math.max(0, totalInMs - stepsInMs)), 'the runner: preparations, start, report']);
  rows.push(['total (wall time)', seconds(totalInMs), '']);
  return table(['phase', 'time', ''], rows);
}
