/**
 * `npm run build`: one esbuild bundle per task (tasks/<T>/dist/index.js, CommonJS, Node 20), with the
 * licence notices of what it bundles. Fails on any esbuild warning (a dynamic require would not be
 * bundled and would break on an agent, where the task folder has no node_modules) and when an Azure
 * SDK would be evaluated at start-up instead of on first use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { LAZY_BUNDLE, lazyEntry, lazyPackagesPlugin } from './build/lazy-bundle';
import { eagerAzureModules } from './build/lazy-check';
import { bundledPackages, licenceNotices } from './build/licence-notices';
import { swapIn } from './build/swap-in';
import { TASK_NAMES, type TaskFolderName } from './build/task-names';

export { TASK_NAMES } from './build/task-names';

const ROOT = path.resolve(__dirname, '..');

export interface BuiltTask {
  task: TaskFolderName;
  bundlePath: string;
  bytes: number;
  /** The npm packages bundled, by name. */
  packages: string[];
}

export async function buildTask(task: TaskFolderName): Promise<BuiltTask> {
  const folder = path.join(ROOT, 'tasks', task);
  const dist = path.join(folder, 'dist');
  const entryPoint = path.relative(ROOT, path.join(folder, 'src', 'index.ts'));
  // Built beside dist/ and swapped in at the end (left as it is when unchanged), so that a task running meanwhile never sees half a dist/.
  const staging = path.join(folder, `dist.building-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  let packages: string[];
  try {
    packages = await bundleInto(task, entryPoint, staging);
    swapIn(staging, dist, 'index.js');
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  const bundlePath = path.join(dist, 'index.js');
  return { task, bundlePath, bytes: fs.statSync(bundlePath).size, packages };
}

const COMMON_OPTIONS = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'silent',
} as const satisfies esbuild.BuildOptions;

async function failOnWarnings(task: TaskFolderName, result: esbuild.BuildResult): Promise<void> {
  const problems = [...result.errors, ...result.warnings];
  if (problems.length > 0) {
    const messages = await esbuild.formatMessages(problems, { kind: 'warning', color: false });
    throw new Error(`Bundling ${task} gave ${problems.length} warning(s):\n${messages.join('\n')}`);
  }
}

/**
 * Bundles a task into `outdir` (index.js, and azure-sdk.js with the SDKs it loads on first use, see
 * build/lazy-bundle.ts) with its licence notices; returns the names of the packages bundled.
 */
async function bundleInto(task: TaskFolderName, entryPoint: string, outdir: string): Promise<string[]> {
  const specifiers = new Set<string>();
  const result = await esbuild.build({ ...COMMON_OPTIONS, entryPoints: [entryPoint], outfile: path.join(outdir, 'index.js'), plugins: [lazyPackagesPlugin(specifiers)] });
  await failOnWarnings(task, result);
  const lazy =
    specifiers.size === 0
      ? undefined
      : await esbuild.build({ ...COMMON_OPTIONS, stdin: { contents: lazyEntry(specifiers), resolveDir: ROOT, loader: 'js', sourcefile: LAZY_BUNDLE }, outfile: path.join(outdir, LAZY_BUNDLE) });
  if (lazy) await failOnWarnings(task, lazy);
  const eager = eagerAzureModules(result.metafile, entryPoint.split(path.sep).join('/'));
  if (eager.length > 0) {
    throw new Error(
      `${task} would load Azure SDK modules at start-up (import them with 'await import(...)' inside the factory that needs them):\n  ` +
        eager.slice(0, 10).join('\n  '),
    );
  }
  const packages = [...bundledPackages(result.metafile, ROOT), ...(lazy ? bundledPackages(lazy.metafile, ROOT) : [])]
    .filter((info, index, all) => all.findIndex((other) => other.name === info.name && other.version === info.version) === index)
    .sort((a, b) => a.name.localeCompare(b.name));
  fs.writeFileSync(path.join(outdir, 'THIRD-PARTY-NOTICES.txt'), licenceNotices(packages, ROOT));
  return packages.map((info) => info.name);
}

export async function buildTasks(): Promise<BuiltTask[]> {
  const built: BuiltTask[] = [];
  for (const task of TASK_NAMES) built.push(await buildTask(task));
  return built;
}

async function main(): Promise<void> {
  for (const built of await buildTasks()) {
    console.log(`${built.task}: ${path.relative(ROOT, built.bundlePath)} ${(built.bytes / 1024).toFixed(0)} KiB (${built.packages.length} packages bundled)`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
