import * as fs from 'node:fs';
import Mocha from 'mocha';
import type { FailureSummary } from './run-lane';

/** How much of a failure's message and stack is kept for the closing list of `npm test`. */
const MAX_FAILURE_LINES = 25;


function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  // A stack normally starts with the message; keep the message whole when it does not.
  const message = error instanceof Error && !text.includes(error.message) ? `${error.message}\n${text}` : text;
  const lines = message.split('\n');
  return lines.length > MAX_FAILURE_LINES ? [...lines.slice(0, MAX_FAILURE_LINES), `... (${lines.length - MAX_FAILURE_LINES} more lines above, in the lane's output)`].join('\n') : message;
}

/**
 * Mocha's spec reporter, which also writes the run's counts and its failures (title, file, error) to
 * $MOCHA_SUMMARY_FILE for scripts/test.ts, so that the end of `npm test` names every failure even when
 * only the tail of a long CI log is kept.
 */
class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const failures: FailureSummary[] = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test: Mocha.Runnable, error: unknown) => {
      const file = test.file ?? '(unknown file)';
      failures.push({ title: test.fullTitle(), file: file.startsWith(`${process.cwd()}/`) ? file.slice(process.cwd().length + 1) : file, error: describeError(error) });
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.MOCHA_SUMMARY_FILE;
      if (file === undefined) return;
      const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      fs.writeFileSync(file, JSON.stringify({ passes: stats.passes, failures: stats.failures, pending: stats.pending, failureList: failures }));
    });
  }
}

export = SummaryReporter;
