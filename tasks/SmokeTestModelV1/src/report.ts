import * as path from 'node:path';
import { messageOf } from '../../common/errors';
import type { SetVariableOptions, TaskLog, TestResultsPublication } from '../../common/task-runtime';
import type { Check } from './checks';
import { buildJUnit } from './junit';
import type { LatencyStats } from './stats';
import { buildSummary, type SummaryFacts } from './summary';

/** Where results go: files, the Tests tab, the Extensions tab, output variables. */
export interface ResultSinks {
  readonly tempDirectory: string;
  writeFile(file: string, content: string): void;
  publishTestResults(publication: TestResultsPublication): void;
  addSummary(title: string, markdown: string): void;
  setVariable(name: string, value: string, options?: SetVariableOptions): void;
}

export const OUTPUT = {
  latencyP50Ms: 'latencyP50Ms',
  latencyP95Ms: 'latencyP95Ms',
  latencyP99Ms: 'latencyP99Ms',
  successRate: 'successRate',
  protocol: 'protocol',
  testResultsFile: 'testResultsFile',
} as const;

export interface RunReport {
  readonly suiteName: string;
  readonly timestamp: string;
  readonly durationInMs: number;
  readonly checks: readonly Check[];
  readonly properties: Readonly<Record<string, string>>;
  readonly summary: SummaryFacts;
  readonly stats?: LatencyStats;
  readonly successRate?: number;
  readonly protocol?: string;
  readonly publish: boolean;
  readonly testRunTitle?: string;
  readonly fileStem: string;
}

/** Writes and publishes the results. Nothing here fails the task: problems become warnings. */
export function publishReport(report: RunReport, sinks: ResultSinks, log: TaskLog): void {
  let junitFile: string | undefined = path.join(sinks.tempDirectory, `${report.fileStem}.junit.xml`);
  try {
    sinks.writeFile(junitFile, buildJUnit({ suiteName: report.suiteName, timestamp: report.timestamp, durationInMs: report.durationInMs, checks: report.checks, properties: report.properties }));
    log.debug(`Wrote the JUnit results to ${junitFile}.`);
  } catch (error) {
    log.warning(`Could not write the test results file ${junitFile}: ${messageOf(error)}`);
    junitFile = undefined;
  }
  if (junitFile !== undefined && report.publish) {
    try {
      sinks.publishTestResults({ format: 'JUnit', files: [junitFile], title: report.testRunTitle ?? report.suiteName });
    } catch (error) {
      log.warning(`Could not publish the test results: ${messageOf(error)}`);
    }
  }
  try {
    sinks.addSummary('Smoke test', buildSummary(report.summary));
  } catch (error) {
    log.warning(`Could not add the summary: ${messageOf(error)}`);
  }
  const output = (name: string, value: string): void => sinks.setVariable(name, value, { isOutput: true });
  if (report.stats !== undefined) {
    output(OUTPUT.latencyP50Ms, round(report.stats.p50Ms));
    output(OUTPUT.latencyP95Ms, round(report.stats.p95Ms));
    output(OUTPUT.latencyP99Ms, round(report.stats.p99Ms));
  }
  if (report.successRate !== undefined) output(OUTPUT.successRate, String(Math.round(report.successRate * 10_000) / 10_000));
  if (report.protocol !== undefined) output(OUTPUT.protocol, report.protocol);
  if (junitFile !== undefined) output(OUTPUT.testResultsFile, junitFile);
}

function round(ms: number): string {
  return String(Math.round(ms * 10) / 10);
}
