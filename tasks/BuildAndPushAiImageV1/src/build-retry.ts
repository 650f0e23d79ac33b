/** Running `docker build` again when it failed only because the engine's build cache changed under it. */
import type { BuildOutputFacts } from '../../common/docker/build-output';
import { BuildCacheRaceError, type DockerCli } from '../../common/docker/docker-cli';
import type { TaskLog } from '../../common/task-runtime';

/**
 * How many times a build is run in all when each attempt loses the legacy builder's cache race (an image
 * removed by another build or clean-up on the same engine while the builder reads its cache candidates).
 * The race lasts a moment, so the next attempt runs at once; any other failure is not retried.
 */
export const BUILD_ATTEMPTS = 3;

export async function buildWithRetries(docker: DockerCli, args: readonly string[], env: Readonly<Record<string, string>>, log: TaskLog): Promise<BuildOutputFacts> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await docker.build(args, env);
    } catch (error) {
      if (!(error instanceof BuildCacheRaceError) || attempt >= BUILD_ATTEMPTS) throw error;
      log.warning(
        `docker build failed because the Docker engine removed an image (another build or clean-up on the same engine) while it searched its build cache; ` +
          `building again (attempt ${attempt + 1} of ${BUILD_ATTEMPTS}).`,
      );
    }
  }
}
