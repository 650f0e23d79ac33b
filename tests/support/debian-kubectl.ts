/**
 * Debian's kubectl (package kubernetes-client, v1.20), unpacked into .cache by
 * scripts/kubectl/install-debian-kubectl.sh (which .ci/run runs; tests run it when it is missing), and
 * a runner that gives it argument arrays, a kubeconfig and a deadline.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..', '..');
export const DEBIAN_KUBECTL = join(ROOT, '.cache', 'kubernetes-client', 'usr', 'bin', 'kubectl');

export async function ensureDebianKubectl(): Promise<string> {
  if (!existsSync(DEBIAN_KUBECTL)) {
    try {
      await promisify(execFile)('bash', [join(ROOT, 'scripts', 'kubectl', 'install-debian-kubectl.sh')], { timeout: 180_000 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(`Debian's kubectl is not installed and could not be installed (run: bash scripts/kubectl/install-debian-kubectl.sh as root): ${stderr.trim()}`);
    }
  }
  return DEBIAN_KUBECTL;
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runKubectl(kubeconfigPath: string, args: readonly string[], options: { input?: string; timeoutInMs?: number } = {}): Promise<KubectlResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(DEBIAN_KUBECTL, ['--kubeconfig', kubeconfigPath, '--cache-dir', `${kubeconfigPath}.cache`, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutInMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
