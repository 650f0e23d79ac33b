import type { Cancellation } from '../cancellation';
import { TaskError } from '../errors';
import type { TaskLog } from '../task-runtime';
import { type DockerRegistryFault, digestFromPushOutput, digestFromRepoDigests, isAccessDenied, isImageNotFound, lastLines, registryFaultOf } from './docker-output';
import { type BuildOutputFacts, buildFailureHint, isBuildCacheRace, readBuildOutput } from './build-output';
import { type DockerProcessResult, childEnvironment, runDockerProcess } from './docker-process';

/** The docker CLI, as the tasks use it. Every method takes argument arrays; no secret is ever on a command line. */
export interface DockerCli {
  /** Throws a TaskError that says what to do when no Docker engine is reachable. */
  checkEngine(): Promise<{ clientVersion: string; serverVersion: string }>;
  /** Whether `docker buildx version` works (the plugin a CLI of 23 or later needs for BuildKit). */
  hasBuildx(): Promise<boolean>;
  /**
   * `docker <buildArgs>` streamed into a log group; `env` adds variables (build argument values) to that
   * process only. Returns what the output says (builder, steps taken from the cache).
   */
  build(buildArgs: readonly string[], env: Readonly<Record<string, string>>): Promise<BuildOutputFacts>;
  /** Pulls into a log group; 'notFound' when the reference does not exist in the registry (yet), 'failed' (with docker's words) otherwise. */
  pull(reference: string): Promise<PullOutcome>;
  /** Pushes one tagged reference; returns the digest the registry reported, when the output had one. */
  push(reference: string): Promise<string | undefined>;
  /** The digest of the local image `reference` in `repository` (`host/path`), from `docker inspect`. */
  repoDigest(reference: string, repository: string): Promise<string | undefined>;
  /** `docker manifest inspect --verbose <reference>`: the raw JSON. */
  manifestInspect(reference: string): Promise<string>;
}

export type PullOutcome = { kind: 'pulled' } | { kind: 'notFound' } | { kind: 'failed'; reason: string };

export interface DockerCliOptions {
  log: TaskLog;
  /** The environment docker starts from (private variables are removed). */
  baseEnvironment: NodeJS.ProcessEnv;
  /** A temporary DOCKER_CONFIG with this task's registry sign-in, when there is one. */
  configDirectory?: string;
  dockerPath?: string;
  buildTimeoutInMs?: number;
  pushTimeoutInMs?: number;
  commandTimeoutInMs?: number;
  /** Stops the running docker command when the task is cancelled. */
  cancellation?: Cancellation;
}

export function createDockerCli(options: DockerCliOptions): DockerCli {
  const dockerPath = options.dockerPath ?? 'docker';
  const log = options.log;
  const env = childEnvironment(options.baseEnvironment);
  if (options.configDirectory) env.DOCKER_CONFIG = options.configDirectory;
  const commandTimeoutInMs = options.commandTimeoutInMs ?? 2 * 60_000;
  const run = (args: readonly string[], more: { timeoutInMs?: number; stream?: boolean; extraEnv?: Readonly<Record<string, string>> } = {}) => {
    log.debug(`Running: docker ${args.join(' ')}`);
    return runDockerProcess(dockerPath, args, {
      env: { ...env, ...more.extraEnv },
      timeoutInMs: more.timeoutInMs ?? commandTimeoutInMs,
      ...(more.stream ? { log } : {}),
      ...(options.cancellation ? { cancellation: options.cancellation } : {}),
    });
  };

  return {
    async checkEngine() {
      const result = await run(['version', '--format', '{{json .}}'], { timeoutInMs: 30_000 });
      const versions = parseVersions(result.stdout);
      if (result.exitCode !== 0 || versions.serverVersion === '') {
        const why = lastLines(result.stderr, 3).join(' ') || 'docker version reported no server';
        throw new TaskError(
          `No Docker engine is reachable on this agent: ${why}. ` +
            'Install Docker on the agent and make sure its service runs and the agent user may use it (member of the docker group), ' +
            'or use an agent with Docker (for example the Microsoft-hosted ubuntu-latest image).',
        );
      }
      return versions;
    },

    async hasBuildx() {
      const result = await run(['buildx', 'version'], { timeoutInMs: 30_000 });
      return result.exitCode === 0;
    },

    async build(buildArgs, extraEnv) {
      return log.group('docker build', async () => {
        const result = await run(buildArgs, { stream: true, extraEnv, timeoutInMs: options.buildTimeoutInMs ?? 60 * 60_000 });
        // BuildKit prints its progress on stderr, the legacy builder on stdout.
        const output = `${result.stdout}\n${result.stderr}`;
        const facts = readBuildOutput(output);
        if (result.exitCode !== 0) throw buildError(result.exitCode, facts, output);
        return facts;
      });
    },

    async pull(reference) {
      return log.group(`docker pull ${reference}`, async (): Promise<PullOutcome> => {
        const result = await run(['pull', reference], { stream: true, timeoutInMs: options.pushTimeoutInMs ?? 30 * 60_000 });
        if (result.exitCode === 0) return { kind: 'pulled' };
        if (isImageNotFound(result.stderr)) return { kind: 'notFound' };
        return { kind: 'failed', reason: lastLines(result.stderr, 3).join(' ') || `exit code ${result.exitCode}` };
      });
    },

    async push(reference) {
      return log.group(`docker push ${reference}`, async () => {
        const result = await run(['push', reference], { stream: true, timeoutInMs: options.pushTimeoutInMs ?? 30 * 60_000 });
        if (result.exitCode !== 0) throw pushError(reference, result);
        return digestFromPushOutput(result.stdout);
      });
    },

    async repoDigest(reference, repository) {
      const result = await run(['image', 'inspect', '--format', '{{json .RepoDigests}}', reference]);
      return result.exitCode === 0 ? digestFromRepoDigests(result.stdout, repository) : undefined;
    },

    async manifestInspect(reference) {
      const result = await run(['manifest', 'inspect', '--verbose', reference]);
      if (result.exitCode !== 0) {
        throw new TaskError(`Could not read the manifest of ${reference} from the registry: ${lastLines(result.stderr, 3).join(' ')}`);
      }
      return result.stdout;
    },
  };
}

/** A push that failed because of the registry or the network (status or transport code for service-failure.ts): worth retrying. */
export class PushFaultError extends Error {
  override readonly name = 'PushFaultError';
  constructor(
    message: string,
    readonly reference: string,
    readonly fault: DockerRegistryFault,
    /** docker's own last line, e.g. `Put "https://.../manifests/v1": EOF`. */
    readonly dockerSaid: string,
  ) {
    super(message);
  }
  get statusCode(): number | undefined {
    return this.fault.statusCode;
  }
  get code(): string | undefined {
    return this.fault.code;
  }
}

/** A build that failed only because the engine's build cache changed under it (see isBuildCacheRace): the same build may be run again. */
export class BuildCacheRaceError extends TaskError {
  override readonly name = 'BuildCacheRaceError';
}

function buildError(exitCode: number, facts: BuildOutputFacts, output: string): TaskError {
  const where = facts.failedStep !== undefined ? ` at '${facts.failedStep}'` : '';
  const why = facts.failure !== undefined ? `: ${facts.failure}` : '';
  const tail = lastLines(output, 15);
  return new (isBuildCacheRace(facts) ? BuildCacheRaceError : TaskError)(
    `docker build failed${where} (exit code ${exitCode})${why}. Its last lines:\n${tail.map((l) => `  ${l}`).join('\n')}\n` +
      `${buildFailureHint(facts) ?? 'Fix the Dockerfile or the build context.'} The full output is in the docker build group of this log.`,
  );
}

/** Raised when the registry refuses a push; the caller adds who signed in. */
export class PushRefusedError extends TaskError {
  override readonly name = 'PushRefusedError';
}

function pushError(reference: string, result: DockerProcessResult): Error {
  const why = lastLines(result.stderr, 3).join(' ');
  const fault = registryFaultOf(result.stderr);
  if (isAccessDenied(result.stderr) && (fault?.statusCode === undefined || fault.statusCode === 401 || fault.statusCode === 403)) {
    return new PushRefusedError(`The registry refused to let this task push ${reference}: ${why}`);
  }
  if (fault !== undefined) return new PushFaultError(`docker push ${reference} failed: ${why}`, reference, fault, lastLines(result.stderr, 1).join(''));
  return new TaskError(`docker push ${reference} failed (exit code ${result.exitCode}): ${why}`);
}

function parseVersions(stdout: string): { clientVersion: string; serverVersion: string } {
  try {
    const parsed = JSON.parse(stdout.trim()) as { Client?: { Version?: string }; Server?: { Version?: string } | null };
    return { clientVersion: parsed.Client?.Version ?? '', serverVersion: parsed.Server?.Version ?? '' };
  } catch {
    return { clientVersion: '', serverVersion: '' };
  }
}
