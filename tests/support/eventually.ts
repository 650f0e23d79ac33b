/**
 * Waits for a condition with a deadline: `probe` is called until it returns a value other than
 * undefined, with a short pause between calls; past the deadline the wait fails, naming `what` and
 * the last thing the probe reported (through `lastSeen`). The one way tests wait for something.
 */
export interface EventuallyOptions {
  timeoutInMs?: number;
  intervalInMs?: number;
  /** Added to the error at the deadline, e.g. the last status seen or a container's log. */
  lastSeen?: () => string | Promise<string>;
}

export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, options: EventuallyOptions | number = {}): Promise<T> {
  const { timeoutInMs = 30_000, intervalInMs = 100, lastSeen } = typeof options === 'number' ? { timeoutInMs: options } : options;
  const deadline = Date.now() + timeoutInMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const seen = lastSeen === undefined ? '' : `\n${await lastSeen()}`;
      throw new Error(`Timed out after ${timeoutInMs} ms waiting for ${what}.${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalInMs));
  }
}
