// The docker CLI for the example's end-to-end tests: argument arrays, no shell.
import { execFile } from 'node:child_process';

export function docker(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** Removes containers and images the test created; ignores the ones already gone. */
export async function removeQuietly(kind: 'container' | 'image', names: readonly string[]): Promise<void> {
  for (const name of names) {
    await docker(kind === 'container' ? ['rm', '-f', '-v', name] : ['image', 'rm', '-f', name]).catch(() => undefined);
  }
}
