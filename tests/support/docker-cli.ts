/**
 * The docker CLI for tests: argument arrays, no shell, a bounded wait, and an error that carries docker's
 * own stderr. Returns stdout as docker printed it (callers trim when they compare single values).
 */
import { execFile } from 'node:child_process';

export interface DockerOptions {
  /** The environment of the docker process (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Written to docker's standard input (e.g. a password for `login --password-stdin`). */
  input?: string;
  /** Killed after this long (default 120 s). */
  timeoutMs?: number;
}

export function docker(args: readonly string[], options: DockerOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'docker',
      [...args],
      { encoding: 'utf8', env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`docker ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
