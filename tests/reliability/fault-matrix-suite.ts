/**
 * The fault matrix (fault-matrix.ts) against the bundled tasks: every case either succeeds, or fails
 * within its deadline with a message naming the route, the answer and "retry later"; nothing hangs, and
 * no process or file is left behind.
 * The cases run before the assertions, side by side over several local Azures (matrix-lanes.ts).
 * One suite per task (fault-matrix-build.test.ts, fault-matrix-deploy.test.ts), so that `npm test` can
 * run the two halves in lanes of their own.
 */
import * as assert from 'node:assert/strict';
import { ensureBuilt } from '../../scripts/agent/build-once';
import { requireBusybox } from '../e2e/deploy/deploy-fixture';
import { CREDENTIAL_ADVICE, type MatrixCase, type MatrixTask, answerPattern, expectedSeconds, matrixCases } from './fault-matrix';
import { type CaseResult, type Lane, openLane, runOverLanes } from './matrix-lanes';

/**
 * Registers the matrix of `tasks`, run over `laneCount` local Azures side by side: most of a case's time
 * is waiting (retries, docker's own upload retries), not CPU.
 */
export function describeFaultMatrix(tasks: readonly MatrixTask[], laneCount: number): void {
  const CASES = matrixCases(tasks);
  /** Longest first, so that no lane is left with a long case at the end: docker's own retries take about 50 s. */
  const SCHEDULE = [...CASES].sort((a, b) => expectedSeconds(b) - expectedSeconds(a));

  describe(`Fault matrix: ${CASES.length} cases, ${tasks.join(' and ')} x 429/500/503/reset/latency x once/3 times/always`, function () {
    this.timeout(20 * 60_000);
    const lanes: Lane[] = [];
    let results = new Map<string, CaseResult | Error>();

    before(async () => {
      requireBusybox();
      await ensureBuilt();
      lanes.push(...(await Promise.all(Array.from({ length: laneCount }, () => openLane()))));
      const started = Date.now();
      results = await runOverLanes(lanes, SCHEDULE);
      const slowest = [...results.entries()]
        .flatMap(([id, result]) => (result instanceof Error ? [] : [{ id, seconds: Math.round(result.elapsedInMs / 1000) }]))
        .sort((a, b) => b.seconds - a.seconds)
        .slice(0, 3);
      console.log(`      (${CASES.length} cases over ${laneCount} lanes in ${Math.round((Date.now() - started) / 1000)} s; slowest: ${slowest.map((c) => `${c.id} ${c.seconds} s`).join(', ')})`);
    });

    after(async () => {
      await Promise.all(lanes.map((lane) => lane.close()));
    });

    const resultOf = (matrixCase: MatrixCase): CaseResult => {
      const result = results.get(matrixCase.id);
      if (result === undefined) throw new Error(`case '${matrixCase.id}' did not run`);
      if (result instanceof Error) throw result;
      return result;
    };

    for (const matrixCase of CASES) {
      it(matrixCase.id, () => {
        const { run, faulted, leftFiles } = resultOf(matrixCase);
        const context = `message: ${run.message ?? '(none)'}\n--- log ---\n${run.log.slice(-4000)}`;
        assert.equal(run.timedOut, false, `the task hung until the harness killed it\n${context}`);
        assert.deepEqual(run.leftProcesses.map((left) => left.command), [], `processes left behind\n${context}`);
        assert.deepEqual(leftFiles, [], 'files left in the working folder');
        assert.ok(faulted.length > 0, `no injected fault was hit on ${matrixCase.families.map((f) => f.routes.join(', ')).join('; ')}`);
        if (matrixCase.expect === 'succeeds') {
          assert.equal(run.result, 'Succeeded', context);
          for (const family of matrixCase.families) {
            assert.ok(family.routes.some((route) => faulted.includes(route)), `the fault on ${family.title} was never hit (faulted: ${faulted.join(', ')})`);
          }
          return;
        }
        assert.equal(run.result, 'Failed', context);
        const message = run.message ?? '';
        for (const family of matrixCase.families) assert.match(message, family.namedAs, `the message does not name the route\n${context}`);
        assert.match(message, answerPattern(matrixCase.kind), context);
        assert.match(message, /retry later/, context);
        assert.doesNotMatch(message, CREDENTIAL_ADVICE, `an outage explained as a credential problem\n${context}`);
      });
    }
  });
}
