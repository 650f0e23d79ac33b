/**
 * client-go's flowcontrol.Backoff as the kubelet uses it for restarting crashed containers and for
 * image pulls: 10 s, doubling up to 300 s, forgotten after twice the maximum without a new failure.
 * (No jitter: the kubelet's restart back-off has none.)
 */
export interface BackOffTimes {
  initialInMs: number;
  maxInMs: number;
}

export const KUBELET_BACK_OFF: BackOffTimes = { initialInMs: 10_000, maxInMs: 300_000 };

interface Entry {
  backOffInMs: number;
  lastUpdateInMs: number;
}

export class BackOff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly times: BackOffTimes = KUBELET_BACK_OFF,
    private readonly now: () => number = Date.now,
  ) {}

  private expired(eventTimeInMs: number, entry: Entry): boolean {
    return eventTimeInMs - entry.lastUpdateInMs > this.times.maxInMs * 2;
  }

  /** Backoff.Next: start at the initial delay, or double it (up to the maximum). */
  next(key: string, eventTimeInMs: number): void {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTimeInMs, entry)) {
      this.entries.set(key, { backOffInMs: this.times.initialInMs, lastUpdateInMs: this.now() });
      return;
    }
    entry.backOffInMs = Math.min(entry.backOffInMs * 2, this.times.maxInMs);
    entry.lastUpdateInMs = this.now();
  }

  /** Backoff.IsInBackOffSince: less than the current delay has passed since `eventTimeInMs`. */
  isInBackOffSince(key: string, eventTimeInMs: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTimeInMs, entry)) return false;
    return this.now() - eventTimeInMs < entry.backOffInMs;
  }

  /** Backoff.IsInBackOffSinceUpdate: less than the current delay has passed since the last failure. */
  isInBackOffSinceUpdate(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(this.now(), entry)) return false;
    return this.now() - entry.lastUpdateInMs < entry.backOffInMs;
  }

  /** The current delay (what `back-off 20s restarting ...` prints). */
  delayInMs(key: string): number {
    return this.entries.get(key)?.backOffInMs ?? 0;
  }

  /** When the delay counted from `fromInMs` ends. */
  endsAt(key: string, fromInMs: number): number {
    return fromInMs + this.delayInMs(key);
  }

  forgetPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

/** Go's time.Duration String() for whole seconds and minutes: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${seconds % 60}s`;
}
