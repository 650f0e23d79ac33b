// The two Docker engine calls the base-image builder makes, behind a narrow interface.
import { execFile, spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface BaseImageDocker {
  /** The image's labels, or undefined when there is no image with that tag. */
  labels(tag: string): Promise<Readonly<Record<string, string>> | undefined>;
  /** `docker import`: a one-layer image from a tar stream, with Dockerfile-style config changes. Returns the image id. */
  importImage(tag: string, changes: readonly string[], tar: AsyncIterable<Buffer>): Promise<string>;
}

export function createBaseImageDocker(dockerPath = 'docker'): BaseImageDocker {
  return {
    labels: (tag) =>
      new Promise((resolve, reject) => {
        execFile(dockerPath, ['image', 'inspect', '--format', '{{json .Config.Labels}}', tag], { encoding: 'utf8' }, (error, stdout, stderr) => {
          if (error === null) {
            resolve((JSON.parse(stdout) as Record<string, string> | null) ?? {});
          } else if (/no such (image|object)/i.test(stderr)) {
            resolve(undefined);
          } else {
            reject(new Error(`docker image inspect ${tag} failed: ${stderr.trim() || error.message}`));
          }
        });
      }),
    async importImage(tag, changes, tar) {
      const args = ['import', '--message', 'ai-model-deploy local base image', ...changes.flatMap((c) => ['--change', c]), '-', tag];
      const child = spawn(dockerPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const exited = new Promise<number>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code) => resolve(code ?? 1));
      });
      await Promise.all([pipeline(Readable.from(tar), child.stdin), exited.then((code) => {
        if (code !== 0) throw new Error(`docker import ${tag} failed (exit ${code}): ${stderr.trim()}`);
      })]);
      return stdout.trim();
    },
  };
}
