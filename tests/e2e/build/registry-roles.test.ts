/**
 * BuildAndPushAiImage@1 with an identity that may only pull (AcrPull): the bundled task, run as the
 * agent runs it, signs in, builds, and is refused at the push by the registry; it fails with a message
 * that names the identity and the role it needs, leaks no secret and leaves no Docker config behind.
 */
import * as assert from 'node:assert/strict';
import { type ServiceConnection, secretsOf } from '../../../emulator/service-connection';
import type { TaskRun } from '../../../scripts/agent/run-task';
import { assertNoSecretsLeft, entriesNamed } from '../../support/secret-scan';
import { readRegistry, runAzureRmBuild, useBuildEnvironment } from './build-fixture';

describe('BuildAndPushAiImage end to end: registry roles', function () {
  this.timeout(10 * 60_000);
  const build = useBuildEnvironment({ name: 'roles', modelBytes: 128 * 1024, baseBytes: 64 * 1024 });

  function runTask(connection: ServiceConnection, repository: string): Promise<TaskRun> {
    const { azure, workspace, baseImage, agentTemp } = build;
    return runAzureRmBuild(azure, baseImage, connection, {
      inputs: { repository, tags: '1' },
      variables: { 'Build.BuildId': '1' },
      workingDirectory: workspace.root,
      env: { AGENT_TEMPDIRECTORY: agentTemp },
    });
  }

  it('fails at the push with the pull-only identity, naming it and the AcrPush role; no secret shown, no Docker config left', async () => {
    const { azure, workspace, agentTemp } = build;
    const connection = azure.connections.spnPullOnly;
    const repository = 'e2e/iris-pull-only';
    const run = await runTask(connection, repository);

    assert.equal(run.result, 'Failed', run.log.slice(-3000));
    const message = run.message ?? '';
    assert.match(message, new RegExp(`refused to let this task push ${escape(`${azure.registry.loginServer}/${repository}:1`)}: unauthorized: authentication required`));
    assert.ok(message.includes(`service principal of service connection '${connection.id}'`), message);
    assert.ok(!message.includes('***'), `the message names nothing the agent masks: ${message}`);
    assert.ok(message.includes(`AcrPush role on container registry '${azure.registry.name}'`), message);
    assert.ok(message.includes(azure.registry.resourceId), `the message gives the registry's scope for the role assignment: ${message}`);
    assert.match(run.log, /Digest|Building/, 'it got as far as the build');

    const registryWrites = azure.requests().filter((entry) => entry.host === azure.registry.loginServer && /^acr\.v2\.(blobUploads|manifests\.put)$/.test(entry.route));
    assert.ok(registryWrites.length > 0, 'docker tried to push');
    assert.deepEqual(registryWrites.filter((entry) => entry.status !== 401).map((entry) => `${entry.method} ${entry.path} ${entry.status}`), [], 'the registry refused every write');
    await assert.rejects(readRegistry(azure, repository, '1'), /HTTP 404/, 'nothing was pushed');

    assert.ok(run.secrets.length > secretsOf(connection).length, 'the task registered the tokens it created as secrets');
    assertNoSecretsLeft(run, { secrets: [...secretsOf(connection), azure.job.accessToken], folders: [agentTemp, workspace.root] });
    assert.deepEqual(entriesNamed(agentTemp, 'docker-config-'), [], 'the temporary Docker config is removed');
  });

  it('pushes the same build with an identity that has AcrPush (the refusal above is the role, nothing else)', async () => {
    const { azure, agentTemp } = build;
    const connection = azure.connections.spnKey;
    const run = await runTask(connection, 'e2e/iris-pull-only');
    assert.equal(run.result, 'Succeeded', `${run.message ?? ''}\n${run.log.slice(-3000)}`);
    assert.equal((await readRegistry(azure, 'e2e/iris-pull-only', '1')).digest, run.variables.imageDigest?.value);
    assert.deepEqual(entriesNamed(agentTemp, 'docker-config-'), []);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
