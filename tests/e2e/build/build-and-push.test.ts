/**
 * BuildAndPushAiImage@1 end to end: the bundled task, run as the agent runs it, against the local Azure
 * (Entra ID, Resource Manager, ACR token service and a real registry) and the machine's Docker engine.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ServiceConnection, secretsOf } from '../../../emulator/service-connection';
import { type TaskRun, runBundledTask } from '../../../scripts/agent/run-task';
import { assertNoSecretsLeft, entriesNamed } from '../../support/secret-scan';
import { type BuildWorkspace, bytesPushed, createWorkspace, pullAsAdmin, readRegistry, useBuildEnvironment } from './build-fixture';
import { BUILDERS, useBuilder } from './builders';

const BUILD_SECRET = `build-secret-${Date.now().toString(36)}-value`;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

describe('BuildAndPushAiImage end to end', function () {
  this.timeout(10 * 60_000);
  const build = useBuildEnvironment({ name: 'build', modelBytes: 256 * 1024, baseBytes: 512 * 1024 });

  function inputsFor(connection: ServiceConnection, repository: string, extra: Record<string, string> = {}): Record<string, string> {
    const { azure, baseImage } = build;
    const registryInputs: Record<string, string> =
      connection === azure.connections.dockerRegistry
        ? { connectionType: 'dockerRegistry', dockerRegistryServiceConnection: connection.id }
        : { connectionType: 'azureRM', azureSubscription: connection.id, azureContainerRegistry: azure.registry.name };
    return {
      ...registryInputs,
      repository,
      dockerfile: 'context/Dockerfile',
      tags: '4711\nlatest',
      buildArguments: `BASE_IMAGE=${baseImage}\nMODEL_TOKEN=$(modelToken)`,
      modelName: 'iris',
      modelVersion: '1.2.0',
      modelFiles: 'model/*.bin\nmodel/labels.json',
      ...extra,
    };
  }

  function runTask(connection: ServiceConnection, inputs: Record<string, string>, options: { env?: Record<string, string>; workspace?: BuildWorkspace } = {}): Promise<TaskRun> {
    const { azure, workspace, agentTemp } = build;
    return runBundledTask({
      task: 'BuildAndPushAiImageV1',
      inputs,
      connections: [connection],
      variables: {
        'Build.BuildId': '4711',
        'Build.BuildNumber': '20250101.1',
        'Build.SourceVersion': '0123456789abcdef0123456789abcdef01234567',
        'Build.Repository.Uri': 'https://dev.azure.com/contoso/models/_git/iris',
        'System.TeamProject': 'models',
      },
      secretVariables: { modelToken: BUILD_SECRET },
      workingDirectory: (options.workspace ?? workspace).root,
      env: { ...azure.agentEnvironment(), AGENT_TEMPDIRECTORY: agentTemp, ...options.env },
      timeoutInMs: 5 * 60_000,
    });
  }

  /** No secret in any output or file the run left behind (see tests/support/secret-scan.ts); no temporary Docker config left. */
  function assertCleanRun(run: TaskRun, connection: ServiceConnection): void {
    const { azure, workspace, agentTemp } = build;
    assertNoSecretsLeft(run, { secrets: [...secretsOf(connection), BUILD_SECRET, azure.job.accessToken], folders: [agentTemp, workspace.root] });
    assert.deepEqual(entriesNamed(agentTemp, 'docker-config-'), [], 'the temporary Docker config must be removed');
  }

  for (const kind of ['spnKey', 'spnCertificate', 'workloadIdentity', 'dockerRegistry'] as const) {
    it(`builds and pushes with a ${kind} connection; the output digest is the registry's and the labels are on the image`, async () => {
      const { azure } = build;
      const connection = azure.connections[kind];
      const repository = `e2e/iris-${kind.toLowerCase()}`;
      const run = await runTask(connection, inputsFor(connection, repository));
      assert.equal(run.result, 'Succeeded', `${run.message ?? ''}\n${run.log.slice(-3000)}`);
      const digest = run.variables.imageDigest?.value ?? '';
      assert.match(digest, DIGEST);
      assert.equal(run.variables.imageUri?.value, `${azure.registry.loginServer}/${repository}@${digest}`);
      assert.equal(run.variables.imageRepository?.value, `${azure.registry.loginServer}/${repository}`);
      assert.equal(run.variables.imageTags?.value, '4711,latest');
      assert.equal(run.variables['AiModelDeploy.ImageUri']?.value, run.variables.imageUri?.value);
      assert.equal(run.variables['AiModelDeploy.ImageUri']?.isOutput, false);

      const pushed = await readRegistry(azure, repository, '4711');
      assert.equal(pushed.digest, digest);
      assert.equal((await readRegistry(azure, repository, 'latest')).digest, digest);
      assert.equal(pushed.labels['ai.model.name'], 'iris');
      assert.equal(pushed.labels['ai.model.version'], '1.2.0');
      const files = JSON.parse(pushed.labels['ai.model.files'] ?? '[]') as { path: string; sha256: string; size: number }[];
      assert.deepEqual(files.map((f) => [f.path, f.size]), [['model/labels.json', 36], ['model/weights.bin', 256 * 1024]]);
      assert.equal(pushed.labels['org.opencontainers.image.revision'], '0123456789abcdef0123456789abcdef01234567');
      assert.equal(pushed.labels['org.opencontainers.image.source'], 'https://dev.azure.com/contoso/models/_git/iris');

      assert.equal(run.summaries.length, 1);
      assert.ok(run.summaries[0]?.content.includes(digest));
      assertCleanRun(run, connection);
    });
  }

  const badInputs: [string, Record<string, string>, RegExp][] = [
    ['an invalid repository', { repository: 'E2E/Iris' }, /Input 'repository' must be a repository path by Docker's rules \(repository names must be lower case \(try 'e2e\/iris'\)\)/],
    ['an invalid tag', { tags: '1\n-bad' }, /Input 'tags' must be one tag per line by Docker's rules .*; got '-bad'/],
    ['a malformed build argument', { buildArguments: `BASE_IMAGE=${'x'}\nNOT A KEY=1` }, /Input 'buildArguments' must be one KEY=VALUE per line/],
    ['a missing Dockerfile', { dockerfile: 'context/Nope.Dockerfile' }, /Input 'dockerfile': .*Nope\.Dockerfile does not exist/],
    ["Docker@2's search pattern for the Dockerfile", { dockerfile: '**/Dockerfile' }, /Input 'dockerfile' must be the path of one Dockerfile.*no wildcards.*; got '\/[^']*\/\*\*\/Dockerfile'/], // the agent roots filePath inputs
    ['a missing build context', { buildContext: 'no-such-folder' }, /Input 'buildContext': the build context .*no-such-folder does not exist\. .*'\*\*' \(the default\) for the Dockerfile's folder/],
    ['a model file that does not exist', { modelFiles: 'model/*.onnx' }, /Input 'modelFiles': 'model\/\*\.onnx' matches no file inside the build context/],
    ['no registry with azureRM', { azureContainerRegistry: '' }, /Input 'azureContainerRegistry' is required/],
  ];
  for (const [what, override, message] of badInputs) {
    it(`fails clearly on ${what}, without calling Azure`, async () => {
      const { azure } = build;
      const connection = azure.connections.spnKey;
      const run = await runTask(connection, inputsFor(connection, 'e2e/iris', override));
      assert.equal(run.result, 'Failed');
      assert.match(run.message ?? '', message);
      assert.deepEqual(azure.requests().map((r) => `${r.method} ${r.path}`), []);
      assertCleanRun(run, connection);
    });
  }

  it('fails clearly when no Docker engine is reachable, without calling Azure', async () => {
    const { azure, agentTemp } = build;
    const connection = azure.connections.spnKey;
    const run = await runTask(connection, inputsFor(connection, 'e2e/iris'), { env: { DOCKER_HOST: `unix://${path.join(agentTemp, 'no-docker.sock')}` } });
    assert.equal(run.result, 'Failed');
    assert.match(run.message ?? '', /No Docker engine is reachable on this agent: .*Install Docker on the agent/);
    assert.deepEqual(azure.requests(), []);
  });

  it('lists the registries that exist when the registry is not in the subscription', async () => {
    const { azure } = build;
    const connection = azure.connections.spnKey;
    const run = await runTask(connection, inputsFor(connection, 'e2e/iris', { azureContainerRegistry: 'nosuchregistry' }));
    assert.equal(run.result, 'Failed');
    assert.match(run.message ?? '', new RegExp(`Input 'azureContainerRegistry': no container registry named 'nosuchregistry' was found .*it has: .*${azure.registry.name}`));
  });

  it('says which identity was refused and that it needs AcrPush when the registry refuses the sign-in', async () => {
    const { azure } = build;
    const connection = azure.connections.spnKey;
    azure.faults.addHttpFault({ route: 'acr.oauth2.exchange', kind: 'status', status: 401, count: 1 });
    const run = await runTask(connection, inputsFor(connection, 'e2e/iris'));
    assert.equal(run.result, 'Failed');
    assert.match(run.message ?? '', /refused the sign-in of service principal of service connection .*AcrPush role/);
    assertCleanRun(run, connection);
  });


  for (const builderName of BUILDERS) {
    describe(`under the ${builderName} builder`, () => {
      const builder = useBuilder(builderName);
      // The base image stands for a public one, pulled by the engine: the BuildKit of Engine 20.10 (0.8)
      // reaches registries on loopback addresses over plain http only, and the local registry speaks https.
      beforeEach(async () => {
        if (builderName === 'BuildKit') await pullAsAdmin(build.azure, build.baseImage);
      });

      it('builds and pushes with the labels on the image, saying which builder built it', async () => {
        const { azure } = build;
        const connection = azure.connections.spnKey;
        const repository = `e2e/iris-builder-${builderName.toLowerCase()}`;
        const run = await runTask(connection, inputsFor(connection, repository), { env: builder.env });
        assert.equal(run.result, 'Succeeded', `${run.message ?? ''}\n${run.log.slice(-3000)}`);
        assert.match(run.log, new RegExp(`builder: ${builderName} \\(DOCKER_BUILDKIT=${builderName === 'BuildKit' ? 1 : 0}\\)`));
        assert.match(run.log, new RegExp(`Built with ${builderName}: \\d of 2 steps from the build cache\\.`));
        if (builderName === 'legacy') assert.equal(run.log.match(/^Step \d+\/\d+ : LABEL /gm)?.length, 1, 'the eight labels cost one step, not eight');
        const pushed = await readRegistry(azure, repository, '4711');
        assert.equal(pushed.digest, run.variables.imageDigest?.value);
        assert.equal(pushed.labels['ai.model.name'], 'iris');
        assert.match(pushed.labels['org.opencontainers.image.url'] ?? '', /\/models\/_build\/results\?buildId=4711$/);
        const files = JSON.parse(pushed.labels['ai.model.files'] ?? '[]') as { path: string }[];
        assert.deepEqual(files.map((f) => f.path), ['model/labels.json', 'model/weights.bin'], 'a JSON label survives the LABEL quoting');
        assertCleanRun(run, connection);
      });

      it('after a code-only change, pushes only the changed layer', async () => {
        const { azure } = build;
        const connection = azure.connections.spnKey;
        const repository = `e2e/iris-incremental-${builderName.toLowerCase()}`;
        const workspace = createWorkspace(256 * 1024); // fresh model weights: no layer of this image is in the registry yet
        try {
          const first = await runTask(connection, inputsFor(connection, repository), { workspace, env: builder.env });
          assert.equal(first.result, 'Succeeded', first.message);
          const firstBytes = bytesPushed(azure.requests());
          workspace.changeCode(`change ${Date.now()}`);
          azure.clearRequests();
          const second = await runTask(connection, inputsFor(connection, repository), { workspace, env: builder.env });
          assert.equal(second.result, 'Succeeded', second.message);
          const secondBytes = bytesPushed(azure.requests());
          assert.notEqual(second.variables.imageDigest?.value, first.variables.imageDigest?.value);
          assert.ok(firstBytes > 256 * 1024, `the first push sent the model layer (${firstBytes} bytes)`);
          assert.ok(secondBytes < 64 * 1024, `the second push sent only the code layer, config and manifest (${secondBytes} bytes)`);
        } finally {
          workspace.remove();
        }
      });

      it('shows the failed step, docker\'s reason and its last lines, and removes the temporary Docker config', async () => {
        const { azure, workspace } = build;
        const connection = azure.connections.workloadIdentity;
        fs.writeFileSync(path.join(workspace.context, 'Broken.Dockerfile'), 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY does-not-exist/ /app/\n');
        const run = await runTask(connection, inputsFor(connection, 'e2e/iris', { dockerfile: 'context/Broken.Dockerfile' }), { env: builder.env });
        assert.equal(run.result, 'Failed');
        assert.match(run.message ?? '', /docker build failed at 'COPY does-not-exist\/ \/app\/' \(exit code \d+\): .*does-not-exist.*\. Its last lines:[\s\S]*A file the Dockerfile copies is not in the build context/);
        assertCleanRun(run, connection);
      });
    });
  }
});
