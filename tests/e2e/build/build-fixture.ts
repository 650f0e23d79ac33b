/**
 * What the BuildAndPushAiImage end-to-end tests and the push-bytes benchmark share: a local Azure with
 * a build context copied from tests/fixtures/build-context with generated model weights and a
 * FROM-scratch base image built locally and pushed to the local registry (as mocha hooks for a suite:
 * useBuildEnvironment), a runner for the bundled task, and a reader for what the registry holds.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type LocalAzure, type RequestLogEntry, startLocalAzure } from '../../../emulator/index';
import type { ServiceConnection } from '../../../emulator/service-connection';
import { ensureBuilt } from '../../../scripts/agent/build-once';
import { type RunTaskOptions, type TaskRun, runBundledTask } from '../../../scripts/agent/run-task';
import { removeRegistryImages as removeRegistryImagesOf } from '../../../scripts/pipeline/registry-images';
import { readThrough } from '../../support/read-through';
import { docker } from '../../support/docker-cli';

export const FIXTURE = path.resolve(__dirname, '../../fixtures/build-context');

export interface BuildWorkspace {
  /** The step's working directory: the build context is its `context` folder. */
  root: string;
  context: string;
  /** Makes a code-only change (the last layer). */
  changeCode(marker: string): void;
  remove(): void;
}

/** A fresh copy of the fixture with `modelBytes` of incompressible model weights. */
export function createWorkspace(modelBytes: number): BuildWorkspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-build-ws-'));
  const context = path.join(root, 'context');
  fs.cpSync(FIXTURE, context, { recursive: true });
  fs.mkdirSync(path.join(context, 'model'), { recursive: true });
  fs.writeFileSync(path.join(context, 'model', 'weights.bin'), randomBytes(modelBytes));
  fs.writeFileSync(path.join(context, 'model', 'labels.json'), '["setosa","versicolor","virginica"]\n');
  return {
    root,
    context,
    changeCode: (marker) => fs.appendFileSync(path.join(context, 'app', 'server.js'), `// ${marker}\n`),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export { docker };

/** `docker pull` of an image of the local registry, signed in as its admin user through a temporary Docker config; `engine` (DOCKER_HOST) picks another engine. */
export async function pullAsAdmin(azure: LocalAzure, reference: string, engine: Record<string, string> = {}): Promise<void> {
  const config = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-build-pull-'));
  const env = { ...process.env, ...engine };
  try {
    const { loginServer, adminUsername, adminPassword } = azure.registry;
    await docker(['--config', config, 'login', '--username', adminUsername, '--password-stdin', loginServer], { input: adminPassword, env });
    await docker(['--config', config, 'pull', '--quiet', reference], { env });
  } finally {
    fs.rmSync(config, { recursive: true, force: true });
  }
}

/** Builds a FROM-scratch base image (`baseBytes` of random data) and pushes it; returns its reference. */
export async function pushBaseImage(azure: LocalAzure, prefix: string, baseBytes: number): Promise<string> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-build-base-'));
  try {
    fs.writeFileSync(path.join(folder, 'base.bin'), randomBytes(baseBytes));
    fs.writeFileSync(path.join(folder, 'Dockerfile'), 'FROM scratch\nCOPY base.bin /base/base.bin\n');
    const local = `${prefix}-base:1`;
    // --no-cache: the legacy builder's cache lookup for a FROM scratch step reads every parentless image on
    // the engine and fails ("unable to find image") when another run removes one meanwhile (moby GetCachedImage).
    await docker(['build', '--quiet', '--no-cache', '--tag', local, folder]);
    await azure.pushImage(local, 'e2e/base', '1');
    await docker(['image', 'rm', '--force', local]).catch(() => '');
    return `${azure.registry.loginServer}/e2e/base:1`;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

export interface BuildEnvironmentOptions {
  /** Names the suite's local images and temp folders, e.g. 'cache'. */
  name: string;
  /** Size of the generated model weights in the workspace. */
  modelBytes: number;
  /** Size of the base image's single layer. */
  baseBytes: number;
}

export interface BuildEnvironment {
  azure: LocalAzure;
  workspace: BuildWorkspace;
  /** The base image in the local registry, `<loginServer>/e2e/base:1`. */
  baseImage: string;
  /** Removes the workspace and the registry's local images, and stops the local Azure. */
  close: () => Promise<void>;
}

/** Checks the Docker engine, builds the tasks if needed, and starts a local Azure with a workspace and a pushed base image. */
export async function openBuildEnvironment(options: BuildEnvironmentOptions): Promise<BuildEnvironment> {
  await docker(['info', '--format', '{{.ServerVersion}}']).catch((error: unknown) => {
    throw new Error(`These tests need a Docker engine (docker info failed: ${String(error)}).`);
  });
  await ensureBuilt();
  const azure = await startLocalAzure();
  let workspace: BuildWorkspace | undefined;
  const close = async (): Promise<void> => {
    workspace?.remove();
    await removeRegistryImages(azure.registry.loginServer);
    await azure.stop();
  };
  try {
    workspace = createWorkspace(options.modelBytes);
    const baseImage = await pushBaseImage(azure, `e2e${options.name}-${azure.instanceId}`, options.baseBytes);
    return { azure, workspace, baseImage, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A suite's build environment, and a fresh agent temp folder for each test. */
export interface BuildSuite {
  readonly azure: LocalAzure;
  readonly workspace: BuildWorkspace;
  readonly baseImage: string;
  /** AGENT_TEMPDIRECTORY of the current test (removed after it). */
  readonly agentTemp: string;
}

/**
 * Registers the suite's hooks: before, openBuildEnvironment; before each test, a fresh agent temp
 * folder and an empty request log; after each, the folder removed; after, everything removed.
 */
export function useBuildEnvironment(options: BuildEnvironmentOptions): BuildSuite {
  let environment: BuildEnvironment | undefined;
  let agentTemp: string | undefined;
  before(async function () {
    this.timeout(5 * 60_000);
    environment = await openBuildEnvironment(options);
  });
  after(async function () {
    this.timeout(2 * 60_000);
    await environment?.close();
  });
  beforeEach(() => {
    agentTemp = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${options.name}-agent-temp-`));
    environment?.azure.clearRequests();
  });
  afterEach(() => {
    if (agentTemp) fs.rmSync(agentTemp, { recursive: true, force: true });
    agentTemp = undefined;
  });
  const current = (): BuildSuite => {
    if (!environment) throw new Error('The build environment is not open: use it inside a test or hook.');
    return {
      ...environment,
      get agentTemp() {
        if (agentTemp === undefined) throw new Error('The agent temp folder exists only while a test runs.');
        return agentTemp;
      },
    };
  };
  return readThrough(current, ['azure', 'workspace', 'baseImage', 'agentTemp']);
}

/**
 * Runs the bundled task as the agent runs it with an Azure Resource Manager connection to the local
 * registry, the Dockerfile context/Dockerfile and the build argument BASE_IMAGE=`baseImage`;
 * `options.inputs` (repository, tags, ...) and `options.env` come on top.
 */
export function runAzureRmBuild(azure: LocalAzure, baseImage: string, connection: ServiceConnection, options: Omit<RunTaskOptions, 'task' | 'connections'>): Promise<TaskRun> {
  return runBundledTask({
    timeoutInMs: 5 * 60_000,
    ...options,
    task: 'BuildAndPushAiImageV1',
    inputs: {
      connectionType: 'azureRM',
      azureSubscription: connection.id,
      azureContainerRegistry: azure.registry.name,
      dockerfile: 'context/Dockerfile',
      buildArguments: `BASE_IMAGE=${baseImage}`,
      ...options.inputs,
    },
    connections: [connection],
    env: { ...azure.agentEnvironment(), ...options.env },
  });
}

/** Removes every local image of the local registry (its login server is unique per instance) and the images built from them. */
export async function removeRegistryImages(loginServer: string): Promise<void> {
  await removeRegistryImagesOf([loginServer]);
}

/** Bytes the registry received for blobs and manifests (the measure of what a push sent). */
export function bytesPushed(entries: readonly RequestLogEntry[]): number {
  return entries.filter((e) => e.route === 'acr.v2.blobUploads' || e.route === 'acr.v2.manifests.put').reduce((sum, e) => sum + e.bytesReceived, 0);
}

/** The image config as stored in the registry, with the keys the tests look at. */
export interface ImageConfig {
  config?: { Labels?: Record<string, string> | null };
  /** BuildKit's inline cache metadata (BUILDKIT_INLINE_CACHE=1). */
  'moby.buildkit.cache.v0'?: string;
}

/** Reads manifests and config blobs from the local registry with the admin user (independently of the task). */
export async function readRegistry(azure: LocalAzure, repository: string, tagOrDigest: string): Promise<{ digest: string; labels: Record<string, string>; config: ImageConfig }> {
  const { loginServer, adminUsername, adminPassword } = azure.registry;
  const basic = `Basic ${Buffer.from(`${adminUsername}:${adminPassword}`).toString('base64')}`;
  const tokenUrl = `https://${loginServer}/oauth2/token?service=${encodeURIComponent(loginServer)}&scope=${encodeURIComponent(`repository:${repository}:pull`)}`;
  const tokenResponse = await fetch(tokenUrl, { headers: { authorization: basic } });
  if (!tokenResponse.ok) throw new Error(`registry token: HTTP ${tokenResponse.status}`);
  const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${accessToken}` };
  const manifestResponse = await fetch(`https://${loginServer}/v2/${repository}/manifests/${tagOrDigest}`, {
    headers: { ...headers, accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
  });
  if (!manifestResponse.ok) throw new Error(`manifest ${repository}:${tagOrDigest}: HTTP ${manifestResponse.status}`);
  const digest = manifestResponse.headers.get('docker-content-digest') ?? '';
  const manifest = (await manifestResponse.json()) as { config: { digest: string } };
  const configResponse = await fetch(`https://${loginServer}/v2/${repository}/blobs/${manifest.config.digest}`, { headers });
  if (!configResponse.ok) throw new Error(`config blob: HTTP ${configResponse.status}`);
  const config = (await configResponse.json()) as ImageConfig;
  return { digest, labels: config.config?.Labels ?? {}, config };
}
