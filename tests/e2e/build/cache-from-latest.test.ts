/**
 * BuildAndPushAiImage@1 with `cacheFromLatest`, under the legacy builder and under BuildKit (what
 * Microsoft-hosted agents use): the bundled task, run as the agent runs it, against the local Azure.
 * The first run finds no `latest` and says so; a later run on an agent with none of the image's
 * layers (local images removed) pulls `latest` from the registry and builds from it as cache. Under
 * BuildKit that works only because the first run wrote inline cache metadata into `latest`.
 */
import * as assert from 'node:assert/strict';
import type { TaskRun } from '../../../scripts/agent/run-task';
import { bytesPushed, docker, pullAsAdmin, readRegistry, removeRegistryImages, runAzureRmBuild, useBuildEnvironment } from './build-fixture';
import { BUILDERS, stepFromCache, useBuilder } from './builders';

const MODEL_BYTES = 256 * 1024;

describe('BuildAndPushAiImage end to end: cacheFromLatest', function () {
  this.timeout(10 * 60_000);
  const build = useBuildEnvironment({ name: 'cache', modelBytes: MODEL_BYTES, baseBytes: 64 * 1024 });

  for (const builderName of BUILDERS) {
    describe(`under the ${builderName} builder`, () => {
      const builder = useBuilder(builderName);

      async function runTask(repository: string, tags: string): Promise<TaskRun> {
        const { azure, workspace, baseImage, agentTemp } = build;
        // The base image stands for a public one (on a hosted agent, Docker Hub's): pulled by the engine.
        // The BuildKit of Engine 20.10 (0.8) reaches registries on loopback addresses over plain http
        // only, and the local registry speaks https: it finds the base among the local images instead.
        if (builderName === 'BuildKit') await pullAsAdmin(azure, baseImage);
        return runAzureRmBuild(azure, baseImage, azure.connections.spnKey, {
          inputs: { repository, tags, cacheFromLatest: 'true', modelName: 'iris' },
          workingDirectory: workspace.root,
          env: { AGENT_TEMPDIRECTORY: agentTemp, ...builder.env },
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

        // A fresh agent: none of this registry's images is left on the engine.
        await removeRegistryImages(azure.registry.loginServer);
        assert.equal((await docker(['image', 'ls', '--quiet', '--filter', `reference=${azure.registry.loginServer}/*/*`])).trim(), '');
        workspace.changeCode(`second ${builderName} ${Date.now()}`);

        azure.clearRequests();
        const second = await runTask(repository, '2\nlatest');
        assert.equal(second.result, 'Succeeded', `${second.message ?? ''}\n${second.log.slice(-3000)}`);
        assert.ok(second.log.includes(`Pulling ${latest} to reuse its layers as build cache.`), second.log.slice(-3000));
        assert.ok(second.log.includes(`Status: Downloaded newer image for ${latest}`), 'docker pulled latest from the registry');
        if (builderName === 'BuildKit') assert.ok(second.log.includes(`importing cache manifest from ${latest}`), 'BuildKit imported the cache of latest');
        assert.ok(stepFromCache(second.log, 'COPY model/ /app/model/'), 'the model layer came from the cache');
        assert.ok(!stepFromCache(second.log, 'COPY app/ /app/'), 'the changed code was rebuilt');
        assert.match(second.log, new RegExp(`Built with ${builderName}: 1 of 2 steps from the build cache\\.`));
        if (builderName === 'legacy') assert.equal(second.log.match(/^Step \d+\/\d+ : LABEL /gm)?.length, 1, 'the labels cost one step');

        const secondBytes = bytesPushed(azure.requests());
        assert.ok(secondBytes < 64 * 1024, `the second push sent only the code layer, config and manifest (${secondBytes} bytes; first: ${firstBytes})`);
        const [one, two] = [await readRegistry(azure, repository, '1'), await readRegistry(azure, repository, '2')];
        assert.notEqual(one.digest, two.digest);
        assert.equal((await readRegistry(azure, repository, 'latest')).digest, two.digest, 'latest moved to the second build');
      });
    });
  }
});
