import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PipelineError } from '../../../scripts/pipeline/model';
import { parsePipeline } from '../../../scripts/pipeline/parse';

const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'examples', 'azure-pipelines.yml');

function refusal(yaml: string): string {
  try {
    parsePipeline(yaml, 'p.yml');
  } catch (error) {
    assert.ok(error instanceof PipelineError, `expected a PipelineError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('the pipeline was accepted');
}

const TASK = `  - task: SmokeTestModel@1\n    inputs:\n      url: http://127.0.0.1:1\n`;

describe('local pipeline runner: parsePipeline', () => {
  it('reads the example pipeline: variables, three named steps, inputs as written', () => {
    const pipeline = parsePipeline(fs.readFileSync(EXAMPLE, 'utf8'), 'examples/azure-pipelines.yml');
    assert.deepEqual(
      pipeline.steps.map((step) => [step.name, step.task, step.reference]),
      [
        ['image', 'BuildAndPushAiImageV1', 'BuildAndPushAiImage@1'],
        ['deploy', 'DeployToAciV1', 'DeployToAci@1'],
        ['smoke', 'SmokeTestModelV1', 'SmokeTestModel@1'],
      ],
    );
    assert.equal(pipeline.variables.find((variable) => variable.name === 'baseImage')?.value, 'node:20-slim');
    assert.equal(pipeline.steps[1]?.inputs['image'], '$(image.imageUri)');
    assert.equal(pipeline.steps[0]?.inputs['buildArguments'], 'BASE_IMAGE=$(baseImage)\n');
    assert.deepEqual(pipeline.ignored, ['trigger', 'pool']);
    assert.match(pipeline.steps[0]?.where ?? '', /^examples\/azure-pipelines\.yml:\d+ \(steps\[0\]\)$/);
  });

  it('names unnamed steps as the agent does and accepts a single job, checkout and condition succeeded()', () => {
    const job = [
      'jobs:',
      '  - job: deploy',
      '    pool: { vmImage: ubuntu-latest }',
      "    variables: { a: '1' }",
      '    steps:',
      '      - checkout: self',
      '      - task: SmokeTestModel@1',
      '        condition: succeeded()',
      '        continueOnError: true',
      '        timeoutInMinutes: 2',
      '      - task: SmokeTestModel@1',
    ].join('\n');
    const pipeline = parsePipeline(
      job,
      'p.yml',
    );
    assert.deepEqual(pipeline.steps.map((step) => step.name), ['SmokeTestModel', 'SmokeTestModel1']);
    assert.deepEqual([pipeline.steps[0]?.continueOnError, pipeline.steps[0]?.timeoutInMinutes, pipeline.steps[0]?.named], [true, 2, false]);
    assert.deepEqual(pipeline.variables, [{ name: 'a', value: '1', isSecret: false }]);
  });

  it('accepts stages with one stage and one job, the most common shape, with variables at every level', () => {
    const yaml = [
      'variables: { a: top }',
      'stages:',
      '  - stage: build',
      '    displayName: Build',
      '    variables: { b: stage }',
      '    jobs:',
      '      - job: one',
      '        variables:',
      '          - name: c',
      '            value: job',
      '        steps:',
      ...TASK.trimEnd().split('\n').map((line) => `      ${line}`),
    ].join('\n');
    const pipeline = parsePipeline(yaml, 'p.yml');
    assert.deepEqual(pipeline.variables.map((variable) => [variable.name, variable.value]), [['a', 'top'], ['b', 'stage'], ['c', 'job']]);
    assert.match(pipeline.steps[0]?.where ?? '', /^p\.yml:12 \(stages\[0\]\.jobs\[0\]\.steps\[0\]\)$/);
    assert.deepEqual(pipeline.ignored, ['stages[0].stage', 'stages[0].displayName', 'stages[0].jobs[0].job']);
  });

  it('reads conditions succeeded(), always(), succeededOrFailed() and failed(), blanks and case aside', () => {
    const conditions = ['succeeded()', 'always()', 'SucceededOrFailed( )', 'failed()'];
    const pipeline = parsePipeline(`steps:\n${conditions.map((condition) => `${TASK}    condition: ${condition}\n`).join('')}`, 'p.yml');
    assert.deepEqual(pipeline.steps.map((step) => step.condition), ['succeeded', 'always', 'always', 'failed']);
    assert.equal(parsePipeline(`steps:\n${TASK}`, 'p.yml').steps[0]?.condition, 'succeeded');
  });

  it('evaluates ${{ variables.x }} with the YAML variables, as Azure DevOps compiles it, and records names that are not defined', () => {
    const yaml = ['variables:', '  acrName: crpricing', "  repo: ${{ variables['acrName'] }}/app", 'steps:', TASK.trimEnd(), '      modelName: ${{ variables.acrName }}-${{ variables.missing }}', ''].join('\n');
    const pipeline = parsePipeline(yaml, 'p.yml');
    assert.equal(pipeline.steps[0]?.inputs['modelName'], 'crpricing-');
    assert.equal(pipeline.variables.find((variable) => variable.name === 'repo')?.value, 'crpricing/app');
    assert.deepEqual(pipeline.undefinedTemplateVariables, [{ where: 'p.yml:8 (steps[0].inputs.modelName)', name: 'missing' }]);
  });

  it('takes variables as a mapping or a list, later ones winning', () => {
    const pipeline = parsePipeline(`variables:\n  - name: x\n    value: 1\n  - name: y\n    value: two\nsteps:\n${TASK}`, 'p.yml');
    assert.deepEqual(pipeline.variables.map((variable) => [variable.name, variable.value]), [['x', '1'], ['y', 'two']]);
  });

  const refusals: [string, string, RegExp][] = [
    ['a script step', `steps:\n${TASK}  - script: echo hi\n`, /^p\.yml:5 \(steps\[1\]\): script steps are not supported by the local runner/],
    ['a bash step', `steps:\n  - bash: echo hi\n`, /p\.yml:2 \(steps\[0\]\): bash steps are not supported/],
    ['another task', `steps:\n  - task: Docker@2\n`, /p\.yml:2 \(steps\[0\]\.task\): the task 'Docker@2' is not supported by the local runner; it runs BuildAndPushAiImage@1, DeployToAci@1, DeployToAks@1 and SmokeTestModel@1/],
    ['a template step', `steps:\n  - template: steps.yml\n`, /step templates are not supported/],
    ['extends', `extends:\n  template: t.yml\n`, /p\.yml:1 \(extends\): templates \(extends\) are not supported/],
    ['two stages', `stages:\n  - stage: a\n    jobs: []\n  - stage: b\n    jobs: []\n`, /p\.yml:1 \(stages\): pipelines with 2 stages are not supported by the local runner; it runs exactly one job \(in one stage\)/],
    ['a stage without jobs', `stages:\n  - stage: a\n`, /p\.yml:2 \(stages\[0\]\): no 'jobs' found/],
    ['a stage dependency', `stages:\n  - stage: a\n    dependsOn: b\n    jobs:\n      - job: j\n        steps:\n${TASK.replace(/^/gm, '      ')}`, /p\.yml:3 \(stages\[0\]\.dependsOn\): stage dependencies are not supported/],
    ['steps beside stages', `stages: []\nsteps:\n${TASK}`, /give one of 'steps', 'jobs' or 'stages', not 'steps' and 'stages'/],
    ['an expression condition', `steps:\n${TASK}    condition: eq(variables.x, 'y')\n`, /p\.yml:5 \(steps\[0\]\.condition\): conditions other than succeeded\(\), always\(\), succeededOrFailed\(\) and failed\(\) \(got 'eq\(variables\.x, 'y'\)'\) are not supported/],
    ['a variable group', `variables:\n  - group: secrets\nsteps:\n${TASK}`, /p\.yml:2 \(variables\[0\]\): variable groups are not supported .*--var NAME=VALUE/],
    ['a template expression', `steps:\n${TASK}      modelName: \${{ parameters.model }}\n`, /p\.yml:5 \(steps\[0\]\.inputs\.modelName\): template expressions \('\$\{\{ \.\.\. \}\}'\) other than \$\{\{ variables\.name \}\} are not supported/],
    ['a conditional insertion', `variables:\n  \${{ if true }}:\n    a: b\nsteps:\n${TASK}`, /p\.yml:2 \(variables\.\$\{\{ if true \}\}\): template expressions/],
    ['a runtime expression', `variables:\n  a: $[ counter('x', 1) ]\nsteps:\n${TASK}`, /p\.yml:2 \(variables\.a\): runtime expressions \('\$\[ \.\.\. \]'\) are not supported/],
    ['two jobs', `jobs:\n  - job: a\n    steps: []\n  - job: b\n    steps: []\n`, /pipelines with 2 jobs are not supported.*exactly one job/],
    ['a deployment job', `jobs:\n  - deployment: a\n    environment: prod\n`, /p\.yml:2 \(jobs\[0\]\.deployment\): deployment jobs are not supported/],
    ['a matrix', `jobs:\n  - job: a\n    strategy:\n      matrix: {}\n    steps: []\n`, /job strategies \(matrix, parallel\) are not supported/],
    ['retryCountOnTaskFailure', `steps:\n${TASK}    retryCountOnTaskFailure: 2\n`, /retryCountOnTaskFailure is not supported/],
    ['an unknown step key', `steps:\n${TASK}    frobnicate: 1\n`, /the step key 'frobnicate' is not supported/],
    ['version 2 of a task', `steps:\n  - task: DeployToAci@2\n`, /the task 'DeployToAci@2' does not exist; the only major version is 1/],
    ['a repeated step name', `steps:\n${TASK}    name: a\n${TASK}    name: A\n`, /step name 'A' is used twice/],
    ['a bad step name', `steps:\n${TASK}    name: my-step\n`, /step name 'my-step' must start with a letter/],
    ['no steps', `trigger: none\n`, /no steps found/],
    ['invalid YAML', `steps:\n  - task: [\n`, /^p\.yml:\d+ is not valid YAML/],
  ];
  for (const [feature, yaml, message] of refusals) {
    it(`refuses ${feature}, naming it and where it is`, () => assert.match(refusal(yaml), message));
  }

  it('ignores a disabled step and says so', () => {
    const pipeline = parsePipeline(`steps:\n${TASK}${TASK}    enabled: false\n`, 'p.yml');
    assert.equal(pipeline.steps.length, 1);
    assert.deepEqual(pipeline.ignored, ['steps[1] (SmokeTestModel@1: enabled is false)']);
  });
});
