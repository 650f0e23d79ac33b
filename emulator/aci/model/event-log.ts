/** The events of a container (Pulling, Pulled, Created, Started, Killing, BackOff, Unhealthy), aggregated like Azure's. */

export interface AciEvent {
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  name: string;
  message: string;
  type: 'Normal' | 'Warning';
}

export interface EventLog {
  record(name: string, message: string, type?: 'Normal' | 'Warning'): void;
  list(): AciEvent[];
  clear(): void;
}

/** Repeated events (same name and message) are folded into one with a count and first/last timestamps. */
export function createEventLog(now: () => Date = () => new Date()): EventLog {
  let events: AciEvent[] = [];
  return {
    record(name, message, type = 'Normal') {
      const at = isoSeconds(now());
      const existing = events.find((e) => e.name === name && e.message === message);
      if (existing) {
        existing.count += 1;
        existing.lastTimestamp = at;
        return;
      }
      events.push({ count: 1, firstTimestamp: at, lastTimestamp: at, name, message, type });
    },
    list: () => events.map((e) => ({ ...e })),
    clear() {
      events = [];
    },
  };
}

/** Azure writes event and state times without fractions: 2017-08-08T00:09:10Z. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
