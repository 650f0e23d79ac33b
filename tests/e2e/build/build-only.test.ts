/**
 * BuildAndPushAiImage@1 with `push: false` and the build options a pipeline author sets: the bundled
 * task, run as the agent runs it, against the local Azure and the machine's Docker engine. The tags
 * default to $(Build.BuildId); target, platform, labels and noCache reach docker; build arguments from
 * secret variables reach the build (even names like NODE_AUTH_TOKEN) and are never on a command line or
 * in any output; nothing is pushed and no digest is output.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { secretsOf } from '../../../emulator/service-connection';
import { runBundledTask } from '../../../scripts/agent/run-task';
import { assertNoSecretsLeft, entriesNamed } from '../../support/secret-scan';
import { docker, pullAsAdmin, readRegistry, useBuildEnvironment } from './build-fixture';
import { BUILDERS, type BuilderName, useBuilder } from './builders';

const MODEL_SECRET = `model-token-${Date.now().toString(36)}-value`;
const NPM_SECRET = `npm-token-${Date.now().toString(36)}-value`;

/** Two stages: building past `serve` would fail (its COPY source does not exist). */
const DOCKERFILE = [
  'ARG BASE_IMAGE',
  'FROM ${BASE_IMAGE} AS serve',
  'ARG MODEL_TOKEN',
  'ARG NODE_AUTH_TOKEN',
  'LABEL test.model-token-given=${MODEL_TOKEN:+yes} test.npm-token-given=${NODE_AUTH_TOKEN:+yes}',
  'COPY app/ /app/',
  'FROM serve AS debug',
  'COPY does-not-exist/ /debug/',
  '',
].join('\n');

describe('BuildAndPushAiImage end to end: build only, with the build options', function () {
  this.timeout(10 * 60_000);
  const build = useBuildEnvironment({ name: 'build-only', modelBytes: 16 * 1024, baseBytes: 16 * 1024 });
  before(() => fs.writeFileSync(path.join(build.workspace.context, 'Stages.Dockerfile'), DOCKERFILE));

  for (const builderName of BUILDERS) {
    describe(`under the ${builderName} builder`, () => {
      const builder = useBuilder(builderName);
      it('builds the target stage for the platform with the labels, pushes nothing, and outputs no digest', () => buildOnly(builderName, builder.env));
    });
  }

  async function buildOnly(builderName: BuilderName, builderEnv: Record<string, string>): Promise<void> {
    const { azure, workspace, baseImage, agentTemp } = build;
    const connection = azure.connections.workloadIdentity;
    const repository = `e2e/iris-build-only-${builderName.toLowerCase()}`;
    // The base image stands for a public one, pulled by the engine: the BuildKit of Engine 20.10 (0.8)
    // reaches registries on loopback addresses over plain http only, and the local registry speaks https.
    if (builderName === 'BuildKit') await pullAsAdmin(azure, baseImage);
    azure.clearRequests();
    const run = await runBundledTask({
      task: 'BuildAndPushAiImageV1',
      inputs: {
        azureSubscription: connection.id,
        azureContainerRegistry: `https://${azure.registry.loginServer}/`,
        repository,
        // buildContext stays at its default: the Dockerfile's folder (context/, where app/ is), not the repository root the agent would give an empty filePath input.
        dockerfile: 'context/Stages.Dockerfile',
        buildArguments: `BASE_IMAGE=${baseImage}\nMODEL_TOKEN=$(modelToken)\nNODE_AUTH_TOKEN=$(npmToken)`,
        target: 'serve',
        platform: 'linux/amd64',
        labels: 'team=ml\norg.opencontainers.image.version=custom',
        noCache: 'true',
        push: 'false',
      },
      connections: [connection],
      variables: { 'Build.BuildId': '4711', 'Build.BuildNumber': '20250101.1' },
      secretVariables: { modelToken: MODEL_SECRET, npmToken: NPM_SECRET },
      workingDirectory: workspace.root,
      env: { ...azure.agentEnvironment(), AGENT_TEMPDIRECTORY: agentTemp, SYSTEM_DEBUG: 'true', ...builderEnv },
      timeoutInMs: 5 * 60_000,
    });
    assert.equal(run.result, 'Succeeded', `${run.message ?? ''}\n${run.log.slice(-3000)}`);

    const image = `${azure.registry.loginServer}/${repository}`;
    assert.equal(run.variables.imageRepository?.value, image);
    assert.equal(run.variables.imageTags?.value, '4711', 'the tags default to $(Build.BuildId)');
    for (const name of ['imageDigest', 'imageUri', 'AiModelDeploy.ImageUri']) assert.equal(run.variables[name], undefined, `${name} is not set`);
    assert.equal(run.summaries[0]?.name, 'Image built');
    assert.match(run.summaries[0]?.content ?? '', /\| Push \| not pushed \(input push is false\) \|/);

    const inspected = JSON.parse(await docker(['image', 'inspect', '--format', '{{json .}}', `${image}:4711`])) as {
      Architecture: string;
      Os: string;
      Config: { Labels: Record<string, string> | null };
    };
    const labels = inspected.Config.Labels ?? {};
    assert.equal(`${inspected.Os}/${inspected.Architecture}`, 'linux/amd64');
    assert.equal(labels.team, 'ml');
    assert.equal(labels['org.opencontainers.image.version'], 'custom', 'user labels win over the pipeline labels');
    assert.equal(labels['test.model-token-given'], 'yes', 'the secret build argument reached the build');
    assert.equal(labels['test.npm-token-given'], 'yes', 'NODE_AUTH_TOKEN reached the build through the environment');
    assert.match(run.stdout, /Running: docker build .*--target serve --platform linux\/amd64 --no-cache/);

    const writes = azure.requests().filter((entry) => /^acr\.v2\.(blobUploads|manifests\.put)$/.test(entry.route));
    assert.deepEqual(writes.map((entry) => `${entry.method} ${entry.path}`), [], 'nothing was pushed');
    await assert.rejects(readRegistry(azure, repository, '4711'), /HTTP 404/);

    // The debug lines show docker's command lines: the build argument values are not on them.
    assertNoSecretsLeft(run, { secrets: [...secretsOf(connection), MODEL_SECRET, NPM_SECRET, azure.job.accessToken], folders: [agentTemp, workspace.root] });
    assert.deepEqual(entriesNamed(agentTemp, 'docker-config-'), [], 'the temporary Docker config is removed');
  }
});
