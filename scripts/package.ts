/**
 * `npm run package [-- --dev]`: builds the tasks, stages exactly what the extension ships (per task only
 * task.json, icon.png and dist/ with its licence notices) and runs `tfx extension create` into out/.
 * `--dev` applies vss-extension.dev.json (a private publisher and id) for testing in your own organisation.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { TASK_NAMES, buildTasks } from './build';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'out');
const TASK_FILES = ['task.json', 'icon.png', 'dist'];
const EXTENSION_FILES = ['vss-extension.json', 'vss-extension.dev.json', 'overview.md', 'LICENSE', 'images/extension-icon.png'];

/** Copies what the extension ships into `staging`. */
export function stage(staging: string, options: { dev: boolean } = { dev: false }): void {
  fs.rmSync(staging, { recursive: true, force: true });
  for (const file of EXTENSION_FILES) copy(file, staging);
  for (const task of TASK_NAMES) {
    for (const file of TASK_FILES) copy(path.join('tasks', task, file), staging);
    if (options.dev) giveDevIdentity(path.join(staging, 'tasks', task, 'task.json'));
  }
}

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');

function stripAnsi(text: string): string {
  return text.replace(ANSI_COLOUR, '');
}

/**
 * A dev build installs beside the released extension in the same organisation only when its tasks
 * have ids and names of their own: a stable id derived from the released one, and a 'Dev' name.
 */
function giveDevIdentity(taskJsonPath: string): void {
  const task = JSON.parse(fs.readFileSync(taskJsonPath, 'utf8')) as { id: string; name: string; friendlyName: string };
  task.id = devTaskId(task.id);
  task.name = `${task.name}Dev`;
  task.friendlyName = `${task.friendlyName.slice(0, 34)} (dev)`; // tfx: at most 40 characters
  fs.writeFileSync(taskJsonPath, `${JSON.stringify(task, null, 2)}\n`);
}

/** A name-based (version 5 style) UUID from the released task's id: the same on every dev build. */
export function devTaskId(releasedId: string): string {
  const bytes = createHash('sha1').update(`ai-model-deploy-dev:${releasedId.toLowerCase()}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function copy(relative: string, staging: string): void {
  const source = path.join(ROOT, relative);
  if (!fs.existsSync(source)) throw new Error(`Cannot package: ${relative} is missing.`);
  const target = path.join(staging, relative);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.cpSync(source, target, { recursive: true });
}

/**
 * Stages and packs in a folder of this call's own, then moves the .vsix into out/ in one rename: two
 * packagings at once (the contract tests on Node 20 and on Node 24, side by side) never share a staging
 * folder, and a reader of out/*.vsix never sees one half written.
 */
export async function createVsix(options: { dev: boolean; build?: boolean }): Promise<string> {
  if (options.build !== false) await buildTasks();
  fs.mkdirSync(OUT, { recursive: true });
  const work = fs.mkdtempSync(path.join(OUT, `.packaging-${process.pid}-${randomBytes(3).toString('hex')}-`));
  try {
    const staging = path.join(work, 'staging');
    stage(staging, { dev: options.dev });
    const tfx = require.resolve('tfx-cli/_build/tfx-cli.js', { paths: [ROOT] });
    const args = [tfx, 'extension', 'create', '--root', staging, '--manifest-globs', 'vss-extension.json', '--output-path', work, '--no-prompt', '--json'];
    if (options.dev) args.push('--overrides-file', path.join(staging, 'vss-extension.dev.json'));
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: staging, maxBuffer: 16 * 1024 * 1024 });
    // tfx prints warnings (e.g. an invalid task.json) before its JSON answer: a warning fails the package.
    const warnings = stdout.split('\n').filter((line) => /warning:/i.test(line));
    if (warnings.length > 0) throw new Error(`tfx warned:\n${warnings.map((line) => stripAnsi(line)).join('\n')}`);
    const result = JSON.parse(stdout) as { path?: string };
    if (result.path === undefined || !fs.existsSync(result.path)) throw new Error(`tfx did not report a .vsix: ${stdout}`);
    const vsix = path.join(OUT, path.basename(result.path));
    fs.renameSync(result.path, vsix);
    return vsix;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
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
