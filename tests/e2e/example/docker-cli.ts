// The docker CLI for the example's end-to-end tests, trimmed: each call here compares a single value.
import { docker as dockerRaw } from '../../support/docker-cli';

export async function docker(args: readonly string[]): Promise<string> {
  return (await dockerRaw(args)).trim();
}

/** Removes containers and images the test created; ignores the ones already gone. */
export async function removeQuietly(kind: 'container' | 'image', names: readonly string[]): Promise<void> {
  for (const name of names) {
    await docker(kind === 'container' ? ['rm', '-f', '-v', name] : ['image', 'rm', '-f', name]).catch(() => undefined);
  }
}
