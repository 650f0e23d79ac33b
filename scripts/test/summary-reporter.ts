import * as fs from 'node:fs';
import Mocha from 'mocha';

/** Mocha's spec reporter, which also writes the run's counts to $MOCHA_SUMMARY_FILE for scripts/test.ts. */
class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.MOCHA_SUMMARY_FILE;
      if (file === undefined) return;
      const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      fs.writeFileSync(file, JSON.stringify({ passes: stats.passes, failures: stats.failures, pending: stats.pending }));
    });
  }
}

export = SummaryReporter;
