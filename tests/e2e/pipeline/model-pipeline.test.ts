/**
 * The three tasks as one job, as the agent runs them, on the real example model app: BuildAndPushAiImage
 * builds and pushes it; DeployToAci deploys it with no `image` input; SmokeTestModel tests it with no
 * `url` input while the model is still loading. Nothing is wired between the steps but what the tasks
 * themselves leave in the job.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt } from '../../../scripts/agent/build-once';
import { type JobRun, runJob } from '../../../scripts/agent/job';
import { prepareModelApp, publishBaseImage, removeRegistryImages } from '../../../scripts/pipeline/demo-setup';
import { secretsOf } from '../../../emulator/service-connection';
import { useLocalAzure } from '../../emulator/local-azure-fixture';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SETOSA = [5.1, 3.5, 1.4, 0.2];

describe('the model pipeline: build, push, deploy and smoke-test the example app (end to end, local Azure)', function () {
  this.timeout(10 * 60_000);
  const azure = useLocalAzure();
  const suffix = randomBytes(3).toString('hex');
  const groupName = `iris-${suffix}`;
  let job: JobRun;

  before(async function () {
    this.timeout(10 * 60_000);
    await ensureBuilt();
    await prepareModelApp(ROOT, () => undefined);
    const base = await publishBaseImage(azure());
    const connection = azure().connections.workloadIdentity;
    job = await runJob(
      [
        {
          name: 'image',
          task: 'BuildAndPushAiImageV1',
          inputs: {
            azureSubscription: connection.id,
            azureContainerRegistry: azure().registry.name,
            repository: `models/iris-${suffix}`,
            dockerfile: 'examples/model-app/Dockerfile',
            buildContext: 'examples/model-app',
            tags: '$(Build.BuildId)',
            buildArguments: `BASE_IMAGE=${base.reference}`,
            modelName: 'iris',
            modelVersion: '1.0',
            modelFiles: 'model/iris.onnx',
          },
        },
        {
          name: 'deploy',
          task: 'DeployToAciV1',
          inputs: {
            azureSubscription: connection.id,
            resourceGroup: 'rg-models',
            containerGroupName: groupName,
            ports: '8080',
            dnsNameLabel: groupName,
            // No readiness probe: the deploy ends while the model still loads, the smoke test waits.
            environmentVariables: 'MODEL_NAME=iris\nMODEL_LOAD_DELAY_SECONDS=4',
            timeoutInMinutes: '5',
          },
        },
        {
          name: 'smoke',
          task: 'SmokeTestModelV1',
          inputs: {
            protocol: 'openInference',
            modelName: 'iris',
            requestBody: JSON.stringify({ inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: SETOSA }] }),
            assertions: ['$.model_name == "iris"', "$.outputs[*].name in ['probabilities', 'label']", '$.outputs[1].data == [0]'].join('\n'),
            requests: '20',
            concurrency: '2',
            readinessTimeoutInSeconds: '120',
            maxLatencyP95Ms: '2000',
          },
        },
      ],
      { connections: Object.values(azure().connections), env: azure().agentEnvironment(), workingDirectory: ROOT },
    );
  });

  after(async function () {
    this.timeout(60_000);
    await removeRegistryImages(azure().registries.map((registry) => registry.loginServer));
  });

  const step = (name: string) => {
    const run = job.steps.find((s) => s.step.name === name)?.run;
    if (!run) throw new Error(`step '${name}' did not run`);
    return run;
  };

  it('succeeds, every step', () => {
    for (const s of job.steps) assert.equal(s.run?.result, 'Succeeded', `${s.step.name}: ${s.run?.message ?? 'did not run'}\n${s.run?.log.slice(-3000) ?? ''}`);
    assert.equal(job.result, 'Succeeded');
  });

  it('deploys exactly the image the build pushed, by digest, with no image input', () => {
    const imageUri = step('image').variables['imageUri']?.value ?? '';
    assert.match(imageUri, /@sha256:[0-9a-f]{64}$/);
    assert.equal(job.variables['image.imageUri'], imageUri);
    assert.match(step('deploy').log, new RegExp(`Deploying ${imageUri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(from the variable AiModelDeploy.ImageUri\\)`));
  });

  it('outputs a url on the group DNS name that resolves on this machine, and the smoke test used it', () => {
    const url = job.variables['deploy.url'] ?? '';
    assert.match(url, new RegExp(`^http://${groupName}\\.westeurope\\.azurecontainer\\.io:8080$`));
    assert.match(step('smoke').log, new RegExp(groupName));
  });

  it('waits out the slow model load, then publishes JUnit results, a summary and latency outputs', () => {
    const smoke = step('smoke');
    assert.match(smoke.log, /not ready yet/, 'the smoke test saw the model still loading and waited');
    assert.equal(smoke.testResults.length, 1);
    const junit = smoke.testResults[0]?.contents?.[0] ?? '';
    assert.match(junit, /<testsuite [^>]*failures="0"/);
    assert.ok(smoke.summaries.some((summary) => /p95/i.test(summary.content)), 'a summary with the latency table');
    for (const output of ['latencyP50Ms', 'latencyP95Ms', 'latencyP99Ms', 'successRate']) {
      assert.ok(smoke.variables[output]?.isOutput, `output ${output}`);
    }
    assert.equal(smoke.variables['successRate']?.value, '1');
  });

  it('the deployed model answers a real prediction on the output url', async () => {
    const url = job.variables['deploy.url'] ?? '';
    const response = await fetch(`${url}/v2/models/iris/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: [6.7, 3.0, 5.2, 2.3] }] }),
    });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { outputs: { name: string; data: number[] }[] };
    assert.deepEqual(answer.outputs.find((o) => o.name === 'label')?.data, [2], 'virginica');
  });

  it('leaves no secret in any output or file of the job', () => {
    const secrets = Object.values(azure().connections).flatMap(secretsOf);
    assert.ok(secrets.length > 0);
    const texts = [job.log, ...job.steps.flatMap((s) => [s.run?.log ?? '', ...(s.run?.summaries.map((x) => x.content) ?? [])])];
    for (const secret of secrets) for (const text of texts) assert.ok(!text.includes(secret), 'a connection secret leaked');
    assert.ok(!fs.readdirSync(ROOT).some((name) => name.startsWith('docker-config')), 'no docker config left in the sources');
  });
});
