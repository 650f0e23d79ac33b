// Builds what the Dockerfile copies, so that `docker build` needs no network and no npm:
//   dist/server.js                   the app, bundled by esbuild into one CommonJS file
//   dist/node_modules/onnxruntime-*  the inference runtime: its JavaScript and the native binaries
//                                    of ONE platform (linux/<arch>); the others are left out (~250 MB)
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface PrepareOptions {
  readonly appDir: string;
  /** CPU architecture of the image, as Node names it ('x64', 'arm64'). */
  readonly arch: 'x64' | 'arm64';
  /** Where to write; defaults to <appDir>/dist (the folder the Dockerfile copies from). */
  readonly outDir?: string;
}

export interface PreparedContext {
  readonly distDir: string;
  readonly files: number;
  readonly bytes: number;
}

/** A fixed timestamp for every file, so that unchanged inputs give byte-identical image layers. */
const FIXED_TIME = new Date('2000-01-01T00:00:00Z');

function runtimePackages(appDir: string, distDir: string, arch: string): { from: string; to: string }[] {
  const modules = path.join(appDir, 'node_modules');
  const dist = path.join(distDir, 'node_modules');
  const ortNode = path.join(modules, 'onnxruntime-node');
  const ortCommon = path.join(modules, 'onnxruntime-common');
  if (!existsSync(path.join(ortNode, 'package.json')) || !existsSync(path.join(ortCommon, 'package.json'))) {
    throw new Error(`onnxruntime-node is not installed in ${modules}. Run: cd ${appDir} && npm ci --no-audit --no-fund`);
  }
  const binaries = path.join('bin', 'napi-v6', 'linux', arch);
  if (!existsSync(path.join(ortNode, binaries))) throw new Error(`onnxruntime-node ships no binaries for linux/${arch}.`);
  return [
    { from: path.join(ortNode, 'package.json'), to: path.join(dist, 'onnxruntime-node', 'package.json') },
    { from: path.join(ortNode, 'dist'), to: path.join(dist, 'onnxruntime-node', 'dist') },
    { from: path.join(ortNode, binaries), to: path.join(dist, 'onnxruntime-node', binaries) },
    { from: path.join(ortCommon, 'package.json'), to: path.join(dist, 'onnxruntime-common', 'package.json') },
    { from: path.join(ortCommon, 'dist', 'cjs'), to: path.join(dist, 'onnxruntime-common', 'dist', 'cjs') },
  ];
}

const wanted = (source: string): boolean => statSync(source).isDirectory() || !/\.(map|d\.ts)$/.test(source);

function settle(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = settle(full);
      files += inner.files;
      bytes += inner.bytes;
    } else {
      files += 1;
      bytes += statSync(full).size;
    }
    utimesSync(full, FIXED_TIME, FIXED_TIME);
  }
  return { files, bytes };
}

/**
 * Writes the context into a staging folder beside `distDir`, then puts it in place: left untouched when
 * it already holds exactly these files, so that a `docker build` reading it (another run preparing the
 * same app at the same time, e.g. two `npm start`s) never sees it removed or half written; swapped
 * in under a lock otherwise.
 */
export async function prepareImageContext(options: PrepareOptions): Promise<PreparedContext> {
  const distDir = options.outDir ?? path.join(options.appDir, 'dist');
  const staging = `${distDir}.preparing-${process.pid}-${randomBytes(3).toString('hex')}`;
  const packages = runtimePackages(options.appDir, staging, options.arch);
  mkdirSync(staging, { recursive: true });
  try {
    await build({
      entryPoints: [path.join(options.appDir, 'src', 'server.ts')],
      outfile: path.join(staging, 'server.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['onnxruntime-node'],
      legalComments: 'none',
      logLevel: 'warning',
    });
    for (const { from, to } of packages) cpSync(from, to, { recursive: true, filter: wanted });
    const settled = settle(staging);
    await withLock(`${distDir}.lock`, () => {
      if (sameFiles(staging, distDir)) return;
      const old = `${staging}.old`;
      if (existsSync(distDir)) renameSync(distDir, old);
      renameSync(staging, distDir);
      rmSync(old, { recursive: true, force: true });
    });
    return { distDir, ...settled };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** True when both folders hold the same files with the same contents (modes and times are fixed by `settle`). */
function sameFiles(a: string, b: string): boolean {
  if (!existsSync(b)) return false;
  const entriesA = readdirSync(a, { withFileTypes: true }).map((entry) => `${entry.name}${entry.isDirectory() ? '/' : ''}`).sort();
  const entriesB = readdirSync(b, { withFileTypes: true }).map((entry) => `${entry.name}${entry.isDirectory() ? '/' : ''}`).sort();
  if (entriesA.join('\n') !== entriesB.join('\n')) return false;
  return entriesA.every((entry) => {
    const [inA, inB] = [path.join(a, entry), path.join(b, entry)];
    if (entry.endsWith('/')) return sameFiles(inA, inB);
    return statSync(inA).size === statSync(inB).size && readFileSync(inA).equals(readFileSync(inB));
  });
}

const LOCK_STALE_AFTER_MS = 120_000;

/** Runs `body` while holding `lockPath` (a file created exclusively; taken over when its owner is gone or it is stale). */
async function withLock(lockPath: string, body: () => void): Promise<void> {
  const giveUpAt = Date.now() + LOCK_STALE_AFTER_MS + 10_000;
  for (;;) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockAbandoned(lockPath)) rmSync(lockPath, { force: true });
      else if (Date.now() > giveUpAt) throw new Error(`Timed out waiting for ${lockPath} (remove it if no other run is preparing the app).`);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    body();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function lockAbandoned(lockPath: string): boolean {
  try {
    const owner = Number(readFileSync(lockPath, 'utf8'));
    if (Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_AFTER_MS) return true;
    if (!Number.isInteger(owner) || owner <= 0) return false;
    process.kill(owner, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
