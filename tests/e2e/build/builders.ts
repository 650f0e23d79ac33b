/**
 * The two image builders the build tests and the benchmark run under: Docker's legacy builder and
 * BuildKit (what Microsoft-hosted agents use). BuildKit needs a docker CLI that can drive it: Debian's
 * docker.io 20.10 CLI drives the engine's embedded BuildKit with DOCKER_BUILDKIT=1; a CLI of 23 or
 * later needs the buildx plugin. The CLI found is put first on the task's PATH through a folder of
 * its own holding a `docker` link to it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type BuilderName = 'legacy' | 'BuildKit';
export const BUILDERS: readonly BuilderName[] = ['legacy', 'BuildKit'];

export interface Builder {
  name: BuilderName;
  /** The docker CLI used (a path). */
  dockerPath: string;
  /** Environment for the task and for raw docker commands: DOCKER_BUILDKIT and a PATH that finds `dockerPath` as `docker`. */
  env: Record<string, string>;
  remove(): void;
}

function clientMajor(dockerPath: string): number | undefined {
  try {
    const version = execFileSync(dockerPath, ['version', '--format', '{{.Client.Version}}'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const major = Number(/^(\d+)\./.exec(version)?.[1]);
    return Number.isFinite(major) ? major : undefined;
  } catch (error) {
    // The server part may fail while the client part printed; the version is on stdout either way.
    const stdout = (error as { stdout?: string }).stdout ?? '';
    const major = Number(/^(\d+)\./.exec(stdout.trim())?.[1]);
    return Number.isFinite(major) ? major : undefined;
  }
}

function hasBuildx(dockerPath: string): boolean {
  try {
    execFileSync(dockerPath, ['buildx', 'version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Every `docker` on PATH, then Debian's. */
function dockerCandidates(): string[] {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((folder) => path.join(folder, 'docker'));
  const existing = [...onPath, '/usr/bin/docker'].filter((candidate) => fs.existsSync(candidate)).map((candidate) => fs.realpathSync(candidate));
  return [...new Set(existing)];
}

/** A docker CLI that builds with BuildKit when DOCKER_BUILDKIT=1, or undefined. */
export function buildKitCli(): string | undefined {
  return dockerCandidates().find((candidate) => {
    const major = clientMajor(candidate);
    return major !== undefined && (major < 23 || hasBuildx(candidate));
  });
}

/** The builder's environment; throws (the test fails, never skips) when no docker CLI can drive BuildKit. */
export function openBuilder(name: BuilderName): Builder {
  const dockerPath = name === 'BuildKit' ? buildKitCli() : dockerCandidates()[0];
  if (dockerPath === undefined) {
    throw new Error(
      name === 'BuildKit'
        ? 'No docker CLI here can build with BuildKit: install Debian\'s docker.io (its 20.10 CLI drives the engine\'s BuildKit) or the buildx plugin.'
        : 'No docker CLI on PATH.',
    );
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `docker-${name.toLowerCase()}-`));
  fs.symlinkSync(dockerPath, path.join(folder, 'docker'));
  return {
    name,
    dockerPath,
    env: { DOCKER_BUILDKIT: name === 'BuildKit' ? '1' : '0', PATH: `${folder}${path.delimiter}${process.env.PATH ?? ''}` },
    remove: () => fs.rmSync(folder, { recursive: true, force: true }),
  };
}

/** Mocha hooks: the builder's environment for a suite (before), removed after it. */
export function useBuilder(name: BuilderName): { readonly env: Record<string, string>; readonly name: BuilderName } {
  let builder: Builder | undefined;
  before(() => {
    builder = openBuilder(name);
  });
  after(() => builder?.remove());
  return {
    name,
    get env() {
      if (builder === undefined) throw new Error('The builder exists only inside a test or hook.');
      return builder.env;
    },
  };
}

/**
 * Whether docker's build output shows the step `instruction` taken from the build cache: legacy
 * `Step n/m : <instruction>` then ` ---> Using cache`; BuildKit `#k [i/n] <instruction>` then `#k CACHED`.
 */
export function stepFromCache(log: string, instruction: string): boolean {
  const lines = log.split('\n').map((line) => line.trimEnd());
  const legacyAt = lines.findIndex((line) => line.endsWith(`: ${instruction}`) && /Step \d+\/\d+ : /.test(line));
  if (legacyAt >= 0) {
    const next = lines.slice(legacyAt + 1).findIndex((line) => /Step \d+\/\d+ : /.test(line));
    const step = lines.slice(legacyAt + 1, next < 0 ? undefined : legacyAt + 1 + next);
    return step.some((line) => line.endsWith(' ---> Using cache'));
  }
  const ids = lines.map((line) => /#(\d+) \[(?:[^\]]* )?\d+\/\d+\] (.*)$/.exec(line)).filter((m) => m?.[2] === instruction).map((m) => m?.[1]);
  if (ids.length === 0) throw new Error(`The build log has no step '${instruction}'.`);
  return lines.some((line) => ids.some((id) => line.endsWith(`#${id} CACHED`)));
}
