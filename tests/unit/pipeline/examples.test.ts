// Every example pipeline is one the local runner accepts, and uses only inputs its tasks declare.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePipeline } from '../../../scripts/pipeline/parse';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((file) => file.endsWith('.yml'));

function declaredInputs(task: string): Set<string> {
  const taskJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'tasks', task, 'task.json'), 'utf8')) as { inputs: { name: string; aliases?: string[] }[] };
  return new Set(taskJson.inputs.flatMap((input) => [input.name, ...(input.aliases ?? [])]));
}

describe('examples/*.yml', () => {
  it('has the main example and at least one more scenario', () => {
    assert.ok(EXAMPLES.includes('azure-pipelines.yml'));
    assert.ok(EXAMPLES.length >= 2, EXAMPLES.join(', '));
  });

  for (const file of EXAMPLES) {
    it(`${file}: accepted by the local runner, every input declared by its task`, () => {
      const pipeline = parsePipeline(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'), file);
      for (const step of pipeline.steps) {
        const declared = declaredInputs(step.task);
        for (const input of Object.keys(step.inputs)) assert.ok(declared.has(input), `${step.where}: ${step.reference} declares no input '${input}'`);
      }
    });
  }

  it('azure-pipelines.yml passes outputs on with $(step.variable) and builds with BASE_IMAGE=$(baseImage), default node:20-slim', () => {
    const pipeline = parsePipeline(fs.readFileSync(path.join(ROOT, 'examples', 'azure-pipelines.yml'), 'utf8'), 'azure-pipelines.yml');
    const [image, deploy, smoke] = pipeline.steps;
    assert.equal(pipeline.variables.find((variable) => variable.name === 'baseImage')?.value, 'node:20-slim');
    assert.match(image?.inputs['buildArguments'] ?? '', /^BASE_IMAGE=\$\(baseImage\)$/m);
    assert.equal(image?.inputs['dockerfile'], 'examples/model-app/Dockerfile');
    assert.equal(deploy?.inputs['image'], `$(${image?.name ?? ''}.imageUri)`);
    assert.match(deploy?.inputs['environmentVariables'] ?? '', /^MODEL_LOAD_DELAY_SECONDS=\d+$/m);
    assert.ok(deploy?.inputs['readinessProbePath']);
    assert.equal(smoke?.inputs['url'], undefined, 'the smoke test should show the url default');
    assert.equal(smoke?.inputs['protocol'], 'openInference');
    assert.match(smoke?.inputs['testRunTitle'] ?? '', /\$\(image\.imageDigest\)/);
  });
});
