import type { Clock } from '../../tasks/common/deadline';

/** A clock whose sleeps take no real time: they only move `now`, and are recorded in `slept`. */
export function fakeClock(start = 1_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}
