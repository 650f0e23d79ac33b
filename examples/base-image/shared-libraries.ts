// Which shared libraries an executable loads, from `ldd` (the host's dynamic loader decides).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Paths from `ldd` output, in order, without duplicates: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)"
 * gives the path after "=>"; the loader line "/lib64/ld-linux-x86-64.so.2 (0x...)" gives its own path.
 * The kernel's vDSO has no file and is skipped; a library that is "not found" is an error.
 */
export function parseLddOutput(output: string, executable: string): string[] {
  const paths: string[] = [];
  for (const line of output.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    if (/^linux-vdso|^linux-gate/.test(line)) continue;
    if (line.includes('=> not found')) {
      throw new Error(`${executable} needs ${line.split(' ')[0] ?? line}, which is not installed on this machine.`);
    }
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^(\/\S+)\s+\(0x[0-9a-f]+\)$/.exec(line);
    const found = match?.[1];
    if (found !== undefined && !paths.includes(found)) paths.push(found);
  }
  return paths;
}

export async function sharedLibrariesOf(executable: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ldd', [executable], { encoding: 'utf8' });
  return parseLddOutput(stdout, executable);
}
