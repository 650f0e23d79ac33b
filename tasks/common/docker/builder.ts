/**
 * Which image builder `docker build` uses, decided the way the docker CLI decides (pure):
 * - DOCKER_BUILDKIT set: a boolean as Go reads one (1/t/true: BuildKit, 0/f/false: the legacy builder);
 * - otherwise a CLI of 23 or later builds with BuildKit through the buildx plugin, and falls back to the
 *   legacy builder when buildx is missing (what Microsoft-hosted agents have: BuildKit);
 * - an older CLI (Debian's 20.10) uses the legacy builder unless asked for BuildKit.
 */
import { TaskError } from '../errors';

export type BuilderKind = 'BuildKit' | 'legacy';

export interface BuilderFacts {
  /** The DOCKER_BUILDKIT variable the docker process gets, if any. */
  dockerBuildkit: string | undefined;
  /** `docker version`'s client version, e.g. '28.2.2' or '20.10.24+dfsg1'. */
  clientVersion: string;
  /** Whether `docker buildx version` works; asked only when it matters (see needsBuildxCheck). */
  buildx?: boolean;
}

export interface Builder {
  kind: BuilderKind;
  /** Why, for the log: 'DOCKER_BUILDKIT=1', 'docker 28.2.2 with buildx', ... */
  reason: string;
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function clientMajorVersion(clientVersion: string): number | undefined {
  const major = Number(/^v?(\d+)(?:\.|$)/.exec(clientVersion.trim())?.[1]);
  return Number.isFinite(major) ? major : undefined;
}

/** Whether detectBuilder needs to know about buildx: only a CLI of 23 or later that may build with BuildKit. */
export function needsBuildxCheck(facts: Omit<BuilderFacts, 'buildx'>): boolean {
  const major = clientMajorVersion(facts.clientVersion);
  const value = facts.dockerBuildkit?.trim() ?? '';
  return major !== undefined && major >= 23 && !FALSE.has(value);
}

export function detectBuilder(facts: BuilderFacts): Builder {
  const major = clientMajorVersion(facts.clientVersion);
  const value = facts.dockerBuildkit?.trim() ?? '';
  const modern = major !== undefined && major >= 23;
  if (value !== '') {
    if (FALSE.has(value)) return { kind: 'legacy', reason: `DOCKER_BUILDKIT=${value}` };
    if (!TRUE.has(value)) {
      throw new TaskError(`The variable DOCKER_BUILDKIT is '${value}'; docker accepts only a boolean (1 or 0, true or false). Fix or remove the variable.`);
    }
    if (modern && facts.buildx === false) {
      throw new TaskError(
        `DOCKER_BUILDKIT=${value} asks for BuildKit, but docker ${facts.clientVersion} on this agent has no buildx plugin, which it needs for BuildKit. ` +
          'Install the buildx plugin (Debian/Ubuntu: docker-buildx or docker-buildx-plugin), or set DOCKER_BUILDKIT=0 to build with the legacy builder.',
      );
    }
    return { kind: 'BuildKit', reason: `DOCKER_BUILDKIT=${value}` };
  }
  if (modern) {
    return facts.buildx === true
      ? { kind: 'BuildKit', reason: `docker ${facts.clientVersion} with buildx` }
      : { kind: 'legacy', reason: `docker ${facts.clientVersion} without buildx` };
  }
  return { kind: 'legacy', reason: `docker ${facts.clientVersion || '(unknown version)'}, DOCKER_BUILDKIT not set` };
}
