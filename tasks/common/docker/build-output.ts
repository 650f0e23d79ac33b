/**
 * Reading what `docker build` printed, for both builders (pure: the unit tests feed it real output):
 * - legacy: `Step 2/4 : COPY a /a`, ` ---> Using cache`, `The command '...' returned a non-zero code: 3`,
 *   `COPY failed: ...`, `Error response from daemon: ...`;
 * - BuildKit (plain progress, as on an agent): `#5 [2/3] COPY a /a`, `#5 CACHED`, `#6 ERROR: ...`,
 *   ` > [3/3] RUN ...:`, `executor failed running [...]: exit code: 3`, `failed to solve ...`,
 *   `ERROR: failed to solve: process "..." did not complete successfully: exit code: 3` (buildx).
 */
import type { BuilderKind } from './builder';

export interface BuildOutputFacts {
  /** The builder that printed this, when the output shows it. */
  builder?: BuilderKind;
  /** Steps that make a layer (RUN, COPY, ADD): both builders show those; the legacy builder shows every instruction. */
  steps: number;
  /** Of those, the ones taken from the build cache. */
  cachedSteps: number;
  /** The instruction that failed, e.g. 'RUN npm ci', when the output names it. */
  failedStep?: string;
  /** Docker's own words for why the build failed, when it failed. */
  failure?: string;
}

const LAYER_STEP = /^(RUN|COPY|ADD)\s/i;
const LEGACY_STEP = /^Step \d+\/\d+ : (.*)$/;
const BUILDKIT_STEP = /^#(\d+) \[(?:[^\]]* )?\d+\/\d+\] (.*)$/;
const BUILDKIT_CACHED = /^#(\d+) CACHED$/;
const BUILDKIT_FAILED_STEP = /^ > \[(?:[^\]]* )?\d+\/\d+\] (.*):$/;
const FAILURE = [
  /^ERROR: (failed to (?:solve|build).*)$/,
  /^(executor failed running .*)$/,
  /^(failed to (?:solve|compute cache key|create LLB definition).*)$/,
  /^(The command '.*' returned a non-zero code: \d+)$/,
  /^((?:COPY|ADD) failed: .*)$/,
  /^Error response from daemon: (.*)$/,
  /^(ERROR: BuildKit is enabled but the buildx component is missing or broken\.)$/,
  /^(unable to prepare context: .*)$/,
  // The legacy builder's cache lookup (moby daemon GetCachedImage): it lists the images that could hold
  // the step (every parentless one for FROM scratch, else the parent's children), then reads each; one
  // removed in between by another build or clean-up on the same engine fails the build with these words.
  /^(unable to find image "sha256:[0-9a-f]{64}")$/,
];

export function readBuildOutput(output: string): BuildOutputFacts {
  const lines = output.split(/\r?\n/).map((line) => line.trimEnd());
  let builder: BuilderKind | undefined;
  let steps = 0;
  let cachedSteps = 0;
  let legacyStepCounts = false;
  const buildkitSteps = new Set<string>();
  const buildkitCached = new Set<string>();
  let failedStep: string | undefined;
  let lastLegacyStep: string | undefined;
  let failure: string | undefined;
  for (const line of lines) {
    const legacy = LEGACY_STEP.exec(line);
    if (legacy) {
      builder = 'legacy';
      lastLegacyStep = legacy[1];
      legacyStepCounts = LAYER_STEP.test(legacy[1] ?? '');
      if (legacyStepCounts) steps += 1;
      continue;
    }
    if (line === ' ---> Using cache' && legacyStepCounts) cachedSteps += 1;
    const step = BUILDKIT_STEP.exec(line);
    if (step) {
      builder = 'BuildKit';
      if (LAYER_STEP.test(step[2] ?? '')) buildkitSteps.add(step[1] ?? '');
      continue;
    }
    const cached = BUILDKIT_CACHED.exec(line);
    if (cached) buildkitCached.add(cached[1] ?? '');
    const failed = BUILDKIT_FAILED_STEP.exec(line);
    if (failed) failedStep = failed[1];
    for (const pattern of FAILURE) {
      const match = pattern.exec(line);
      if (match?.[1] !== undefined) {
        failure = match[1];
        if (builder === 'legacy' && failedStep === undefined) failedStep = lastLegacyStep;
        break;
      }
    }
  }
  if (builder === 'BuildKit') {
    steps = buildkitSteps.size;
    cachedSteps = [...buildkitCached].filter((id) => buildkitSteps.has(id)).length;
  }
  return { ...(builder ? { builder } : {}), steps, cachedSteps, ...(failedStep !== undefined ? { failedStep } : {}), ...(failure !== undefined ? { failure } : {}) };
}

/** The legacy builder lost a cache candidate to a concurrent removal: nothing is wrong with the build, and the same build can succeed. */
export function isBuildCacheRace(facts: BuildOutputFacts): boolean {
  return /^unable to find image "sha256:/.test(facts.failure ?? '');
}

/** What to do about a failure the output explains, when there is something specific to say. */
export function buildFailureHint(facts: BuildOutputFacts): string | undefined {
  const failure = facts.failure ?? '';
  if (isBuildCacheRace(facts)) {
    return 'The Docker engine removed an image (another build or clean-up on the same engine) while the legacy builder searched its build cache: run again; BuildKit (docker buildx) does not have this race.';
  }
  if (/buildx component is missing/.test(failure)) {
    return 'DOCKER_BUILDKIT=1 asks for BuildKit, but this docker CLI has no buildx plugin: install it (docker-buildx), or set DOCKER_BUILDKIT=0.';
  }
  if (/not found in build context|"\/[^"]*" not found|excluded by \.dockerignore|failed to compute cache key/.test(failure)) {
    return "A file the Dockerfile copies is not in the build context: check the paths against 'buildContext' and the .dockerignore file.";
  }
  if (/parse error|unknown instruction/.test(failure)) return 'The Dockerfile has a syntax error: fix the line named above.';
  if (/failed to do request|failed to resolve|failed to authorize|pull access denied|manifest unknown|unauthorized|load metadata for/i.test(failure)) {
    return 'An image the Dockerfile starts FROM could not be read from its registry: check its name and tag, and that this agent can reach and sign in to that registry.';
  }
  if (/returned a non-zero code|exit code: \d+|did not complete successfully/.test(failure)) {
    return 'A command in the Dockerfile failed: its own output is above in the docker build group.';
  }
  return undefined;
}
