// Builds what the Dockerfile copies, so that `docker build` needs no network and no npm:
//   dist/server.js                   the app, bundled by esbuild into one CommonJS file
//   dist/node_modules/onnxruntime-*  the inference runtime: its JavaScript and the native binaries
//                                    of ONE platform (linux/<arch>); the others are left out (~250 MB)
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
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

export async function prepareImageContext(options: PrepareOptions): Promise<PreparedContext> {
  const distDir = options.outDir ?? path.join(options.appDir, 'dist');
  const packages = runtimePackages(options.appDir, distDir, options.arch);
  rmSync(distDir, { recursive: true, force: true });
  mkdirSync(distDir, { recursive: true });
  await build({
    entryPoints: [path.join(options.appDir, 'src', 'server.ts')],
    outfile: path.join(distDir, 'server.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['onnxruntime-node'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const { from, to } of packages) cpSync(from, to, { recursive: true, filter: wanted });
  return { distDir, ...settle(distDir) };
}
