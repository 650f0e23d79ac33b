/**
 * `npm run package [-- --dev]`: builds the tasks, stages exactly what the extension ships (per task only
 * task.json, icon.png and dist/ with its licence notices) and runs `tfx extension create` into out/.
 * `--dev` applies vss-extension.dev.json (a private publisher and id) for testing in your own organisation.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { TASK_NAMES, buildTasks } from './build';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'out');
const STAGING = path.join(OUT, 'staging');
const TASK_FILES = ['task.json', 'icon.png', 'dist'];
const EXTENSION_FILES = ['vss-extension.json', 'vss-extension.dev.json', 'overview.md', 'LICENSE', 'images/extension-icon.png'];

export function stage(): void {
  fs.rmSync(STAGING, { recursive: true, force: true });
  for (const file of EXTENSION_FILES) copy(file);
  for (const task of TASK_NAMES) for (const file of TASK_FILES) copy(path.join('tasks', task, file));
}

function copy(relative: string): void {
  const source = path.join(ROOT, relative);
  if (!fs.existsSync(source)) throw new Error(`Cannot package: ${relative} is missing.`);
  const target = path.join(STAGING, relative);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.cpSync(source, target, { recursive: true });
}

export async function createVsix(options: { dev: boolean; build?: boolean }): Promise<string> {
  if (options.build !== false) await buildTasks();
  stage();
  fs.mkdirSync(OUT, { recursive: true });
  const tfx = require.resolve('tfx-cli/_build/tfx-cli.js', { paths: [ROOT] });
  const args = [tfx, 'extension', 'create', '--root', STAGING, '--manifest-globs', 'vss-extension.json', '--output-path', OUT, '--no-prompt', '--json'];
  if (options.dev) args.push('--overrides-file', path.join(STAGING, 'vss-extension.dev.json'));
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: STAGING, maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { path?: string };
  if (result.path === undefined || !fs.existsSync(result.path)) throw new Error(`tfx did not report a .vsix: ${stdout}`);
  return result.path;
}

async function main(): Promise<void> {
  const vsix = await createVsix({ dev: process.argv.includes('--dev') });
  console.log(`${path.relative(ROOT, vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
