/**
 * What to build, tag, label and push: pure decisions from the inputs and the facts main() gathered.
 * The labels are documented in the task's README:
 *   org.opencontainers.image.{source,revision,created,version,url}   the pipeline run (addPipelineMetadata)
 *   ai.model.name, ai.model.version                                  the model the image serves
 *   ai.model.files   JSON array of {"path","sha256","size"}, paths relative to the build context
 */
import { digestReference, namesRegistryHost, taggedReference, withoutLoginServer } from '../../common/docker/image-reference';
import type { BuilderKind } from '../../common/docker/builder';
import { InputError } from '../../common/errors';
import { type BuildInputs, INPUT } from './inputs';
import type { ModelFile } from './model-files';

export const MODEL_LABEL = { name: 'ai.model.name', version: 'ai.model.version', files: 'ai.model.files' } as const;
export const OCI_LABEL = {
  source: 'org.opencontainers.image.source',
  revision: 'org.opencontainers.image.revision',
  created: 'org.opencontainers.image.created',
  version: 'org.opencontainers.image.version',
  url: 'org.opencontainers.image.url',
} as const;

/** Facts of the pipeline run (from agent variables), for the OCI labels. */
export interface PipelineFacts {
  repositoryUri?: string;
  sourceVersion?: string;
  buildNumber?: string;
  /** `<collection><project>/_build/results?buildId=<id>` (or the release's URL). */
  runUrl?: string;
}

export interface BuildFacts {
  /** From the registry resource or the Docker registry connection: host[:port]. */
  loginServer: string;
  pipeline: PipelineFacts;
  /** ISO 8601. */
  createdAt: string;
  modelFiles: readonly ModelFile[];
  /** The builder `docker build` will use. */
  builder: BuilderKind;
}

export interface ImageBuildPlan {
  /** Path inside the registry. */
  repository: string;
  /** `<loginServer>/<repository>` */
  imageRepository: string;
  tags: readonly string[];
  /** `<loginServer>/<repository>:<tag>`, one per tag. */
  references: readonly string[];
  labels: Readonly<Record<string, string>>;
  /** `docker` arguments, from 'build' to the context folder. No build argument value is among them. */
  dockerArgs: readonly string[];
  /** Build argument values, handed to the docker process through its environment (`--build-arg KEY`). */
  buildEnvironment: Readonly<Record<string, string>>;
  /** Pulled before the build, when it exists, and given as --cache-from. */
  cacheFrom?: string;
  /**
   * Legacy builder: the labels go as one LABEL step at the end of a copy of the Dockerfile (see
   * label-step.ts) instead of one step per `--label`; `dockerArgs` then has no --label, and its
   * `--file` is replaced by the copy's path.
   */
  labelsInDockerfile: boolean;
  /** Empty when `push` is false. */
  pushReferences: readonly string[];
}

/**
 * Build arguments with these names cannot travel through the docker process's environment (the docker
 * CLI itself reads them: where it finds its config, the engine, temp files, CA certificates), so they go
 * on the command line as KEY=VALUE. Only names the CLI reads: NODE_AUTH_TOKEN, NPM_TOKEN, PIP_INDEX_URL...
 * travel through the environment like every other build argument.
 */
export const ENVIRONMENT_RESERVED = /^(PATH|HOME|TMPDIR|DOCKER_.*|BUILDKIT_.*|SSL_CERT_(FILE|DIR))$/i;

export function planImageBuild(inputs: BuildInputs, facts: BuildFacts): ImageBuildPlan {
  const repository = withoutLoginServer(inputs.repository, facts.loginServer);
  const pastedHost = repository.split('/')[0] ?? '';
  if (repository.includes('/') && namesRegistryHost(pastedHost)) {
    throw new InputError(
      INPUT.repository,
      `Input '${INPUT.repository}' names the registry '${pastedHost}', but this task pushes to ${facts.loginServer}. Give only the path inside the registry, e.g. '${repository.slice(pastedHost.length + 1)}'.`,
    );
  }
  const imageRepository = `${facts.loginServer}/${repository}`;
  const references = inputs.tags.map((tag) => taggedReference(facts.loginServer, repository, tag));
  const labels = planLabels(inputs, facts);
  const cacheFrom = inputs.cacheFromLatest && !inputs.noCache ? taggedReference(facts.loginServer, repository, 'latest') : undefined;

  // With --target the legacy builder puts --label on the last stage, not the target: keep its behaviour there.
  const labelsInDockerfile = facts.builder === 'legacy' && inputs.target === undefined && Object.keys(labels).length > 1;
  const args: string[] = ['build', '--file', inputs.dockerfile];
  for (const reference of references) args.push('--tag', reference);
  if (!labelsInDockerfile) for (const [key, value] of Object.entries(labels)) args.push('--label', `${key}=${value}`);
  const buildEnvironment: Record<string, string> = {};
  for (const { key, value } of inputs.buildArguments) {
    if (ENVIRONMENT_RESERVED.test(key)) {
      args.push('--build-arg', `${key}=${value}`);
    } else {
      args.push('--build-arg', key);
      buildEnvironment[key] = value;
    }
  }
  if (inputs.target !== undefined) args.push('--target', inputs.target);
  if (inputs.platform !== undefined) args.push('--platform', inputs.platform);
  if (inputs.noCache) args.push('--no-cache');
  if (cacheFrom !== undefined) {
    args.push('--cache-from', cacheFrom);
    // BuildKit reuses only images that carry inline cache metadata: write it, so that the next run can.
    if (facts.builder === 'BuildKit') args.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1');
  }
  args.push(inputs.buildContext);

  return {
    repository,
    imageRepository,
    tags: inputs.tags,
    references,
    labels,
    dockerArgs: args,
    buildEnvironment,
    ...(cacheFrom !== undefined ? { cacheFrom } : {}),
    labelsInDockerfile,
    pushReferences: inputs.push ? references : [],
  };
}

/**
 * The arguments of `docker build`: the plan's, with `--file` pointing at the labelled copy of the
 * Dockerfile when there is one, or with the labels as `--label` when the plan wanted a copy but none
 * could be written.
 */
export function dockerBuildArgs(plan: ImageBuildPlan, labelledDockerfile: string | undefined): string[] {
  const args = [...plan.dockerArgs];
  if (!plan.labelsInDockerfile) return args;
  if (labelledDockerfile !== undefined) {
    const at = args.indexOf('--file');
    if (at >= 0) args[at + 1] = labelledDockerfile;
    return args;
  }
  const flags = Object.entries(plan.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  args.splice(args.length - 1, 0, ...flags);
  return args;
}

/** Pipeline labels, then model labels, then the user's own (which win on a clash). */
export function planLabels(inputs: BuildInputs, facts: BuildFacts): Record<string, string> {
  const labels: Record<string, string> = {};
  if (inputs.addPipelineMetadata) {
    const { pipeline } = facts;
    if (pipeline.repositoryUri) labels[OCI_LABEL.source] = withoutUserInfo(pipeline.repositoryUri);
    if (pipeline.sourceVersion) labels[OCI_LABEL.revision] = pipeline.sourceVersion;
    labels[OCI_LABEL.created] = facts.createdAt;
    if (pipeline.buildNumber) labels[OCI_LABEL.version] = pipeline.buildNumber;
    if (pipeline.runUrl) labels[OCI_LABEL.url] = pipeline.runUrl;
  }
  if (inputs.model.name !== undefined) labels[MODEL_LABEL.name] = inputs.model.name;
  if (inputs.model.version !== undefined) labels[MODEL_LABEL.version] = inputs.model.version;
  if (facts.modelFiles.length > 0) {
    labels[MODEL_LABEL.files] = JSON.stringify(facts.modelFiles.map((file) => ({ path: file.path, sha256: file.sha256, size: file.size })));
  }
  for (const { key, value } of inputs.labels) labels[key] = value;
  return labels;
}

/** A clone URL without any user name or password in it (`https://org@dev.azure.com/...` -> `https://dev.azure.com/...`). */
export function withoutUserInfo(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/** The run's URL from agent variables (the release's in a release pipeline), or undefined when they are missing. Pure. */
export function runUrlOf(variables: { collectionUri?: string | undefined; teamProject?: string | undefined; buildId?: string | undefined; releaseWebUrl?: string | undefined }): string | undefined {
  const { collectionUri, teamProject, buildId, releaseWebUrl } = variables;
  if (releaseWebUrl) return releaseWebUrl;
  if (!collectionUri || !teamProject || !buildId) return undefined;
  const base = collectionUri.endsWith('/') ? collectionUri : `${collectionUri}/`;
  return `${base}${encodeURIComponent(teamProject)}/_build/results?buildId=${encodeURIComponent(buildId)}`;
}

/** The outputs once the registry confirmed the digest. */
export function imageOutputs(plan: ImageBuildPlan, loginServer: string, digest: string | undefined) {
  return {
    imageRepository: plan.imageRepository,
    imageTags: plan.tags.join(','),
    ...(digest !== undefined ? { imageDigest: digest, imageUri: digestReference(loginServer, plan.repository, digest) } : {}),
  };
}
