/** Test helper: tags a local image and pushes it with the docker CLI through a temporary DOCKER_CONFIG. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TOKEN_USERNAME } from '../model/registry-account';

const run = promisify(execFile);

async function docker(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run('docker', args, { env, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`docker ${args[0] ?? ''} failed: ${stderr.trim() || String(error)}`);
  }
}

/** Writes a DOCKER_CONFIG (0600) whose login for `loginServer` is the token user and `refreshToken`. */
export async function createDockerConfig(loginServer: string, refreshToken: string): Promise<{ directory: string; remove(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'lazure-docker-config-'));
  const auth = Buffer.from(`${TOKEN_USERNAME}:${refreshToken}`).toString('base64');
  await writeFile(join(directory, 'config.json'), JSON.stringify({ auths: { [loginServer]: { auth } } }), { mode: 0o600 });
  return { directory, remove: () => rm(directory, { recursive: true, force: true }) };
}

export async function pushImage(loginServer: string, refreshToken: string, localImage: string, repository: string, tag: string): Promise<string> {
  const target = `${loginServer}/${repository}:${tag}`;
  const config = await createDockerConfig(loginServer, refreshToken);
  const env = { ...process.env, DOCKER_CONFIG: config.directory };
  try {
    await docker(['tag', localImage, target], env);
    const output = await docker(['push', target], env);
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
    if (!digest) throw new Error(`docker push ${target} printed no digest.`);
    return digest;
  } finally {
    await docker(['rmi', '--no-prune', target], env).catch(() => undefined);
    await config.remove();
  }
}
