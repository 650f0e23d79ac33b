import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePipeline } from '../../../scripts/pipeline/parse';
import { closest, findingLines, isVisible, preflight, type TaskDefinitions } from '../../../scripts/pipeline/preflight';
import type { TaskJson } from '../../../scripts/task-json';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TASKS = Object.fromEntries(
  ['BuildAndPushAiImageV1', 'DeployToAciV1', 'DeployToAksV1', 'SmokeTestModelV1'].map((task) => [task, JSON.parse(fs.readFileSync(path.join(ROOT, 'tasks', task, 'task.json'), 'utf8')) as TaskJson]),
) as unknown as TaskDefinitions;

const DEPLOY = [
  '  - task: DeployToAci@1',
  '    name: deploy',
  '    inputs:',
  '      azureSubscription: sc-pricing-prod',
  '      resourceGroup: $(rgName)',
  '      containerGroupName: pricing',
];

function check(lines: string[], variableNames: string[] = ['rgName']): string[] {
  return findingLines(preflight(parsePipeline(['steps:', ...lines, ''].join('\n'), 'p.yml'), TASKS, { variableNames }));
}

describe('local pipeline runner: pre-flight checks', () => {
  it('finds nothing wrong in the example pipelines', () => {
    for (const file of ['azure-pipelines.yml', 'aks-pipelines.yml', 'build-only.yml', 'redeploy-and-gate.yml']) {
      const pipeline = parsePipeline(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'), file);
      // redeploy-and-gate.yml takes its image with --var image=...
      const names = [...pipeline.variables.map((variable) => variable.name), 'baseImage', 'image'];
      assert.deepEqual(findingLines(preflight(pipeline, TASKS, { variableNames: names })), [], file);
    }
  });

  it('warns about each misspelt input with "did you mean", saying that Azure DevOps would accept it', () => {
    const lines = check([...DEPLOY, '      dnsLabel: pricing', '      secureEnvironmentVariable: API_KEY=x', '  - task: SmokeTestModel@1', '    inputs:', "      maxLatencyP95: '300'"]);
    assert.deepEqual(lines, [
      "p.yml:8 (steps[0].inputs.dnsLabel): DeployToAci@1 has no input 'dnsLabel'; did you mean 'dnsNameLabel'? The task never sees it. (Azure DevOps accepts it: the run starts and the task ignores the input.)",
      "p.yml:9 (steps[0].inputs.secureEnvironmentVariable): DeployToAci@1 has no input 'secureEnvironmentVariable'; did you mean 'secureEnvironmentVariables'? The task never sees it. (Azure DevOps accepts it: the run starts and the task ignores the input.)",
      "p.yml:12 (steps[1].inputs.maxLatencyP95): SmokeTestModel@1 has no input 'maxLatencyP95'; did you mean 'maxLatencyP95Ms'? The task never sees it. (Azure DevOps accepts it: the run starts and the task ignores the input.)",
    ]);
    assert.match(check([...DEPLOY, '      frobnicate: x'])[0] ?? '', /has no input 'frobnicate'\. The task never sees it/);
  });

  it('warns about an undefined $(macro), which the agent leaves as written (and would deploy as a secret)', () => {
    const lines = check([...DEPLOY, '      secureEnvironmentVariables: API_KEY=$(modelApiKey)'], ['rgName', 'modelApiKeys']);
    assert.deepEqual(lines, [
      "p.yml:8 (steps[0].inputs.secureEnvironmentVariables): $(modelApiKey) is not defined by any variable (did you mean $(modelApiKeys)?); the input 'secureEnvironmentVariables' gets the text '$(modelApiKey)' itself. (Azure DevOps accepts it: the run starts and the agent leaves the macro as written.)",
    ]);
  });

  it("knows predefined variables, --var/--secret names, and earlier steps' outputs, but not later steps' outputs", () => {
    const smoke = ['  - task: SmokeTestModel@1', '    name: smoke', '    inputs:', '      url: $(deploy.url)', '      testRunTitle: $(Build.BuildNumber) $(AiModelDeploy.ModelUrl) $(smoke.protocol)'];
    assert.deepEqual(check([...DEPLOY, ...smoke]).length, 1);
    assert.match(check([...DEPLOY, ...smoke])[0] ?? '', /\$\(smoke\.protocol\) is not defined by any variable or an earlier step/);
    assert.match(check([...smoke, ...DEPLOY])[0] ?? '', /\$\(deploy\.url\) is not defined/);
    assert.deepEqual(check(DEPLOY, []).length, 1);
  });

  it('warns about required inputs left out, honouring aliases, defaults and visibility rules', () => {
    const lines = check(['  - task: DeployToAci@1', '    inputs:', '      azureResourceManagerConnection: sc', '      resourceGroup: rg']);
    assert.deepEqual(lines, [
      'p.yml:2 (steps[0]): DeployToAci@1 needs the input \'containerGroupName\'; it is not given. (Azure DevOps accepts it: the run starts; the step then fails with "Input required: containerGroupName".)',
    ]);
    // bearerToken is required only when authentication = bearerToken.
    assert.deepEqual(check(['  - task: SmokeTestModel@1', '    inputs:', '      url: http://x']), []);
    assert.match(check(['  - task: SmokeTestModel@1', '    inputs:', '      url: http://x', '      authentication: bearerToken'])[0] ?? '', /needs the input 'bearerToken' when authentication = bearerToken/);
  });

  it('warns about ${{ variables.x }} naming no variable (Azure DevOps makes it empty)', () => {
    const lines = check(['  - task: SmokeTestModel@1', '    inputs:', '      url: http://${{ variables.host }}']);
    assert.match(lines[0] ?? '', /^p\.yml:4 \(steps\[0\]\.inputs\.url\): \$\{\{ variables\.host \}\} names no variable defined in the YAML, so it became an empty string/);
  });

  it('evaluates visibility rules and finds near names', () => {
    const inputs = new Map([['authentication', 'apiKey'], ['protocol', 'http']]);
    assert.equal(isVisible('authentication = apiKey', inputs), true);
    assert.equal(isVisible('protocol != mlflow && protocol != http', inputs), false);
    assert.equal(isVisible('authentication = none || protocol = http', inputs), true);
    assert.equal(closest('dnsLabel', ['dnsNameLabel', 'location']), 'dnsNameLabel');
    assert.equal(closest('zzz', ['dnsNameLabel', 'location']), undefined);
  });
});
