import { strict as assert } from 'node:assert';
import { fakeClock } from '../../support/fake-clock';
import { Deadline } from '../../../tasks/common/deadline';
import { normaliseLocation } from '../../../tasks/common/azure/location';
import { backoffDelayInMs, isTransientNetworkCode, isTransientStatus, retry } from '../../../tasks/common/retry';


class Transient extends Error {
  constructor(readonly retryAfterInMs?: number) {
    super('transient');
  }
}

const classify = (error: unknown) =>
  error instanceof Transient ? { retry: true, ...(error.retryAfterInMs === undefined ? {} : { retryAfterInMs: error.retryAfterInMs }) } : { retry: false };

describe('retry', () => {
  it('retries transient errors with capped exponential backoff and returns the first success', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await retry(
      (attempt) => {
        calls += 1;
        return attempt < 4 ? Promise.reject(new Transient()) : Promise.resolve(`ok after ${attempt}`);
      },
      { classify, clock, policy: { maxAttempts: 5, initialDelayInMs: 100, maxDelayInMs: 250, timeoutInMs: 10_000 } },
    );
    assert.equal(result, 'ok after 4');
    assert.equal(calls, 4);
    assert.deepEqual(clock.slept, [100, 200, 250]);
  });

  it("honours a server's Retry-After", async () => {
    const clock = fakeClock();
    let attempt = 0;
    await retry(() => (++attempt === 1 ? Promise.reject(new Transient(7000)) : Promise.resolve()), {
      classify,
      clock,
      policy: { initialDelayInMs: 10, timeoutInMs: 60_000 },
    });
    assert.deepEqual(clock.slept, [7000]);
  });

  it('fails at once on an error that is not transient', async () => {
    const clock = fakeClock();
    await assert.rejects(retry(() => Promise.reject(new Error('401')), { classify, clock }), /401/);
    assert.deepEqual(clock.slept, []);
  });

  it('gives up after maxAttempts with the last error, and reports each retry', async () => {
    const clock = fakeClock();
    const retries: number[] = [];
    await assert.rejects(
      retry(() => Promise.reject(new Transient()), {
        classify,
        clock,
        policy: { maxAttempts: 3, initialDelayInMs: 0, timeoutInMs: 1000 },
        onRetry: ({ attempt }) => retries.push(attempt),
      }),
      Transient,
    );
    assert.deepEqual(retries, [1, 2]);
  });

  it('never sleeps past the deadline: a Retry-After beyond it ends the retries', async () => {
    const clock = fakeClock();
    let calls = 0;
    await assert.rejects(
      retry(
        () => {
          calls += 1;
          return Promise.reject(new Transient(calls === 1 ? 400 : 5000));
        },
        { classify, clock, policy: { maxAttempts: 10, timeoutInMs: 1000 } },
      ),
      Transient,
    );
    assert.equal(calls, 2);
    assert.deepEqual(clock.slept, [400]);
  });

  it('computes backoff delays', () => {
    const policy = { maxAttempts: 5, initialDelayInMs: 1000, maxDelayInMs: 30_000, timeoutInMs: 60_000 };
    assert.deepEqual([1, 2, 3, 6, 10].map((n) => backoffDelayInMs(policy, n)), [1000, 2000, 4000, 30_000, 30_000]);
    assert.equal(backoffDelayInMs(policy, 1, 0), 0);
  });
});

describe('Deadline', () => {
  it('counts down on the injected clock and sleeps no further than itself', async () => {
    const clock = fakeClock();
    const deadline = new Deadline(clock, 1000);
    assert.equal(deadline.remainingInMs(), 1000);
    await deadline.sleep(600);
    await deadline.sleep(600);
    assert.deepEqual(clock.slept, [600, 400]);
    assert.equal(deadline.expired(), true);
    assert.equal(deadline.remainingInMs(), 0);
  });
});

describe('what every task retries (one list)', () => {
  it('retries request timeouts, throttling and passing server errors, never client errors or 501', () => {
    assert.deepEqual([408, 429, 500, 502, 503, 504].filter(isTransientStatus), [408, 429, 500, 502, 503, 504]);
    assert.deepEqual([400, 401, 403, 404, 409, 501, 505].filter(isTransientStatus), []);
  });

  it('retries resets, refusals, timeouts and DNS hiccups, nothing else', () => {
    assert.ok(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].every(isTransientNetworkCode));
    assert.equal(isTransientNetworkCode('ENOTFOUND'), false);
    assert.equal(isTransientNetworkCode(undefined), false);
  });
});

describe('normaliseLocation', () => {
  it('gives Resource Manager\'s form of a region name', () => {
    assert.equal(normaliseLocation('West Europe'), 'westeurope');
    assert.equal(normaliseLocation(' westeurope '), 'westeurope');
  });
});
