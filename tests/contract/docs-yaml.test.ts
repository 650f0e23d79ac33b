import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCUMENTED_TASKS, type DocStep, checkDeclaredInputs, extractYamlBlocks, stepsOf } from './docs-yaml';
import { checkInputValues } from './docs-yaml-values';
import { ROOT, type TaskDefinition, readTaskDefinition } from './task-definitions';

/** The pages pipeline authors copy YAML from. */
function documentationPages(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
  return ['README.md', 'overview.md', ...docs];
}

function definitionOf(step: DocStep): TaskDefinition {
  return readTaskDefinition(DOCUMENTED_TASKS[step.task]);
}

/** Every problem of one markdown page: YAML that does not parse, blocks with no step to check, inputs and values the task refuses. */
function problemsOf(file: string, markdown: string): string[] {
  const problems: string[] = [];
  for (const block of extractYamlBlocks(file, markdown)) {
    const { steps, problems: parseProblems } = stepsOf(block);
    problems.push(...parseProblems);
    if (parseProblems.length === 0 && steps.length === 0) {
      problems.push(`${block.where}: a yaml block with no step of this extension's tasks; write the whole step so that it can be checked.`);
    }
    for (const step of steps) {
      const declared = checkDeclaredInputs(step, definitionOf(step));
      problems.push(...declared, ...(declared.length === 0 ? checkInputValues(step, definitionOf(step)) : []));
    }
  }
  return problems;
}

function page(yaml: string): string {
  return `# A page\n\nSome text.\n\n\`\`\`yaml\n${yaml}\n\`\`\`\n`;
}

describe('YAML in the documentation (README.md, overview.md, docs/*.md)', () => {
  for (const file of documentationPages()) {
    it(`${file}: every step uses declared inputs with values its task accepts`, () => {
      const markdown = fs.readFileSync(path.join(ROOT, file), 'utf8');
      assert.deepEqual(problemsOf(file, markdown), []);
    });
  }

  it('README.md and overview.md hold steps of every task', () => {
    for (const file of ['README.md', 'overview.md']) {
      const blocks = extractYamlBlocks(file, fs.readFileSync(path.join(ROOT, file), 'utf8'));
      const tasks = new Set(blocks.flatMap((block) => stepsOf(block).steps.map((step) => step.task)));
      assert.deepEqual([...tasks].sort(), Object.keys(DOCUMENTED_TASKS).sort(), file);
    }
  });

  it("README.md's quick start is examples/azure-pipelines.yml as it is (without its opening comment)", () => {
    const [quickStart] = extractYamlBlocks('README.md', fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    const example = fs.readFileSync(path.join(ROOT, 'examples', 'azure-pipelines.yml'), 'utf8').replace(/^(#.*\n|\n)*/, '');
    assert.equal(`${quickStart?.text ?? ''}\n`, example);
  });

  describe('the check itself', () => {
    it('accepts a correct step, aliases, $(macros) in pick lists and free values in editable pick lists', () => {
      const yaml = [
        'variables:',
        '  registry: crmodels',
        'steps:',
        '  - task: BuildAndPushAiImage@1',
        '    inputs:',
        '      azureResourceManagerConnection: azure-models',
        '      azureContainerRegistry: $(registry)',
        '      repository: models/iris',
        '      platform: linux/riscv64',
        '      connectionType: $(connectionKind)',
        '      push: false',
      ].join('\n');
      const [block] = extractYamlBlocks('page.md', page(yaml));
      assert.ok(block);
      const [step] = stepsOf(block).steps;
      assert.ok(step);
      assert.deepEqual(checkDeclaredInputs(step, definitionOf(step)), []);
    });

    it('names an undeclared input, a value outside a pick list, a boolean that is not one, and a wrong major version', () => {
      const yaml = [
        '- task: DeployToAci@1',
        '  inputs:',
        '    azureSubscription: azure-models',
        '    resourceGroupName: rg-models',
        '    updateMode: recreate',
        '    waitForReady: yes',
        '- task: SmokeTestModel@2',
        '  inputs:',
        '    url: http://localhost:8080',
      ].join('\n');
      assert.deepEqual(problemsOf('page.md', page(yaml)), [
        "page.md:6 step 1 (DeployToAci@1): input 'resourceGroupName' is not declared in tasks/DeployToAciV1/task.json.",
        "page.md:6 step 1 (DeployToAci@1): input 'updateMode' is 'recreate', not one of 'update', 'recreateIfRequired', 'alwaysRecreate'.",
        "page.md:6 step 1 (DeployToAci@1): input 'waitForReady' is 'yes', not 'true' or 'false'.",
        'page.md:6 step 2 (SmokeTestModel@2): SmokeTestModel has version 1, not 2.',
      ]);
    });

    it("reports a value the task's own input reading refuses, with the task's message", () => {
      const yaml = ['- task: DeployToAci@1', '  inputs:', '    azureSubscription: azure-models', '    resourceGroup: rg-models', '    containerGroupName: iris', "    timeoutInMinutes: '0.1'"].join('\n');
      const problems = problemsOf('page.md', page(yaml));
      assert.equal(problems.length, 1);
      assert.match(problems[0] ?? '', /^page\.md:6 step 1 \(DeployToAci@1\): the task refuses it: Input 'timeoutInMinutes'.*0\.1/);
    });

    it('expands macros from the block, predefined variables and step outputs, and names unknown ones', () => {
      const known = ['variables:', "  version: 'v$(Build.BuildId)'", 'steps:', '- task: DeployToAci@1', '  inputs:', '    azureSubscription: azure-models', '    resourceGroup: rg-models', '    containerGroupName: iris-$(version)', '    image: $(image.imageUri)'].join('\n');
      assert.deepEqual(problemsOf('page.md', page(known)), []);
      const unknown = known.replace('$(image.imageUri)', '$(someImage)');
      assert.deepEqual(problemsOf('page.md', page(unknown)), [
        "page.md:6 step 1 (DeployToAci@1): unknown variable $(someImage); define it in the block's 'variables:' or as an example value in tests/contract/docs-yaml-values.ts.",
      ]);
    });

    it('refuses YAML that does not parse and a block with no step to check', () => {
      const problems = [...problemsOf('a.md', page('steps:\n  - task: [unclosed')), ...problemsOf('b.md', page('    updateMode: recreateIfRequired'))];
      assert.equal(problems.length, 2);
      assert.match(problems[0] ?? '', /^a\.md:6: not valid YAML/);
      assert.match(problems[1] ?? '', /^b\.md:6: a yaml block with no step/);
    });
  });
});
