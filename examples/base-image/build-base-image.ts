// Builds a minimal, Debian-compatible Node.js base image with NO registry pull: one layer made
// from this machine's Node.js binary and the shared libraries it (and native addons such as
// onnxruntime-node) load, imported with `docker import`. Skips all work when an image with the
// same tag already carries the same input hash.
import { execFile } from 'node:child_process';
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createBaseImageDocker, type BaseImageDocker } from './docker-images.js';
import { inputHash } from './input-hash.js';
import { planRootfs, type HostEntry, type HostFiles } from './rootfs-plan.js';
import { sharedLibrariesOf } from './shared-libraries.js';
import { tarStream } from './tar-stream.js';

export const INPUT_HASH_LABEL = 'io.github.ai-model-deploy.base-image.inputs';

/**
 * Libraries native addons commonly link that Node.js itself may not load; looked up next to the
 * C library Node uses. onnxruntime-node needs librt.
 */
export const ADDON_LIBRARIES = ['librt.so.1'] as const;

export interface BuildBaseImageOptions {
  /** Local tag, e.g. 'ai-model-deploy/base-node:20'; push it to a registry as base/node:20. */
  readonly tag: string;
  /** The Node.js executable to ship; defaults to the one running this code. */
  readonly nodeBinary?: string;
  /** Fails unless the Node.js binary has this major version (e.g. 20 for a base/node:20 tag). */
  readonly expectedNodeMajor?: number;
  readonly docker?: BaseImageDocker;
  readonly log?: (line: string) => void;
}

export interface BaseImage {
  readonly tag: string;
  readonly inputHash: string;
  /** false when an image with the same inputs already existed and nothing was built. */
  readonly built: boolean;
  readonly nodeVersion: string;
  readonly bytes: number;
}

export const hostFiles: HostFiles = {
  lstat(hostPath: string): HostEntry {
    try {
      const stats = lstatSync(hostPath);
      if (stats.isSymbolicLink()) return { kind: 'symlink', target: readlinkSync(hostPath) };
      if (stats.isDirectory()) return { kind: 'directory', mode: stats.mode & 0o7777 };
      if (stats.isFile()) return { kind: 'file', mode: stats.mode & 0o7777, size: stats.size };
      return { kind: 'missing' };
    } catch {
      return { kind: 'missing' };
    }
  },
};

/** The Node.js version of an executable (asks it, unless it is the one running this code). */
async function nodeVersionOf(nodeBinary: string): Promise<string> {
  if (realpathSync(nodeBinary) === realpathSync(process.execPath)) return process.versions.node;
  const { stdout } = await promisify(execFile)(nodeBinary, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return stdout.trim();
}

function imageConfig(nodeVersion: string): string[] {
  return [
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `ENV NODE_VERSION=${nodeVersion}`,
    'LABEL org.opencontainers.image.description="Minimal Node.js runtime assembled from the build machine (ai-model-deploy examples/base-image)"',
    `LABEL org.opencontainers.image.version=${nodeVersion}`,
    'CMD ["node"]',
  ];
}

export async function buildBaseImage(options: BuildBaseImageOptions): Promise<BaseImage> {
  const log = options.log ?? (() => undefined);
  const docker = options.docker ?? createBaseImageDocker();
  const nodeBinary = realpathSync(options.nodeBinary ?? process.execPath);
  const nodeVersion = await nodeVersionOf(nodeBinary);
  const major = Number(nodeVersion.split('.')[0]);
  if (options.expectedNodeMajor !== undefined && major !== options.expectedNodeMajor) {
    throw new Error(`The base image ${options.tag} wants Node.js ${options.expectedNodeMajor}, but ${nodeBinary} is Node.js ${nodeVersion}. Pass nodeBinary pointing at a Node.js ${options.expectedNodeMajor} executable.`);
  }
  const nodeLibraries = await sharedLibrariesOf(nodeBinary);
  const libc = nodeLibraries.find((library) => path.basename(library) === 'libc.so.6');
  if (libc === undefined) throw new Error(`${nodeBinary} does not load glibc (libc.so.6); only glibc-based hosts can build this base image.`);
  const addonLibraries = ADDON_LIBRARIES.map((name) => path.join(path.dirname(libc), name)).filter((file) => hostFiles.lstat(file).kind !== 'missing');
  const entries = planRootfs({ nodeBinary: { hostPath: nodeBinary, size: statSync(nodeBinary).size }, libraries: [...nodeLibraries, ...addonLibraries] }, hostFiles);
  const config = imageConfig(nodeVersion);
  const hash = await inputHash(entries, config);
  const bytes = entries.reduce((sum, entry) => sum + (entry.kind === 'file' ? entry.size : 0), 0);

  const existing = await docker.labels(options.tag);
  if (existing?.[INPUT_HASH_LABEL] === hash) {
    log(`base image ${options.tag} is up to date (${hash.slice(0, 19)}...): nothing to build`);
    return { tag: options.tag, inputHash: hash, built: false, nodeVersion, bytes };
  }
  log(`building base image ${options.tag}: Node.js ${nodeVersion}, ${entries.length} entries, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
  await docker.importImage(options.tag, [...config, `LABEL ${INPUT_HASH_LABEL}=${hash}`], tarStream(entries));
  return { tag: options.tag, inputHash: hash, built: true, nodeVersion, bytes };
}
