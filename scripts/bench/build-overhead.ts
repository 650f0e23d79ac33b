/**
 * BuildAndPushAiImage@1 after a code-only change against the raw tools it wraps (`docker build` then
 * `docker push` of the same context to the same registry, signed in beforehand), in turn, under the
 * legacy builder and under BuildKit. The task runs as the agent runs it (a fresh node process), with
 * pipeline metadata and a model file, so it adds its labels; the raw build adds none.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { openBuildEnvironment, runAzureRmBuild } from '../../tests/e2e/build/build-fixture';
import { BUILDERS, openBuilder } from '../../tests/e2e/build/builders';
import { type Comparison, inTurn, timed } from './support/comparison';
import { type BenchResult, median } from './types';

const exec = promisify(execFile);
const ROUNDS = 5;

export async function run(): Promise<BenchResult> {
  const environment = await openBuildEnvironment({ name: 'benchbuild', modelBytes: 4 * 1024 * 1024, baseBytes: 8 * 1024 * 1024 });
  const { azure, workspace, baseImage } = environment;
  const config = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-build-config-'));
  const comparisons: Comparison[] = [];
  try {
    const { loginServer, adminUsername, adminPassword } = azure.registry;
    for (const name of BUILDERS) {
      const builder = openBuilder(name);
      try {
        const env = { ...process.env, ...builder.env, DOCKER_CONFIG: config };
        const docker = (args: string[], input?: string) => {
          const child = exec(builder.dockerPath, args, { env, maxBuffer: 16 * 1024 * 1024 });
          if (input !== undefined) child.child.stdin?.end(input);
          return child;
        };
        await docker(['login', '--username', adminUsername, '--password-stdin', loginServer], adminPassword);
        const repository = `bench/iris-${name.toLowerCase()}`;
        const task = async (round: number): Promise<void> => {
          workspace.changeCode(`task ${name} ${round} ${Date.now()}`);
          const result = await runAzureRmBuild(azure, baseImage, azure.connections.spnKey, {
            inputs: { repository, tags: `t${round}`, modelName: 'iris', modelFiles: 'model' },
            variables: { 'Build.BuildId': String(round + 1), 'Build.BuildNumber': `20261207.${round + 1}`, 'Build.Repository.Uri': 'https://example.invalid/repo', 'Build.SourceVersion': 'abc123' },
            workingDirectory: workspace.root,
            env: builder.env,
            timeoutInMs: 10 * 60_000,
          });
          if (result.result !== 'Succeeded') throw new Error(`The task failed under ${name}: ${result.message ?? 'no message'}`);
        };
        const raw = async (round: number): Promise<void> => {
          workspace.changeCode(`raw ${name} ${round} ${Date.now()}`);
          const reference = `${loginServer}/${repository}:r${round}`;
          await docker(['build', '--file', path.join(workspace.context, 'Dockerfile'), '--build-arg', `BASE_IMAGE=${baseImage}`, '--tag', reference, workspace.context]);
          await docker(['push', reference]);
        };
        // Warm-up: the model layer pushed and the build cache filled for both.
        await task(-1);
        await raw(-1);
        const samples = await inTurn(ROUNDS, (round) => timed(() => task(round)).then((ms) => ms / 1000), (round) => timed(() => raw(round)).then((ms) => ms / 1000));
        comparisons.push({
          measure: `build + push after a code-only change (${name})`,
          unit: 's',
          task: samples.a,
          raw: samples.b,
          rawLabel: 'docker build && docker push',
          aim: { kind: 'over', atMost: 0.5 },
        });
      } finally {
        builder.remove();
      }
    }
    return {
      title: `BuildAndPushAiImage vs docker build && docker push, code-only change (${ROUNDS} rounds in turn per builder)`,
      rows: comparisons.map((c) => ({
        measure: c.measure,
        'task median (s)': Math.round(median(c.task) * 100) / 100,
        'raw median (s)': Math.round(median(c.raw ?? []) * 100) / 100,
        'difference (s)': Math.round((median(c.task) - median(c.raw ?? [])) * 100) / 100,
      })),
      comparisons,
      notes: [
        'Image: an 8 MiB base layer from the local registry, a 4 MiB model layer, a small code layer; one tag per run; the task hashes the model file, adds 7 labels, signs in with a service principal and checks the pushed digest.',
        `Load average: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} CPUs.`,
      ],
    };
  } finally {
    fs.rmSync(config, { recursive: true, force: true });
    await environment.close();
  }
}
