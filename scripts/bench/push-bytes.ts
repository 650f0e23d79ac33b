/**
 * Bytes pushed by BuildAndPushAiImage@1 on a first run and on a second run after a code-only change,
 * measured from the local registry's request log (request body bytes of blob uploads and manifest PUTs),
 * with the build and push times the task reported in its summary.
 * The image: tests/fixtures/build-context (a FROM-scratch base layer, a model layer, a code layer).
 */
import { bytesPushed, openBuildEnvironment, runAzureRmBuild } from '../../tests/e2e/build/build-fixture';
import type { TaskRun } from '../agent/run-task';

const BASE_BYTES = 8 * 1024 * 1024;
const MODEL_BYTES = 4 * 1024 * 1024;

export interface BenchResult {
  title: string;
  rows: Record<string, string | number>[];
  notes?: string[];
}

export async function run(): Promise<BenchResult> {
  const { azure, workspace, baseImage, close } = await openBuildEnvironment({ name: 'benchpush', modelBytes: MODEL_BYTES, baseBytes: BASE_BYTES });
  try {
    const rows: Record<string, string | number>[] = [];
    for (const label of ['first run', 'second run, code-only change']) {
      if (rows.length > 0) workspace.changeCode(`bench change ${Date.now()}`);
      azure.clearRequests();
      const started = Date.now();
      const result = await runAzureRmBuild(azure, baseImage, azure.connections.spnKey, {
        inputs: { repository: 'bench/iris', tags: '1\nlatest', modelName: 'iris', modelFiles: 'model' },
        variables: { 'Build.BuildId': '1' },
        workingDirectory: workspace.root,
        timeoutInMs: 10 * 60_000,
      });
      if (result.result !== 'Succeeded') throw new Error(`The task failed: ${result.message ?? 'no message'}`);
      const bytes = bytesPushed(azure.requests());
      rows.push({
        run: label,
        'bytes pushed': bytes,
        'KiB pushed': Math.round(bytes / 1024),
        'build (s)': secondsFromSummary(result, 'Build'),
        'push (s)': secondsFromSummary(result, 'Push'),
        'task wall time (s)': Number(((Date.now() - started) / 1000).toFixed(1)),
      });
    }
    return {
      title: 'BuildAndPushAiImage: bytes pushed, first run vs code-only change',
      rows,
      notes: [
        `Image: ${BASE_BYTES / 1024 / 1024} MiB base layer (already in the registry), ${MODEL_BYTES / 1024 / 1024} MiB model layer, a small code layer.`,
        'Bytes are request bodies the local registry received for blob uploads and manifest PUTs (tags 1 and latest).',
        'The base layer is never re-sent (cross-repository mount); the second run sends only the code layer, the image config and manifests.',
      ],
    };
  } finally {
    await close();
  }
}

function secondsFromSummary(result: TaskRun, row: string): number {
  const match = new RegExp(`\\| ${row} \\| ([0-9.]+) s[ |]`).exec(result.summaries[0]?.content ?? '');
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
}

if (require.main === module) {
  run().then(
    (result) => {
      console.log(result.title);
      console.table(result.rows);
      for (const note of result.notes ?? []) console.log(`- ${note}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
