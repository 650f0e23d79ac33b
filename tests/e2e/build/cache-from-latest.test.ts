/**
 * BuildAndPushAiImage@1 with `cacheFromLatest`: the bundled task, run as the agent runs it, against the
 * local Azure. The first run finds no `latest` and says so; a later run on an agent with none of the
 * image's layers (local images removed) pulls `latest` from the registry and builds from it as cache.
 */
import * as assert from 'node:assert/strict';
import type { TaskRun } from '../../../scripts/agent/run-task';
import { bytesPushed, docker, readRegistry, removeRegistryImages, runAzureRmBuild, useBuildEnvironment } from './build-fixture';

const MODEL_BYTES = 256 * 1024;

describe('BuildAndPushAiImage end to end: cacheFromLatest', function () {
  this.timeout(10 * 60_000);
  const build = useBuildEnvironment({ name: 'cache', modelBytes: MODEL_BYTES, baseBytes: 64 * 1024 });

  function runTask(repository: string, tags: string): Promise<TaskRun> {
    const { azure, workspace, baseImage, agentTemp } = build;
    return runAzureRmBuild(azure, baseImage, azure.connections.spnKey, {
      inputs: { repository, tags, cacheFromLatest: 'true' },
      workingDirectory: workspace.root,
      env: { AGENT_TEMPDIRECTORY: agentTemp },
    });
  }

  /** The lines docker build printed for the step `instruction` (up to the next step). */
  function stepOutput(log: string, instruction: string): string {
    const start = log.indexOf(`: ${instruction}\n`);
    assert.ok(start >= 0, `the build log has the step '${instruction}'`);
    const next = log.indexOf('\nStep ', start);
    return log.slice(start, next < 0 ? undefined : next);
  }

  it('goes on without a cache when latest does not exist, then reuses the pushed latest as cache on a clean agent', async () => {
    const { azure, workspace } = build;
    const repository = 'e2e/iris-cache';
    const latest = `${azure.registry.loginServer}/${repository}:latest`;

    azure.clearRequests();
    const first = await runTask(repository, '1\nlatest');
    assert.equal(first.result, 'Succeeded', `${first.message ?? ''}\n${first.log.slice(-3000)}`);
    assert.ok(first.log.includes(`${latest} does not exist yet; building without a cache image.`), first.log.slice(-3000));
    assert.doesNotMatch(stepOutput(first.log, 'COPY model/ /app/model/'), /Using cache/);
    const firstBytes = bytesPushed(azure.requests());
    assert.ok(firstBytes > MODEL_BYTES, `the first push sent the model layer (${firstBytes} bytes)`);

    // A fresh agent: none of this registry's images (nor their build cache) is left on the engine.
    await removeRegistryImages(azure.registry.loginServer);
    assert.equal((await docker(['image', 'ls', '--quiet', '--filter', `reference=${azure.registry.loginServer}/*/*`])).trim(), '');
    workspace.changeCode(`change ${Date.now()}`);

    azure.clearRequests();
    const second = await runTask(repository, '2\nlatest');
    assert.equal(second.result, 'Succeeded', `${second.message ?? ''}\n${second.log.slice(-3000)}`);
    assert.ok(second.log.includes(`Pulling ${latest} to reuse its layers as build cache.`), second.log.slice(-3000));
    assert.ok(second.log.includes(`Status: Downloaded newer image for ${latest}`), 'docker pulled latest from the registry');
    assert.match(stepOutput(second.log, 'COPY model/ /app/model/'), /---> Using cache/, 'the model layer came from the pulled latest');
    assert.doesNotMatch(stepOutput(second.log, 'COPY app/ /app/'), /Using cache/, 'the changed code was rebuilt');

    const secondBytes = bytesPushed(azure.requests());
    assert.ok(secondBytes < 64 * 1024, `the second push sent only the code layer, config and manifest (${secondBytes} bytes; first: ${firstBytes})`);
    const [one, two] = [await readRegistry(azure, repository, '1'), await readRegistry(azure, repository, '2')];
    assert.notEqual(one.digest, two.digest);
    assert.equal((await readRegistry(azure, repository, 'latest')).digest, two.digest, 'latest moved to the second build');
  });
});
