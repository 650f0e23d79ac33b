/**
 * What a suite's mocha hooks set up, for the suite's body to hold before the hooks have run: each of
 * `keys` is read from `current()` when it is used (`current` fails clearly when nothing is set up).
 */
export function readThrough<T extends object, K extends keyof T>(current: () => T, keys: readonly K[]): Readonly<Pick<T, K>> {
  const view: Partial<Pick<T, K>> = {};
  for (const key of keys) Object.defineProperty(view, key, { enumerable: true, get: () => current()[key] });
  return view as Pick<T, K>;
}
