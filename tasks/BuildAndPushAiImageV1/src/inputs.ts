import * as path from 'node:path';
import { InputError, invalidInput, missingInput } from '../../common/errors';
import { type InputContext, type InputSource, InputReader, type KeyValue } from '../../common/input-reader';
import { repositoryProblem, tagProblem } from '../../common/docker/image-reference';

/** Every input of task.json, declared once (a test checks this list against task.json). */
export const INPUT = {
  connectionType: 'connectionType',
  azureSubscription: 'azureSubscription',
  azureContainerRegistry: 'azureContainerRegistry',
  dockerRegistryServiceConnection: 'dockerRegistryServiceConnection',
  repository: 'repository',
  dockerfile: 'dockerfile',
  buildContext: 'buildContext',
  tags: 'tags',
  buildArguments: 'buildArguments',
  target: 'target',
  platform: 'platform',
  labels: 'labels',
  addPipelineMetadata: 'addPipelineMetadata',
  cacheFromLatest: 'cacheFromLatest',
  noCache: 'noCache',
  push: 'push',
  modelName: 'modelName',
  modelVersion: 'modelVersion',
  modelFiles: 'modelFiles',
} as const;

export type InputName = (typeof INPUT)[keyof typeof INPUT];

export type RegistryConnection =
  | { readonly type: 'azureRM'; readonly connectionId: string; /** A registry name or login server. */ readonly registry: string }
  | { readonly type: 'dockerRegistry'; readonly connectionId: string };

export interface BuildInputs {
  readonly connection: RegistryConnection;
  /** The path inside the registry, e.g. 'models/sentiment' (may still start with the login server). */
  readonly repository: string;
  /** Absolute. */
  readonly dockerfile: string;
  /** Absolute. */
  readonly buildContext: string;
  readonly tags: readonly string[];
  readonly buildArguments: readonly KeyValue[];
  readonly target?: string;
  readonly platform?: string;
  readonly labels: readonly KeyValue[];
  readonly addPipelineMetadata: boolean;
  readonly cacheFromLatest: boolean;
  readonly noCache: boolean;
  readonly push: boolean;
  readonly model: { readonly name?: string; readonly version?: string; /** Paths or globs relative to the build context. */ readonly files: readonly string[] };
}

const MAX_TAGS = 50;
/** buildContext's default in task.json: the Dockerfile's folder. */
export const BUILD_CONTEXT_DEFAULT = '**';
const BUILD_ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

/** What readInputs gets beside the raw inputs. */
export interface BuildInputContext extends InputContext {
  /** Relative paths resolve against it (System.DefaultWorkingDirectory). */
  workingDirectory: string;
}

/** Reads and validates every input; nothing here touches Azure or Docker. */
export function readInputs(source: InputSource, context: BuildInputContext): BuildInputs {
  const { workingDirectory } = context;
  const reader = new InputReader<InputName>(source, context);
  const connectionType = reader.enumValue(INPUT.connectionType, ['azureRM', 'dockerRegistry'] as const, 'azureRM');
  const connection: RegistryConnection =
    connectionType === 'azureRM'
      ? {
          type: 'azureRM',
          connectionId: reader.required(INPUT.azureSubscription, 'Choose the Azure Resource Manager service connection to sign in to the registry with.'),
          registry: reader.required(INPUT.azureContainerRegistry, 'Give the name or the login server of the Azure container registry to push to.'),
        }
      : {
          type: 'dockerRegistry',
          connectionId: reader.required(
            INPUT.dockerRegistryServiceConnection,
            "Choose a Docker registry service connection, or set 'connectionType' to 'azureRM'.",
          ),
        };

  const repository = reader.required(INPUT.repository, "Give the image's repository inside the registry, e.g. 'models/sentiment'.");
  const problem = repositoryProblem(repository);
  if (problem) throw invalidInput(INPUT.repository, `a repository path by Docker's rules (${problem})`, repository);

  const dockerfile = path.resolve(workingDirectory, readPath(reader, INPUT.dockerfile, "the path of one Dockerfile, e.g. 'serving/Dockerfile'") ?? 'Dockerfile');
  const buildContext = path.resolve(workingDirectory, readBuildContext(reader, workingDirectory) ?? path.dirname(dockerfile));

  const cacheFromLatest = reader.boolean(INPUT.cacheFromLatest, false);
  const noCache = reader.boolean(INPUT.noCache, false);
  if (cacheFromLatest && noCache) {
    throw new InputError(INPUT.cacheFromLatest, "Inputs 'cacheFromLatest' and 'noCache' are both true; a build cannot reuse a cache and ignore it. Set one of them to false.");
  }

  const target = reader.string(INPUT.target);
  if (target !== undefined && !STAGE_NAME.test(target)) throw invalidInput(INPUT.target, 'the name of a build stage (FROM ... AS <name>)', target);
  const platform = reader.string(INPUT.platform);
  if (platform !== undefined && !PLATFORM.test(platform)) throw invalidInput(INPUT.platform, "one platform such as 'linux/amd64' or 'linux/arm64/v8'", platform);

  const model = readModel(reader);
  return {
    connection,
    repository,
    dockerfile,
    buildContext,
    tags: readTags(reader),
    buildArguments: reader.keyValues(INPUT.buildArguments, BUILD_ARG_KEY),
    ...(target !== undefined ? { target } : {}),
    ...(platform !== undefined ? { platform } : {}),
    labels: reader.keyValues(INPUT.labels, LABEL_KEY),
    addPipelineMetadata: reader.boolean(INPUT.addPipelineMetadata, true),
    cacheFromLatest,
    noCache,
    push: reader.boolean(INPUT.push, true),
    model,
  };
}

/**
 * The build context, or undefined for the default (the Dockerfile's folder). The agent roots every
 * filePath input (an empty one becomes the repository root), so the default is the sentinel `**`, as in
 * Docker@2: it arrives as `<repository root>/**` on an agent and as `**` elsewhere.
 */
function readBuildContext(reader: InputReader<InputName>, workingDirectory: string): string | undefined {
  const value = reader.string(INPUT.buildContext);
  if (value === undefined || value === BUILD_CONTEXT_DEFAULT) return undefined;
  if (path.basename(value) === BUILD_CONTEXT_DEFAULT && path.resolve(workingDirectory, path.dirname(value)) === path.resolve(workingDirectory)) return undefined;
  return readPath(reader, INPUT.buildContext, "the path of one folder, e.g. 'serving', or '**' for the Dockerfile's folder");
}

/** A path relative to the repository root; wildcards are refused (Docker@2 searched with them; this task names one path). */
function readPath(reader: InputReader<InputName>, input: InputName, what: string): string | undefined {
  const value = reader.string(input);
  if (value !== undefined && /[*?]/.test(value)) {
    throw invalidInput(input, `${what}, relative to the repository root (no wildcards: this task does not search for it)`, value);
  }
  return value;
}

function readTags(reader: InputReader<InputName>): string[] {
  const tags = [...new Set(reader.lines(INPUT.tags).flatMap((line) => line.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '')))];
  if (tags.length === 0) throw missingInput(INPUT.tags, "Give at least one tag, e.g. '$(Build.BuildId)'.");
  if (tags.length > MAX_TAGS) throw invalidInput(INPUT.tags, `at most ${MAX_TAGS} tags`, `${tags.length} tags`);
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem) throw invalidInput(INPUT.tags, `one tag per line by Docker's rules (${problem})`, tag);
  }
  return tags;
}

function readModel(reader: InputReader<InputName>): BuildInputs['model'] {
  const name = reader.string(INPUT.modelName);
  const version = reader.string(INPUT.modelVersion);
  const files = reader.lines(INPUT.modelFiles);
  if (name === undefined && (version !== undefined || files.length > 0)) {
    throw missingInput(INPUT.modelName, "It is needed when 'modelVersion' or 'modelFiles' is set: the labels describe a named model.");
  }
  for (const file of files) {
    const normalised = file.replace(/\\/g, '/');
    if (path.posix.isAbsolute(normalised) || /^[A-Za-z]:/.test(normalised) || normalised.split('/').includes('..')) {
      throw invalidInput(INPUT.modelFiles, "paths or globs inside the build context (relative, without '..')", file);
    }
  }
  for (const [input, value] of [
    [INPUT.modelName, name],
    [INPUT.modelVersion, version],
  ] as const) {
    if (value === undefined) continue;
    if (value.length > 200 || /[\r\n]/.test(value)) throw invalidInput(input, 'one line of at most 200 characters', value);
    const macro = /\$\([^)]*\)/.exec(value)?.[0];
    if (macro !== undefined) throw invalidInput(input, `a value, not a pipeline variable that is not defined ('${macro}' was not replaced)`, value);
  }
  return { ...(name !== undefined ? { name } : {}), ...(version !== undefined ? { version } : {}), files };
}
