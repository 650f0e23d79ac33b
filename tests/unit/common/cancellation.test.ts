import { strict as assert } from 'node:assert';
import { CancelledError, createCancellation } from '../../../tasks/common/cancellation';
import { fakeClock } from '../../support/fake-clock';

describe('task cancellation (SIGINT/SIGTERM from the agent)', () => {
  it('says in one line what was cancelled, what is left and what was cleaned up', () => {
    const { cancellation, cancel } = createCancellation();
    let pushed = 0;
    cancellation.setPhase('pushing r/m:1', () => `${pushed} tags pushed`);
    pushed = 2;
    cancel('SIGINT');
    cancellation.noteCleanup('the temporary Docker sign-in was deleted');
    cancellation.noteCleanup('the temporary Docker sign-in was deleted');
    assert.equal(cancellation.describe(), 'The step was cancelled (SIGINT) while pushing r/m:1. 2 tags pushed. The temporary Docker sign-in was deleted.');
  });

  it('interrupts sleeps of a wrapped clock, and refuses new ones once cancelled', async () => {
    const { cancellation, cancel } = createCancellation();
    const clock = cancellation.wrapClock({ now: () => 0, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
    const sleeping = clock.sleep(60_000);
    cancel('SIGTERM');
    await assert.rejects(sleeping, CancelledError);
    await assert.rejects(clock.sleep(0), /cancelled \(SIGTERM\)/);
  });

  it('runs each forced-exit clean-up once, unless it was unregistered', () => {
    const { cancellation, runForcedCleanups } = createCancellation();
    const ran: string[] = [];
    cancellation.onForcedExit(() => ran.push('config'));
    const unregister = cancellation.onForcedExit(() => ran.push('child'));
    unregister();
    runForcedCleanups();
    runForcedCleanups();
    assert.deepEqual(ran, ['config']);
  });

  it('passes sleeps through to the wrapped clock while not cancelled', async () => {
    const clock = fakeClock();
    const { cancellation } = createCancellation();
    await cancellation.wrapClock(clock).sleep(5000);
    assert.deepEqual(clock.slept, [5000]);
  });
});
