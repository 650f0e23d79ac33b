/**
 * A controller's work queue (client-go workqueue in miniature): keys are deduplicated, processed one
 * at a time off the store's synchronous watch callbacks, and can be re-added after a delay. A failed
 * sync is retried with a growing delay (5 ms doubling, at most 10 s), as the rate-limited queue does.
 */
export interface WorkQueue {
  add(key: string): void;
  addAfter(key: string, delayInMs: number): void;
  /** Resolves when nothing is queued or running (tests). */
  idle(): Promise<void>;
  stop(): void;
}

export function createWorkQueue(sync: (key: string) => Promise<void> | void, onError: (key: string, error: unknown) => void = () => undefined): WorkQueue {
  const queued = new Set<string>();
  const timers = new Map<string, NodeJS.Timeout>();
  const failures = new Map<string, number>();
  let running = false;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  function schedule(): void {
    if (running || stopped || queued.size === 0) {
      if (!running && queued.size === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
      return;
    }
    running = true;
    setImmediate(() => void drain());
  }

  async function drain(): Promise<void> {
    while (!stopped) {
      const next = queued.values().next();
      if (next.done) break;
      const key = next.value;
      queued.delete(key);
      try {
        await sync(key);
        failures.delete(key);
      } catch (error) {
        onError(key, error);
        const count = (failures.get(key) ?? 0) + 1;
        failures.set(key, count);
        queue.addAfter(key, Math.min(5 * 2 ** count, 10_000));
      }
    }
    running = false;
    schedule();
  }

  const queue: WorkQueue = {
    add(key) {
      if (stopped) return;
      queued.add(key);
      schedule();
    },
    addAfter(key, delayInMs) {
      if (stopped) return;
      if (delayInMs <= 0) return queue.add(key);
      const existing = timers.get(key);
      if (existing) clearTimeout(existing);
      const timer = setTimeout(() => {
        timers.delete(key);
        queue.add(key);
      }, delayInMs);
      timer.unref();
      timers.set(key, timer);
    },
    idle() {
      if (!running && queued.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      queued.clear();
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    },
  };
  return queue;
}

/** `namespace/name` keys, as cache.MetaNamespaceKeyFunc makes them. */
export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
