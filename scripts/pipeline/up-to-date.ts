/**
 * The runner's preparations, each done only when its inputs changed since the last run (content
 * fingerprints, see fingerprints.ts): the task bundles and the .vsix. Also decides whether the
 * pipeline builds the example app at all (only then is its dist/ prepared).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTasks } from '../build';
import { TASK_NAMES } from '../build/task-names';
import { createVsix } from '../package';
import { expandMacros } from '../agent/agent-inputs';
import { type FingerprintStore, fingerprintOf, openFingerprintStore } from './fingerprints';
import type { Pipeline } from './model';

export function openRunnerFingerprints(repositoryRoot: string): FingerprintStore {
  return openFingerprintStore(path.join(repositoryRoot, '.cache', 'local-run', 'fingerprints.json'));
}

const BUNDLE_SOURCES = ['tasks/common', 'package-lock.json', 'tsconfig.json', 'scripts/build.ts', 'scripts/build', ...TASK_NAMES.map((task) => `tasks/${task}/src`)];
const BUNDLES = TASK_NAMES.map((task) => `tasks/${task}/dist`);

/** Builds the bundles unless their sources are unchanged since the last build and the bundles are there. */
export async function buildTasksIfChanged(root: string, store: FingerprintStore): Promise<{ built: boolean; bundles: number }> {
  const sources = fingerprintOf(root, BUNDLE_SOURCES);
  const bundlesNow = fingerprintOf(root, BUNDLES);
  if (store.get('bundles', sources) === bundlesNow && BUNDLES.every((bundle) => fs.existsSync(path.join(root, bundle, 'index.js')))) {
    return { built: false, bundles: BUNDLES.length };
  }
  const built = await buildTasks();
  store.record('bundles', sources, fingerprintOf(root, BUNDLES));
  return { built: true, bundles: built.length };
}

const VSIX_INPUTS = ['vss-extension.json', 'overview.md', 'LICENSE', 'images', ...TASK_NAMES.flatMap((task) => [`tasks/${task}/task.json`, `tasks/${task}/icon.png`, `tasks/${task}/dist`])];

/** Packages the .vsix unless what it holds is unchanged since the last package and the file is still there. */
export async function packageIfChanged(root: string, store: FingerprintStore): Promise<{ vsix: string; packaged: boolean }> {
  const inputs = fingerprintOf(root, VSIX_INPUTS);
  const previous = store.get('vsix', inputs);
  if (previous !== undefined && fs.existsSync(previous)) return { vsix: previous, packaged: false };
  const vsix = await createVsix({ dev: false, build: false });
  store.record('vsix', inputs, vsix);
  return { vsix, packaged: true };
}

/**
 * True when a build step's Dockerfile or build context lies in this repository's examples/model-app
 * (its `dist/` must then be prepared); inputs are expanded with the variables known before the job.
 */
export function usesExampleApp(pipeline: Pipeline, variables: Record<string, string>, workingDirectory: string, repositoryRoot: string): boolean {
  const app = path.join(repositoryRoot, 'examples', 'model-app');
  return pipeline.steps.some((step) => {
    if (step.task !== 'BuildAndPushAiImageV1') return false;
    const paths = Object.entries(step.inputs)
      .filter(([name]) => ['dockerfile', 'buildcontext'].includes(name.toLowerCase()))
      .map(([, value]) => path.resolve(workingDirectory, expandMacros(value, variables).trim() || '.'));
    return paths.some((candidate) => candidate === app || candidate.startsWith(`${app}${path.sep}`));
  });
}
