/** Time, injectable so that tests run waits and retries with zero delays. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A point in time after which a wait gives up. Every wait in a task has one. */
export class Deadline {
  private readonly at: number;
  constructor(
    private readonly clock: Clock,
    readonly timeoutInMs: number,
  ) {
    this.at = clock.now() + timeoutInMs;
  }
  remainingInMs(): number {
    return Math.max(0, this.at - this.clock.now());
  }
  expired(): boolean {
    return this.remainingInMs() <= 0;
  }
  /** Sleeps for `ms`, or until the deadline if that is sooner. */
  async sleep(ms: number): Promise<void> {
    await this.clock.sleep(Math.min(ms, this.remainingInMs()));
  }
}

/** A deadline for messages: '15 s', '1 minute(s)', '1.5 minute(s)'. */
export function describeTimeout(timeoutInMs: number): string {
  return timeoutInMs < 60_000 ? `${Math.round(timeoutInMs / 1000)} s` : `${Math.round(timeoutInMs / 600) / 100} minute(s)`;
}
