import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BuiltTask, buildTasks } from '../build';
import { createVsix } from '../package';
import { type BenchResult, formatBytes } from './types';

const ROOT = path.resolve(__dirname, '..', '..');

/** The folder an installed package resolves to from `from` (node's lookup: up through node_modules). */
function resolvePackage(name: string, from: string): string | undefined {
  for (let folder = from; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (folder === path.dirname(folder)) return undefined;
  }
}

/** Disk usage of a folder, without its nested node_modules (those count as packages of their own). */
function diskUsage(folder: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) bytes += entry.name === 'node_modules' ? 0 : diskUsage(full);
    else if (entry.isFile()) bytes += fs.statSync(full).size;
  }
  return bytes;
}

/** What `npm install --omit=dev` would put in a task folder for the packages it uses directly. */
function productionTreeBytes(direct: string[]): number {
  const seen = new Set<string>();
  const pending = direct.map((name) => ({ name, from: ROOT }));
  let bytes = 0;
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === undefined) break;
    const folder = resolvePackage(next.name, next.from);
    if (folder === undefined || seen.has(folder)) continue;
    seen.add(folder);
    bytes += diskUsage(folder);
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies ?? {})) pending.push({ name, from: folder });
  }
  return bytes;
}

function directDependencies(built: BuiltTask): string[] {
  const declared = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
  return built.packages.filter((name) => name in declared);
}

export async function run(): Promise<BenchResult> {
  const built = await buildTasks();
  const vsix = await createVsix({ dev: false, build: false });
  const rows = built.map((task) => {
    const direct = directDependencies(task);
    return {
      task: task.task,
      'compiled at start-up (dist/index.js)': formatBytes(task.bytes),
      'loaded on first use (dist/azure-sdk.js)': fs.existsSync(path.join(path.dirname(task.bundlePath), 'azure-sdk.js'))
        ? formatBytes(fs.statSync(path.join(path.dirname(task.bundlePath), 'azure-sdk.js')).size)
        : '-',
      'packages bundled': task.packages.length,
      'unbundled (production dependency tree)': formatBytes(productionTreeBytes(direct)),
      'direct dependencies': direct.join(', '),
    };
  });
  return {
    title: 'Bundles and package size',
    rows,
    notes: [`Total .vsix (${path.basename(vsix)}): **${formatBytes(fs.statSync(vsix).size)}** (aim: at most 3 MB).`],
  };
}
