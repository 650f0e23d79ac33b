/**
 * What the demo prepares before the pipeline runs, besides the local Azure: the example app's build
 * context (its own dependencies, bundled into examples/model-app/dist) and a base image built on this
 * machine (no registry pull) pushed to the local registry as base/node:<major>.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { LocalAzure } from '../../emulator/index';
import { buildBaseImage } from '../../examples/base-image/build-base-image';
import { prepareImageContext } from '../../examples/model-app/scripts/prepare-image-context';

const run = promisify(execFile);

export const BASE_IMAGE_TAG_PREFIX = 'ai-model-deploy/base-node';

/** Installs the app's own dependencies when missing (npm registry only: install scripts are off), then writes dist/. */
export async function prepareModelApp(repositoryRoot: string, log: (line: string) => void): Promise<string> {
  const appDir = path.join(repositoryRoot, 'examples', 'model-app');
  if (!fs.existsSync(path.join(appDir, 'node_modules', 'onnxruntime-node', 'package.json'))) {
    log('installing the example app\'s dependencies (npm ci --prefix examples/model-app)');
    const npmCli = process.env.npm_execpath;
    const [command, args] = npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli]] : ['npm', []];
    await run(command, [...args, 'ci', '--prefix', appDir, '--no-audit', '--no-fund'], { cwd: repositoryRoot, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 });
  }
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const context = await prepareImageContext({ appDir, arch });
  return `${path.relative(repositoryRoot, context.distDir)}: ${context.files} files, ${(context.bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Builds (or finds unchanged) the local base image and pushes it to the local registry; returns its reference there. */
export async function publishBaseImage(azure: LocalAzure): Promise<{ reference: string; built: boolean }> {
  const major = Number(process.versions.node.split('.')[0]);
  const base = await buildBaseImage({ tag: `${BASE_IMAGE_TAG_PREFIX}:${major}`, expectedNodeMajor: major });
  await azure.pushImage(base.tag, 'base/node', String(major));
  return { reference: `${azure.registry.loginServer}/base/node:${major}`, built: base.built };
}

export { removeRegistryImages } from './registry-images';
