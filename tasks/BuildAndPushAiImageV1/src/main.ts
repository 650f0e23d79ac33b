import * as path from 'node:path';
import { type Cancellation, uncancellable } from '../../common/cancellation';
import { CHAINED_VARIABLE } from '../../common/chained-variables';
import { type Builder, detectBuilder, needsBuildxCheck } from '../../common/docker/builder';
import type { DockerCli } from '../../common/docker/docker-cli';
import type { Clock } from '../../common/deadline';
import { type RegistryLogin, replaceDockerConfig, withTemporaryDockerConfig } from '../../common/docker/docker-config';
import { InputError, TaskError } from '../../common/errors';
import type { SetVariableOptions, TaskLog } from '../../common/task-runtime';
import { buildWithRetries } from './build-retry';
import { SIGN_IN_REFRESH_MARGIN_IN_MS, type SignIn, pushWithRetries } from './push';
import { type BuildInputs, INPUT, type RegistryConnection } from './inputs';
import type { ModelFile } from './model-files';
import { withLabelStep } from './label-step';
import { type ImageBuildPlan, type PipelineFacts, dockerBuildArgs, imageOutputs, planImageBuild } from './plan';
import type { RegistrySession } from './registry';
import { buildSummary } from './summary';

/** Job variables a later DeployToAci in the same job reads when its `image` input is empty. */

export interface BuildDeps {
  log: TaskLog;
  setVariable(name: string, value: string, options?: SetVariableOptions): void;
  addSummary(title: string, markdown: string): void;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits between push attempts (default: real time). */
  clock?: Clock;
  pipeline: PipelineFacts;
  /** Where the temporary Docker config goes (the agent's temp folder). */
  tempDirectory: string;
  pathKind(path: string): Promise<'file' | 'directory' | 'missing'>;
  /** The sources directory: a build context outside it is logged with its path and size before it is sent. */
  sourcesDirectory?: string;
  folderSize?(path: string): Promise<{ bytes: number; files: number }>;
  collectModelFiles(contextDirectory: string, patterns: readonly string[]): Promise<ModelFile[]>;
  /** A docker CLI, signed in through `configDirectory` when given. */
  createDocker(configDirectory?: string): DockerCli;
  /** The DOCKER_BUILDKIT variable docker gets from the agent, if any. */
  dockerBuildkit?: string;
  readTextFile(path: string): Promise<string>;
  writeTextFile(path: string, text: string): Promise<void>;
  openRegistry(connection: RegistryConnection): Promise<RegistrySession>;
  /** Loads what openRegistry needs without calling Azure (run beside the Docker engine check). */
  prepareRegistry?(connection: RegistryConnection): Promise<void>;
  /** The agent's cancellation (SIGINT/SIGTERM); docker commands stop and the temporary sign-in is deleted. */
  cancellation?: Cancellation;
}

export async function main(inputs: BuildInputs, deps: BuildDeps): Promise<void> {
  const { log } = deps;
  await checkPaths(inputs, deps);
  // Local and independent: hashing the model files, the engine and builder check, loading the Azure SDKs. Azure only after them.
  const [modelFiles, builder] = await Promise.all([
    inputs.model.files.length > 0 ? deps.collectModelFiles(inputs.buildContext, inputs.model.files) : Promise.resolve([]),
    checkDocker(deps),
    deps.prepareRegistry?.(inputs.connection),
  ]);
  if (modelFiles.length > 0) log.info(`Model files: ${modelFiles.length} (hashed for the ai.model.files label).`);
  const session = await deps.openRegistry(inputs.connection);
  log.info(`Registry: ${session.loginServer}, signing in as ${session.identity}.`);
  const plan = planImageBuild(inputs, {
    loginServer: session.loginServer,
    pipeline: deps.pipeline,
    createdAt: new Date(deps.now()).toISOString(),
    modelFiles,
    builder: builder.kind,
  });

  let login: RegistryLogin | undefined;
  const result = await withTemporaryDockerConfig(
    deps.tempDirectory,
    async () => {
      login = await session.dockerLogin();
      return [login];
    },
    async (configDirectory) => {
      // A long build can take the sign-in close to its expiry: sign in again before pushing.
      const signIn: SignIn = {
        current: () => login,
        refreshIfExpiring: async () => {
          if (login?.expiresAt === undefined || login.expiresAt - deps.now() > SIGN_IN_REFRESH_MARGIN_IN_MS) return;
          log.info(`The registry sign-in expires at ${new Date(login.expiresAt).toISOString()}: signing in again before pushing.`);
          login = await session.dockerLogin();
          await replaceDockerConfig(configDirectory, [login]);
        },
      };
      return buildAndPush(plan, session, deps.createDocker(configDirectory), deps, await dockerfileFor(plan, inputs.dockerfile, configDirectory, deps), signIn);
    },
    deps.cancellation,
  );

  const outputs = imageOutputs(plan, session.loginServer, result.digest);
  for (const [name, value] of Object.entries(outputs)) deps.setVariable(name, value, { isOutput: true });
  if (outputs.imageUri !== undefined) {
    deps.setVariable(CHAINED_VARIABLE.imageUri, outputs.imageUri);
    log.info(`Image: ${outputs.imageUri}`);
  }
  deps.addSummary(
    inputs.push ? 'Image built and pushed' : 'Image built',
    buildSummary({ plan, modelFiles, ...result, ...(outputs.imageUri !== undefined ? { imageUri: outputs.imageUri } : {}) }),
  );
}

/** The engine check, then which builder `docker build` will use. */
async function checkDocker(deps: BuildDeps): Promise<Builder> {
  const docker = deps.createDocker();
  const versions = await docker.checkEngine();
  const facts = { dockerBuildkit: deps.dockerBuildkit, clientVersion: versions.clientVersion };
  const builder = detectBuilder(needsBuildxCheck(facts) ? { ...facts, buildx: await docker.hasBuildx() } : facts);
  deps.log.info(`Docker engine ${versions.serverVersion} (client ${versions.clientVersion}); builder: ${builder.kind} (${builder.reason}).`);
  return builder;
}

/** The Dockerfile to build: a copy with one LABEL step (in the temporary folder) when the plan asks for it and it can be written. */
async function dockerfileFor(plan: ImageBuildPlan, dockerfile: string, folder: string, deps: BuildDeps): Promise<string | undefined> {
  if (!plan.labelsInDockerfile) return undefined;
  const labelled = withLabelStep(await deps.readTextFile(dockerfile), plan.labels);
  if (labelled === undefined) return undefined;
  const copy = path.join(folder, 'Dockerfile');
  await deps.writeTextFile(copy, labelled);
  deps.log.debug(`The ${Object.keys(plan.labels).length} labels go in one LABEL step at the end of ${copy}, a copy of ${dockerfile}.`);
  return copy;
}

interface BuildResult {
  digest?: string;
  sizeInBytes?: number;
  layerCount?: number;
  buildInMs: number;
  pushInMs?: number;
  cache: { steps: number; cachedSteps: number };
}

async function buildAndPush(
  plan: ImageBuildPlan,
  session: RegistrySession,
  docker: DockerCli,
  deps: BuildDeps,
  labelledDockerfile: string | undefined,
  signIn: SignIn,
): Promise<BuildResult> {
  const { log } = deps;
  const cancellation = deps.cancellation ?? uncancellable();
  if (plan.cacheFrom !== undefined) await pullCacheImage(plan.cacheFrom, plan.tags, docker, log);
  cancellation.setPhase(`building ${plan.references.join(', ')}`, () => 'Nothing was pushed');
  log.info(`Building ${plan.references.join(', ')}`);
  const buildStart = deps.now();
  const output = await buildWithRetries(docker, dockerBuildArgs(plan, labelledDockerfile), plan.buildEnvironment, log);
  const buildInMs = deps.now() - buildStart;
  const cache = { steps: output.steps, cachedSteps: output.cachedSteps };
  if (output.steps > 0) log.info(`Built${output.builder ? ` with ${output.builder}` : ''}: ${output.cachedSteps} of ${output.steps} steps from the build cache.`);
  if (plan.pushReferences.length === 0) return { buildInMs, cache };

  await signIn.refreshIfExpiring();
  const pushStart = deps.now();
  const reported = new Set<string>();
  const pushed: string[] = [];
  for (const reference of plan.pushReferences) {
    cancellation.setPhase(`pushing ${reference}`, () =>
      pushed.length === 0
        ? `Nothing was tagged in the registry yet (it may keep layers uploaded so far, unreferenced)`
        : `Tags pushed before: ${pushed.join(', ')}; ${reference} was not pushed`,
    );
    log.info(`Pushing ${reference}`);
    const digest = await pushWithRetries(reference, session, docker, deps, signIn);
    if (digest) reported.add(digest);
    pushed.push(reference);
  }
  const pushInMs = deps.now() - pushStart;
  const firstReference = plan.pushReferences[0] ?? '';
  if (reported.size === 0) {
    const fromInspect = await docker.repoDigest(firstReference, plan.imageRepository);
    if (fromInspect) reported.add(fromInspect);
  }
  if (reported.size > 1) throw new TaskError(`The pushes of ${plan.pushReferences.join(', ')} reported different digests: ${[...reported].join(', ')}.`);
  const pushedDigest = [...reported][0];

  cancellation.setPhase(`checking the pushed digest of ${plan.pushReferences.join(', ')}`, () => `Every tag was pushed; the digest was not checked against the registry`);
  const current = signIn.current();
  if (current === undefined) throw new TaskError('Internal error: the registry sign-in is missing after the push.');
  const manifests = session.manifests(docker, current);
  log.info(`Checking the pushed digest against the registry (${manifests.description}).`);
  const manifest = await manifests.manifest(plan.repository, plan.tags[0] ?? '');
  if (pushedDigest !== undefined && manifest.digest !== pushedDigest) {
    throw new TaskError(
      `The registry has ${manifest.digest} for ${firstReference}, but docker push reported ${pushedDigest}. ` +
        'Another run may have pushed the same tag at the same time; use a tag unique to this run (e.g. $(Build.BuildId)) and run again.',
    );
  }
  log.info(`Digest ${manifest.digest} confirmed by the registry.`);
  return { digest: manifest.digest, sizeInBytes: manifest.sizeInBytes, layerCount: manifest.layers.length, buildInMs, pushInMs, cache };
}

/** The cache image is an optimisation: when it cannot be pulled the build goes on without it. */
async function pullCacheImage(cacheFrom: string, tags: readonly string[], docker: DockerCli, log: TaskLog): Promise<void> {
  log.info(`Pulling ${cacheFrom} to reuse its layers as build cache.`);
  if (!tags.includes('latest')) {
    log.info("Input 'tags' has no 'latest': this run reuses the last image tagged latest but does not move that tag; add 'latest' to the tags to keep the cache current.");
  }
  const outcome = await docker.pull(cacheFrom);
  if (outcome.kind === 'notFound') log.info(`${cacheFrom} does not exist yet; building without a cache image.`);
  if (outcome.kind === 'failed') log.warning(`Could not pull the cache image ${cacheFrom} (${outcome.reason}); building without it.`);
}

async function checkPaths(inputs: BuildInputs, deps: BuildDeps): Promise<void> {
  const dockerfileKind = await deps.pathKind(inputs.dockerfile);
  if (dockerfileKind !== 'file') {
    throw new InputError(
      INPUT.dockerfile,
      `Input '${INPUT.dockerfile}': ${inputs.dockerfile} ${dockerfileKind === 'directory' ? 'is a folder, not a file' : 'does not exist'}. ` +
        'Give the path of the Dockerfile, relative to the repository root (System.DefaultWorkingDirectory); check out the repository first with a checkout step.',
    );
  }
  const contextKind = await deps.pathKind(inputs.buildContext);
  if (contextKind !== 'directory') {
    throw new InputError(
      INPUT.buildContext,
      `Input '${INPUT.buildContext}': the build context ${inputs.buildContext} ${contextKind === 'file' ? 'is a file, not a folder' : 'does not exist'}. Give a folder relative to the repository root, or '**' (the default) for the Dockerfile's folder.`,
    );
  }
  if (inputs.target !== undefined) {
    const stages = dockerfileStages(await deps.readTextFile(inputs.dockerfile));
    if (!stages.includes(inputs.target.toLowerCase())) {
      throw new InputError(
        INPUT.target,
        `Input '${INPUT.target}': ${inputs.dockerfile} has no stage '${inputs.target}'; ` +
          (stages.length > 0 ? `its stages are: ${stages.join(', ')}.` : "it names no stage (FROM <image> AS <name>). Name the stage in the Dockerfile, or leave 'target' empty."),
      );
    }
  }
  if (deps.sourcesDirectory !== undefined && deps.folderSize && isOutside(inputs.buildContext, deps.sourcesDirectory)) {
    const size = await deps.folderSize(inputs.buildContext);
    deps.log.info(
      `The build context ${inputs.buildContext} is outside the sources directory ${deps.sourcesDirectory}: all of it (${size.files} files, ${(size.bytes / (1024 * 1024)).toFixed(1)} MB) is sent to the Docker engine.`,
    );
  }
}

/** Stage names of a Dockerfile (`FROM image AS name`), lower-cased (Docker compares them so). */
export function dockerfileStages(dockerfile: string): string[] {
  return [...dockerfile.matchAll(/^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)\s*$/gim)].map((match) => (match[1] ?? '').toLowerCase());
}

function isOutside(folder: string, parent: string): boolean {
  const relative = path.relative(parent, folder);
  return relative.startsWith('..') || path.isAbsolute(relative);
}
