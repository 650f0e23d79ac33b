/**
 * `npm start [-- pipeline.yml] [--var N=V] [--secret N[=V]] [--connection N=KIND] [--keep]`: builds the
 * tasks and the .vsix, starts the local Azure, and runs the pipeline's steps (default:
 * examples/azure-pipelines.yml) through the bundled tasks exactly as the agent would. Ends with the
 * model's URL and a real prediction, the smoke test's checks, the .vsix, and where the time went.
 * Unsupported YAML is refused before anything slow starts. See docs/local-pipeline-runner.md.
 * `npm start` runs it as `node --import tsx` (one process), not through the tsx command: that one relays
 * Ctrl+C to its child and SIGKILLs it when the child does not acknowledge the signal within 30 ms, which a
 * loaded machine misses, and the runner then dies without cancelling the step or cleaning up.
 */
import * as path from 'node:path';
import { ensureDockerHost } from '../emulator/docker-host';
import { type LocalAzure, startLocalAzure } from '../emulator/index';
import { dockerClusterRuntime } from '../emulator/kubernetes/runtime/docker-cluster-runtime';
import { parseArguments, USAGE } from './pipeline/arguments';
import { checkBeforeTheJob } from './pipeline/before-the-job';
import { publishBaseImageOnce } from './pipeline/base-image-cache';
import { createNamedResources } from './pipeline/create-named-resources';
import { prepareModelApp, removeRegistryImages } from './pipeline/demo-setup';
import { runPipelineLocally } from './pipeline/local-run';
import { PipelineError } from './pipeline/model';
import { findingLines } from './pipeline/preflight';
import { predictIris } from './pipeline/prediction';
import { createStyle } from './pipeline/render';
import { smokeTestLines, type Timing, timingLines } from './pipeline/report';
import { type ReplicaSampler, sampleReplicas, scaledOutAndBack, timelineLines, type WatchedDeployment, watchedDeployments } from './pipeline/replica-timeline';
import { buildTasksIfChanged, openRunnerFingerprints, packageIfChanged, usesExampleApp } from './pipeline/up-to-date';

const ROOT = path.resolve(__dirname, '..');
const startedAt = performance.now();
const style = createStyle(process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
const write = (line: string): void => void process.stdout.write(`${line}\n`);
const timings: Timing[] = [];
const cleanups: { label: string; run: () => Promise<unknown> }[] = [];

/** Runs one preparation, timed; phases may run side by side, so each says its name when done and keeps its row in start order. */
async function phase<T>(label: string, work: () => Promise<T>, note?: (result: T) => string): Promise<T> {
  write(`${style.bold('▸')} ${label}...`);
  const timing: Timing = { label, durationInMs: 0 };
  timings.push(timing);
  const phaseStart = performance.now();
  const result = await work();
  timing.durationInMs = performance.now() - phaseStart;
  const detail = note?.(result);
  if (detail) timing.note = detail;
  write(`  ${style.green('done')}: ${label} in ${(timing.durationInMs / 1000).toFixed(1)} s${detail ? `: ${detail}` : ''}`);
  return result;
}

/** Waits for every branch (so that each registers its clean-up), then fails with the first failure. */
async function allSettled<T extends readonly unknown[]>(branches: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(branches);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

let cleaning: Promise<void> | undefined;
/** Runs the clean-ups once, in reverse order; every caller (end of run, signal, error) waits for the same run. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup.run();
      } catch (error) {
        write(style.yellow(`Clean-up: could not ${cleanup.label}: ${error instanceof Error ? error.message : String(error)}`));
      }
    }
  })();
  return cleaning;
}

let stoppingSince: number | undefined;
let stoppingSignal: NodeJS.Signals | undefined;
/** Ctrl+C cancels the running job as the agent cancels one (scripts/agent: SIGINT to the step, 7.5 s, SIGTERM, 2.5 s, kill). */
const jobCancellation = new AbortController();
let jobRunning = false;
function onSignal(signal: NodeJS.Signals): void {
  if (stoppingSince !== undefined) {
    // A terminal's Ctrl+C reaches this process twice (directly, and relayed by npm): only a later one counts.
    if (performance.now() - stoppingSince < 1000) return;
    write(style.red(`${signal} again: exiting without finishing the clean-up.`));
    process.exit(130);
  }
  stoppingSince = performance.now();
  stoppingSignal = signal;
  write(style.yellow(`\n${signal}: cancelling the running step as the agent does, then cleaning up (press Ctrl+C again to exit at once)...`));
  jobCancellation.abort();
  // A running job ends within the agent's 10 s cancellation window; main() then cleans up.
  if (!jobRunning) {
    void cleanUp().finally(() => {
      write(style.yellow(`Cancelled (${signal}) before the job started; cleaned up.`));
      process.exit(130);
    });
  }
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2), process.env);
  if (args.help) {
    write(USAGE);
    return 0;
  }
  // Everything that can be refused is checked first, in milliseconds.
  const { pipeline, shownFile, yamlVariables, connections, azureNames, findings, workingDirectory } = checkBeforeTheJob(args, ROOT);
  write(style.bold(`Local pipeline run: ${shownFile}`));
  write(`  steps: ${pipeline.steps.map((step) => `${step.name} (${step.reference})`).join(' → ')}`);
  for (const { name, kind, fromDefault } of connections.kinds.values()) write(`  service connection '${name}' → local ${kind}${fromDefault ? ' (default)' : ''}`);
  if (pipeline.ignored.length > 0) write(style.dim(`  no effect locally: ${pipeline.ignored.join(', ')}`));
  if (findings.length > 0) {
    const lines = findingLines(findings);
    if (args.strict) throw new PipelineError([`${findings.length} problem(s) found before the job (--strict makes them errors):`, ...lines.map((line) => `  ${line}`)].join('\n'));
    write(style.yellow(`${findings.length} warning(s) before the job (--strict makes them errors):`));
    for (const line of lines) write(style.yellow(`  warning: ${line}`));
  }
  const fingerprints = openRunnerFingerprints(ROOT);

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Three independent preparations side by side: the extension; the Docker engine, then the local Azure; the example app's dist/.
  const [vsix, azure] = await allSettled<[string, LocalAzure, unknown]>([
    (async () => {
      await phase('Build the tasks', () => buildTasksIfChanged(ROOT, fingerprints), (result) => `${result.bundles} bundles${result.built ? '' : ' (unchanged, reused)'}`);
      const packaged = await phase('Package the extension (.vsix)', () => packageIfChanged(ROOT, fingerprints), (result) => `${path.relative(ROOT, result.vsix)}${result.packaged ? '' : ' (unchanged, reused)'}`);
      return packaged.vsix;
    })(),
    (async () => {
      const host = await phase('Check the Docker engine', () => ensureDockerHost((line) => write(style.dim(`  ${line}`))), (h) => (h.startedEngine ? 'started dockerd' : 'running'));
      cleanups.push({ label: 'stop dockerd', run: () => host.stop() });
      // The autoscaler syncs every 2 s instead of AKS's 15 s (as the tests shorten it), so that a smoke test's
      // few seconds of load are seen; the scale-down window stays the one the pipeline's HPA asks for.
      const kubernetesRuntime = dockerClusterRuntime({ timings: { hpaSyncPeriodInMs: DEMO_HPA_SYNC_PERIOD_IN_MS } });
      const started = await phase('Start the local Azure', () => startLocalAzure({ trustCaInProcess: false, kubernetesRuntime }), (a) => `registry ${a.registry.name} at ${a.registry.loginServer}`);
      // Cleanups run last-in first-out: the local Azure stops (its containers go) before the images they ran are removed.
      cleanups.push({ label: 'remove the images pushed to the local registry', run: () => removeRegistryImages(started.registries.map((registry) => registry.loginServer)) });
      cleanups.push({ label: 'stop the local Azure', run: () => started.stop() });
      return started;
    })(),
    // Only a pipeline that builds the example app needs its dist/.
    usesExampleApp(pipeline, { ...yamlVariables, ...args.variables }, workingDirectory, ROOT)
      ? phase('Prepare the model app (dist/)', () => prepareModelApp(ROOT, (line) => write(style.dim(`  ${line}`))), (summary) => summary)
      : Promise.resolve(undefined),
  ]);
  if (azureNames.resourceGroups.length + azureNames.registries.length + azureNames.clusters.length > 0) {
    await phase('Create what the pipeline names', () => createNamedResources(azure, azureNames, (line) => write(style.dim(`  ${line}`))), (created) => created);
  }
  // The base image goes where the first build pushes, so that its `docker build` can pull it with the same sign-in.
  const baseRegistry = azureNames.registries[0]?.name ?? azure.registry.name;
  const base = await phase('Base image → local registry', () => publishBaseImageOnce(azure, baseRegistry, fingerprints, path.join(ROOT, '.cache', 'local-run')), (b) => `${b.reference} (${b.how === 'copied' ? 'unchanged: copied from the last run, not pushed' : b.how})`);

  const jobStart = performance.now();
  const watched = watchedDeployments(pipeline.steps, { ...yamlVariables, ...args.variables });
  const sampler = watched.length > 0 ? sampleReplicas(azure, watched, Date.now()) : undefined;
  if (sampler) cleanups.push({ label: 'stop sampling the replicas', run: () => Promise.resolve(sampler.stop()) });
  jobRunning = true;
  const job = await runPipelineLocally({
    cancellation: jobCancellation.signal,
    pipeline,
    connections,
    azure,
    runnerVariables: { baseImage: base.reference },
    variables: args.variables,
    secrets: args.secrets,
    workingDirectory,
    style,
    write,
  }).finally(() => {
    jobRunning = false;
  });
  if (stoppingSince !== undefined) {
    write('');
    write(style.bold(style.yellow(cancelledJobLine(job, stoppingSignal ?? 'SIGINT'))));
    const cleanupStart = performance.now();
    await cleanUp();
    write(style.dim(`Cleaned up (local Azure stopped, its containers and pushed images removed) in ${((performance.now() - cleanupStart) / 1000).toFixed(1)} s.`));
    return 130;
  }
  for (const stepRun of job.steps) timings.push({ label: `step ${stepRun.step.name}`, durationInMs: stepRun.durationInMs, note: stepRun.skipped ? 'skipped' : (stepRun.run?.result ?? 'Failed'), step: true });
  write('');
  write(style.bold(`Job ${job.result === 'Failed' ? style.red('failed') : style.green(job.result === 'Succeeded' ? 'succeeded' : 'succeeded with issues')} in ${((performance.now() - jobStart) / 1000).toFixed(1)} s`));

  let exitCode = job.result === 'Failed' ? 1 : 0;
  const deploy = [...pipeline.steps].reverse().find((step) => step.task === 'DeployToAciV1' || step.task === 'DeployToAksV1');
  const url = (deploy ? job.variables[`${deploy.name}.url`] : undefined) ?? job.variables['AiModelDeploy.ModelUrl'];
  if (deploy) {
    write('');
    write(style.bold('Model'));
    write(`  URL         ${url ?? '(none: the deploy step produced no URL)'}`);
  }
  if (url && (await servesIris(url))) {
    try {
      const prediction = await predictIris(url);
      write(`  prediction  ${prediction.request} with an iris of sepal 6.3 x 3.3 cm, petal 6.0 x 2.5 cm`);
      write(`              → ${style.bold(prediction.species)} (probability ${prediction.probability.toFixed(3)}, ${prediction.latencyInMs.toFixed(0)} ms)`);
    } catch (error) {
      write(style.red(`  prediction failed: ${error instanceof Error ? error.message : String(error)}`));
      exitCode = 1;
    }
  } else if (url) {
    write(style.dim('  (no prediction: the model at this URL is not the Iris example)'));
  }
  for (const smoke of job.steps.filter((stepRun) => stepRun.step.task === 'SmokeTestModelV1')) {
    write('');
    if (!smoke.run) {
      write(style.bold(`Smoke test (${smoke.step.name}): skipped`));
      continue;
    }
    write(style.bold(`Smoke test (${smoke.step.name}): ${smoke.run.result ?? 'Failed'}`));
    for (const line of smokeTestLines(smoke.run, style)) write(`  ${line}`);
  }
  if (sampler && job.result !== 'Failed') {
    const jobInMs = performance.now() - jobStart;
    if (!(await replicasOverTime(sampler, watched, job, jobInMs))) exitCode = 1;
  }
  write('');
  write(`${style.bold('Extension package')}  ${vsix}`);
  write('');
  write(style.bold('Where the time went'));
  for (const line of timingLines(timings, performance.now() - startedAt)) write(`  ${line}`);

  if (args.keep) {
    write('');
    write(style.bold(`--keep: the local Azure (${azure.armUrl}) and the model${url ? ` (${url})` : ''} keep running. Press Ctrl+C to stop and clean up.`));
    await new Promise<never>(() => undefined);
  }
  const cleanupStart = performance.now();
  await cleanUp();
  write(style.dim(`Cleaned up (local Azure stopped, its containers and pushed images removed) in ${((performance.now() - cleanupStart) / 1000).toFixed(1)} s.`));
  return exitCode;
}

/** "Job cancelled (SIGINT): step 'image' was cancelled; 1 later step skipped." */
function cancelledJobLine(job: Awaited<ReturnType<typeof runPipelineLocally>>, signal: NodeJS.Signals): string {
  const cancelled = job.steps.filter((stepRun) => stepRun.run?.cancelled === true).map((stepRun) => `'${stepRun.step.name}'`);
  const skipped = job.steps.filter((stepRun) => stepRun.skipped).length;
  const which = cancelled.length === 0 ? 'no step was running' : `step ${cancelled.join(', ')} was cancelled`;
  return `Job cancelled (${signal}): ${which}; ${skipped} later step${skipped === 1 ? '' : 's'} skipped.`;
}

/** The local AKS autoscaler's sync period in the demo (AKS: 15 s). */
const DEMO_HPA_SYNC_PERIOD_IN_MS = 2000;

/** How long the demo waits after the job for the autoscaler to scale back down. */
const SCALE_DOWN_WAIT_IN_MS = 180_000;

/**
 * The replicas of each autoscaled deployment over time: after the job, waits (with a deadline) until the
 * autoscaler has scaled back to its minimum, then prints the changes with the smoke test's load marked.
 * False when an autoscaled deployment never scaled out or did not come back down in time.
 */
async function replicasOverTime(sampler: ReplicaSampler, watched: readonly WatchedDeployment[], job: Awaited<ReturnType<typeof runPipelineLocally>>, jobInMs: number): Promise<boolean> {
  let offset = 0;
  let load: { fromInMs: number; toInMs: number } | undefined;
  for (const stepRun of job.steps) {
    if (stepRun.step.task === 'SmokeTestModelV1' && !stepRun.skipped) load = { fromInMs: offset, toInMs: offset + stepRun.durationInMs };
    offset += stepRun.durationInMs;
  }
  let ok = true;
  for (const deployment of watched) {
    write('');
    write(style.bold(`Replicas of ${deployment.namespace}/${deployment.name} over time (from the start of the job)`));
    if (deployment.minReplicas !== undefined) {
      const minReplicas = deployment.minReplicas;
      const deadline = Date.now() + SCALE_DOWN_WAIT_IN_MS;
      if (!scaledOutAndBack(sampler.samples(deployment), minReplicas) && sampler.samples(deployment).some((sample) => sample.desired > minReplicas)) {
        write(style.dim(`  waiting up to ${SCALE_DOWN_WAIT_IN_MS / 1000} s for the autoscaler to scale back down to ${minReplicas} (the pipeline's scale-down stabilisation window)...`));
      }
      while (!scaledOutAndBack(sampler.samples(deployment), minReplicas) && sampler.samples(deployment).some((sample) => sample.desired > minReplicas) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    for (const line of timelineLines(sampler.samples(deployment), load)) write(`  ${line}`);
    const state = sampler.autoscalerState(deployment);
    if (state) write(style.dim(`  autoscaler now: ${state}`));
    if (deployment.minReplicas !== undefined) {
      const samples = sampler.samples(deployment);
      if (!samples.some((sample) => sample.desired > (deployment.minReplicas ?? 1))) {
        write(style.red(`  the autoscaler never scaled out (job ${(jobInMs / 1000).toFixed(0)} s): the load did not raise the pods' cpu above the target`));
        ok = false;
      } else if (!scaledOutAndBack(samples, deployment.minReplicas)) {
        write(style.red(`  the autoscaler scaled out but not back down to ${deployment.minReplicas} within ${SCALE_DOWN_WAIT_IN_MS / 1000} s`));
        ok = false;
      } else {
        write(style.green(`  scaled out under load, then back down to ${deployment.minReplicas}`));
      }
    }
  }
  sampler.stop();
  return ok;
}

async function servesIris(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url.replace(/\/+$/, '')}/v2/models/iris`, { signal: AbortSignal.timeout(5000) });
    return response.ok;
  } catch {
    return false;
  }
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    write(style.red(error instanceof PipelineError ? error.message : `The demo failed: ${error instanceof Error ? error.message : String(error)}`));
    await cleanUp();
    process.exit(error instanceof PipelineError ? 2 : 1);
  },
);
