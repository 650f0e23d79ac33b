import { promises as fs } from 'node:fs';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import type { Cancellation } from '../cancellation';

export interface RegistryLogin {
  /** host[:port], exactly as image references name it. */
  server: string;
  username: string;
  password: string;
  /** When the password stops working (an ACR refresh token's `exp`), in ms since the epoch; unknown for a user's password. */
  expiresAt?: number;
}

/** The config.json of a temporary DOCKER_CONFIG: only `auths`, no credential helper. */
export function dockerConfigJson(logins: readonly RegistryLogin[]): string {
  const auths: Record<string, { auth: string }> = {};
  for (const login of logins) {
    // Docker Hub's credentials live under its index URL, every other registry under host[:port].
    const key = login.server === 'docker.io' ? 'https://index.docker.io/v1/' : login.server;
    auths[key] = { auth: Buffer.from(`${login.username}:${login.password}`, 'utf8').toString('base64') };
  }
  return `${JSON.stringify({ auths }, null, 2)}\n`;
}

/** Replaces the sign-ins of a temporary DOCKER_CONFIG made by withTemporaryDockerConfig (a refreshed token). */
export async function replaceDockerConfig(directory: string, logins: readonly RegistryLogin[]): Promise<void> {
  await fs.writeFile(path.join(directory, 'config.json'), dockerConfigJson(logins), { mode: 0o600 });
}

/**
 * Runs `body` with a fresh DOCKER_CONFIG folder (mode 0700, config.json mode 0600) holding `logins`,
 * and removes it afterwards, whether `body` succeeded or failed. Docker never writes this task's
 * sign-in into the agent user's own ~/.docker.
 */
export async function withTemporaryDockerConfig<T>(
  parentDirectory: string,
  logins: () => Promise<readonly RegistryLogin[]>,
  body: (configDirectory: string) => Promise<T>,
  cancellation?: Cancellation,
): Promise<T> {
  await fs.mkdir(parentDirectory, { recursive: true });
  const directory = await fs.mkdtemp(path.join(parentDirectory, 'docker-config-'));
  // A cancelled task that must exit at once still deletes the sign-in (it holds a registry token).
  const unregister = cancellation?.onForcedExit(() => {
    rmSync(directory, { recursive: true, force: true });
    cancellation.noteCleanup('the temporary Docker sign-in was deleted');
  });
  try {
    await fs.chmod(directory, 0o700);
    await fs.writeFile(path.join(directory, 'config.json'), dockerConfigJson(await logins()), { mode: 0o600, flag: 'wx' });
    return await body(directory);
  } finally {
    await fs.rm(directory, { recursive: true, force: true });
    unregister?.();
    if (cancellation?.signal.aborted) cancellation.noteCleanup('the temporary Docker sign-in was deleted');
  }
}
