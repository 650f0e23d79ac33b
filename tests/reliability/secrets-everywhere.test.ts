/**
 * All three tasks with distinctive secrets (a secret build argument, a secure environment variable, a
 * bearer token the model echoes back, the connection's own secret and the tokens the tasks create):
 * none may appear, plain, base64- or URL-encoded, in any output, summary, test results file or file
 * left in the working folder.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from '../../scripts/agent/build-once';
import { runBundledTask, type TaskRun } from '../../scripts/agent/run-task';
import { assertNoSecretsLeft } from '../support/secret-scan';
import { requireBusybox } from '../e2e/deploy/deploy-fixture';
import { MODEL, startHostileServer } from './hostile-model-server';
import { type Lane, openLane } from './matrix-lanes';

/** Distinctive, with characters that change under URL and base64 encoding. */
const distinctive = (name: string): string => `${name}-${randomBytes(9).toString('base64')}/+=&%`;

describe('No secret in any output or file of the three tasks', function () {
  this.timeout(6 * 60_000);
  let lane: Lane;
  const folders: string[] = [];
  const folder = (): string => {
    const created = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-everywhere-'));
    folders.push(created);
    return created;
  };

  before(async () => {
    requireBusybox();
    await ensureBuilt();
    lane = await openLane();
  });

  after(async () => {
    for (const created of folders) fs.rmSync(created, { recursive: true, force: true });
    await lane.close();
  });

  /** The service principal's secret (its ids are not secrets: messages name them). */
  const connectionSecrets = (): string[] => [lane.azure.connections.spnKey.authParameters.serviceprincipalkey ?? ''].filter((value) => value !== '');

  it('BuildAndPushAiImage with a secret build argument: warned about docker history, never shown', async () => {
    const npmToken = distinctive('npm');
    const workingDirectory = folder();
    fs.copyFileSync('/bin/busybox', path.join(workingDirectory, 'busybox'));
    fs.writeFileSync(path.join(workingDirectory, 'Dockerfile'), 'FROM scratch\nARG NPM_TOKEN\nCOPY busybox /bin/busybox\n');
    const connection = lane.azure.connections.spnKey;
    const run = await runBundledTask({
      task: 'BuildAndPushAiImageV1',
      inputs: {
        connectionType: 'azureRM',
        azureSubscription: connection.id,
        azureContainerRegistry: lane.azure.registry.name,
        repository: 'secrets/build',
        dockerfile: 'Dockerfile',
        buildArguments: 'NPM_TOKEN=$(npmToken)',
      },
      secretVariables: { npmToken },
      connections: [connection],
      env: lane.azure.agentEnvironment(),
      workingDirectory,
      timeoutInMs: 180_000,
    });
    assert.equal(run.result, 'Succeeded', run.log);
    assert.ok(run.issues.some((issue) => issue.type === 'warning' && /NPM_TOKEN.*docker history/.test(issue.message)), 'no warning about docker history');
    assertNoSecretsLeft(run, { secrets: [npmToken, ...connectionSecrets()], folders: [workingDirectory] });
  });

  it('DeployToAci with a secure environment variable: never shown', async () => {
    const apiKey = distinctive('env');
    const workingDirectory = folder();
    const connection = lane.azure.connections.spnKey;
    const run = await runBundledTask({
      task: 'DeployToAciV1',
      inputs: {
        azureSubscription: connection.id,
        resourceGroup: lane.azure.resourceGroups[0] ?? 'rg',
        containerGroupName: 'secrets-everywhere',
        image: lane.image,
        ports: '80',
        secureEnvironmentVariables: 'API_KEY=$(apiKey)',
      },
      secretVariables: { apiKey },
      connections: [connection],
      env: lane.azure.agentEnvironment(),
      workingDirectory,
      timeoutInMs: 180_000,
    });
    assert.equal(run.result, 'Succeeded', run.log);
    assertNoSecretsLeft(run, { secrets: [apiKey, ...connectionSecrets()], folders: [workingDirectory] });
  });

  it('SmokeTestModel against a model that echoes the bearer token into a failing answer: masked in the message, the JUnit file and the summary', async () => {
    const token = distinctive('bearer');
    const server = await startHostileServer({ hostility: 'echoCredentials' });
    const workingDirectory = folder();
    let run: TaskRun;
    try {
      run = await runBundledTask({
        task: 'SmokeTestModelV1',
        inputs: { url: server.url, protocol: 'kserveV1', modelName: MODEL, requestBody: '{"instances": [[1, 2]]}', requests: '2', authentication: 'bearerToken', bearerToken: '$(modelToken)', assertions: "$.echo.authorization == 'nothing'" },
        secretVariables: { modelToken: token },
        workingDirectory,
        timeoutInMs: 60_000,
      });
    } finally {
      await server.stop();
    }
    assert.equal(run.result, 'Failed', run.log);
    assert.match(run.stdout, /echo\.authorization is "Bearer \*\*\*"/, 'the failing assertion does not show the (masked) echo');
    assert.ok(run.testResults.length > 0 && run.summaries.length > 0, 'no JUnit file or summary to check');
    assert.ok(run.testResults.some((results) => results.contents.some((content) => content.includes('***'))), `the echoed token was not masked in the JUnit file: ${JSON.stringify(run.testResults)}`);
    assertNoSecretsLeft(run, { secrets: [token], folders: [workingDirectory] });
  });

  it('refuses a secret build argument whose variable is empty or not defined before any call to Azure, naming the input and the variable', async () => {
    const connection = lane.azure.connections.spnKey;
    const build = (buildArguments: string, secretVariables: Record<string, string>) => {
      const workingDirectory = folder();
      fs.writeFileSync(path.join(workingDirectory, 'Dockerfile'), 'FROM scratch\nARG NPM_TOKEN\n');
      return runBundledTask({
        task: 'BuildAndPushAiImageV1',
        inputs: { connectionType: 'azureRM', azureSubscription: connection.id, azureContainerRegistry: lane.azure.registry.name, repository: 'secrets/empty', dockerfile: 'Dockerfile', buildArguments },
        secretVariables,
        connections: [connection],
        env: lane.azure.agentEnvironment(),
        workingDirectory,
        timeoutInMs: 60_000,
      });
    };
    lane.azure.clearRequests();
    const empty = await build('BASE=1\nNPM_TOKEN=$(npmToken)', { npmToken: '' });
    assert.equal(empty.result, 'Failed', empty.log);
    assert.match(empty.message ?? '', /Input 'buildArguments': the value of 'NPM_TOKEN' is empty, and the secret variable 'npmToken' is defined but empty.*Define a value for the secret variable 'npmToken'/);
    const undefinedVariable = await build('NPM_TOKEN=$(npmToken)', {});
    assert.equal(undefinedVariable.result, 'Failed', undefinedVariable.log);
    assert.match(undefinedVariable.message ?? '', /Input 'buildArguments': the value of 'NPM_TOKEN' holds the macro '\$\(npmToken\)'.*Define the variable 'npmToken'/);
    assert.deepEqual(lane.azure.requests().map((entry) => entry.route), [], 'the task called Azure before refusing the input');
  });

  it('refuses a secret input whose variable is not defined, naming the input and the variable', async () => {
    const run = await runBundledTask({
      task: 'SmokeTestModelV1',
      inputs: { url: 'http://127.0.0.1:9', protocol: 'kserveV1', modelName: MODEL, authentication: 'bearerToken', bearerToken: '$(undefinedToken)' },
      timeoutInMs: 60_000,
    });
    assert.equal(run.result, 'Failed');
    assert.match(run.message ?? '', /Input 'bearerToken' holds the macro '\$\(undefinedToken\)'.*Define the secret variable 'undefinedToken'/);
  });
});
