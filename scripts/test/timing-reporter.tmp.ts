import * as fs from 'node:fs';
import Mocha from 'mocha';
class TimingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const times = new Map<string, number>();
    const starts = new Map<Mocha.Suite, number>();
    runner.on(Mocha.Runner.constants.EVENT_SUITE_BEGIN, (s: Mocha.Suite) => { if (s.parent?.root && s.file) starts.set(s, Date.now()); });
    runner.on(Mocha.Runner.constants.EVENT_SUITE_END, (s: Mocha.Suite) => { const t = starts.get(s); if (t !== undefined && s.file) times.set(s.file, (times.get(s.file) ?? 0) + Date.now() - t); });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const out = process.env.TIMING_FILE ?? '/tmp/ci-speed/timing.json';
      fs.writeFileSync(out, JSON.stringify(Object.fromEntries([...times].sort((a, b) => b[1] - a[1])), null, 1));
    });
  }
}
export = TimingReporter;
