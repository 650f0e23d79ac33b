/**
 * BuildAndPushAiImage@1 with `cacheFromLatest`, under the legacy builder and under BuildKit (what
 * Microsoft-hosted agents use): the bundled task, run as the agent runs it, against the local Azure.
 * The first run finds no `latest` and says so; a later run on a clean agent, a Docker engine of the
 * test's own (its own data root: no images, an empty BuildKit build cache, nothing shared with the
 * machine's engine), pulls `latest` from the registry and builds from it as cache: the model step
 * CACHED, only the code layer pushed. Under BuildKit that works only because the first run wrote inline
 * cache metadata into `latest`.
 */
import * as assert from 'node:assert/strict';
import type { TaskRun } from '../../../scripts/agent/run-task';
import { bytesPushed, docker, pullAsAdmin, readRegistry, runAzureRmBuild, useBuildEnvironment } from './build-fixture';
import { BUILDERS, stepFromCache, useBuilder } from './builders';
import { type PrivateDockerEngine, startPrivateDockerEngine } from '../../support/private-docker-engine';

const MODEL_BYTES = 256 * 1024;

describe('BuildAndPushAiImage end to end: cacheFromLatest', function () {
  this.timeout(10 * 60_000);
  const build = useBuildEnvironment({ name: 'cache', modelBytes: MODEL_BYTES, baseBytes: 64 * 1024 });

  for (const builderName of BUILDERS) {
    describe(`under the ${builderName} builder`, () => {
      const builder = useBuilder(builderName);

      let cleanAgent: PrivateDockerEngine | undefined;
      after(async function () {
        this.timeout(60_000);
        await cleanAgent?.stop();
      });

      /** `engine`: DOCKER_HOST of another engine than the machine's. */
      async function runTask(repository: string, tags: string, engine: Record<string, string> = {}): Promise<TaskRun> {
        const { azure, workspace, baseImage, agentTemp } = build;
        // The base image stands for a public one (on a hosted agent, Docker Hub's): pulled by the engine.
        // The BuildKit of Engine 20.10 (0.8) reaches registries on loopback addresses over plain http
        // only, and the local registry speaks https: it finds the base among the local images instead.
        if (builderName === 'BuildKit') await pullAsAdmin(azure, baseImage, engine);
        return runAzureRmBuild(azure, baseImage, azure.connections.spnKey, {
          inputs: { repository, tags, cacheFromLatest: 'true', modelName: 'iris' },
          workingDirectory: workspace.root,
          env: { AGENT_TEMPDIRECTORY: agentTemp, ...builder.env, ...engine },
        });
      }

      it('goes on without a cache when latest does not exist, then reuses the pushed latest as cache on a clean agent', async () => {
        const { azure, workspace } = build;
        const repository = `e2e/iris-cache-${builderName.toLowerCase()}`;
        const latest = `${azure.registry.loginServer}/${repository}:latest`;
        workspace.changeCode(`first ${builderName} ${Date.now()}`);

        azure.clearRequests();
        const first = await runTask(repository, '1\nlatest');
        assert.equal(first.result, 'Succeeded', `${first.message ?? ''}\n${first.log.slice(-3000)}`);
        assert.match(first.log, new RegExp(`builder: ${builderName} \\(DOCKER_BUILDKIT=${builderName === 'BuildKit' ? 1 : 0}\\)`));
        assert.ok(first.log.includes(`${latest} does not exist yet; building without a cache image.`), first.log.slice(-3000));
        const firstBytes = bytesPushed(azure.requests());
        assert.ok(firstBytes > MODEL_BYTES, `the first push sent the model layer (${firstBytes} bytes)`);
        const pushed = await readRegistry(azure, repository, 'latest');
        if (builderName === 'BuildKit') assert.ok(pushed.config['moby.buildkit.cache.v0'], 'latest carries inline cache metadata (BUILDKIT_INLINE_CACHE=1)');
        assert.equal(pushed.labels['ai.model.name'], 'iris', 'the labels are on the image');

        // A clean agent: an engine of its own with no image and an empty build cache (the machine's shared
        // engine, with the first build's layers and BuildKit cache, is not used again; nothing of it is pruned).
        cleanAgent = await startPrivateDockerEngine();
        const onCleanAgent = { ...process.env, ...cleanAgent.env };
        assert.equal((await docker(['image', 'ls', '--all', '--quiet'], { env: onCleanAgent })).trim(), '', 'the clean agent has no image');
        assert.match(await docker(['system', 'df'], { env: onCleanAgent }), /^Build Cache\s+0\s/m, 'the clean agent has no build cache');
        workspace.changeCode(`second ${builderName} ${Date.now()}`);

        azure.clearRequests();
        const second = await runTask(repository, '2\nlatest', cleanAgent.env);
        assert.equal(second.result, 'Succeeded', `${second.message ?? ''}\n${second.log.slice(-3000)}`);
        assert.ok(second.log.includes(`Pulling ${latest} to reuse its layers as build cache.`), second.log.slice(-3000));
        assert.ok(second.log.includes(`Status: Downloaded newer image for ${latest}`), 'docker pulled latest from the registry');
        if (builderName === 'BuildKit') assert.ok(second.log.includes(`importing cache manifest from ${latest}`), 'BuildKit imported the cache of latest');
        assert.ok(stepFromCache(second.log, 'COPY model/ /app/model/'), 'the model layer came from the cache');
        assert.ok(!stepFromCache(second.log, 'COPY app/ /app/'), 'the changed code was rebuilt');
        assert.match(second.log, new RegExp(`Built with ${builderName}: 1 of 2 steps from the build cache\\.`));
        if (builderName === 'legacy') assert.equal(second.log.match(/^Step \d+\/\d+ : LABEL /gm)?.length, 1, 'the labels cost one step');
        assert.ok(second.log.includes(`Docker engine `) && (await docker(['image', 'ls', '--quiet', `${azure.registry.loginServer}/${repository}:2`], { env: onCleanAgent })).trim() !== '', 'the second build ran on the clean agent');

        const secondBytes = bytesPushed(azure.requests());
        assert.ok(secondBytes < 64 * 1024, `the second push sent only the code layer, config and manifest (${secondBytes} bytes; first: ${firstBytes})`);
        const [one, two] = [await readRegistry(azure, repository, '1'), await readRegistry(azure, repository, '2')];
        assert.notEqual(one.digest, two.digest);
        assert.equal((await readRegistry(azure, repository, 'latest')).digest, two.digest, 'latest moved to the second build');
      });
    });
  }
});
