import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { INPUT } from '../../../tasks/BuildAndPushAiImageV1/src/inputs';

const root = path.resolve(__dirname, '../../..');
const taskJson = JSON.parse(fs.readFileSync(path.join(root, 'tasks/BuildAndPushAiImageV1/task.json'), 'utf8')) as {
  inputs: { name: string; type: string; visibleRule?: string; groupName?: string; defaultValue?: string; options?: Record<string, string> }[];
  groups: { name: string }[];
  outputVariables: { name: string }[];
  execution: Record<string, { target: string }>;
  minimumAgentVersion: string;
  dataSourceBindings: { target: string; endpointUrl: string }[];
};
const schemaPath = path.resolve(root, '..', 'shared/specs/azure-devops/tasks.schema.json');
const fallbackSchemaPath = '/work/shared/specs/azure-devops/tasks.schema.json';

describe('BuildAndPushAiImage task.json', () => {
  it('validates against the official task schema', () => {
    const file = fs.existsSync(schemaPath) ? schemaPath : fallbackSchemaPath;
    assert.ok(fs.existsSync(file), `The task schema is missing: ${schemaPath}`);
    // The schema is draft-04; its keywords used here mean the same to Ajv 8, which lacks the draft-04 meta-schema.
    const { $schema: _draft, id: _id, ...schema } = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(taskJson), JSON.stringify(validate.errors, null, 2));
    assert.equal(validate({ ...taskJson, category: 'Models' }), false, 'the schema check must be able to fail');
  });

  it('declares exactly the inputs that inputs.ts reads', () => {
    assert.deepEqual(taskJson.inputs.map((input) => input.name).sort(), Object.values(INPUT).sort());
  });

  it('puts every input in a declared group and shows connection inputs only for their connection type', () => {
    const groups = new Set(taskJson.groups.map((group) => group.name));
    for (const input of taskJson.inputs) assert.ok(input.groupName && groups.has(input.groupName), `${input.name} has no known group`);
    const rule = (name: string) => taskJson.inputs.find((input) => input.name === name)?.visibleRule;
    assert.equal(rule(INPUT.azureSubscription), 'connectionType = azureRM');
    assert.equal(rule(INPUT.azureContainerRegistry), 'connectionType = azureRM');
    assert.equal(rule(INPUT.dockerRegistryServiceConnection), 'connectionType = dockerRegistry');
  });

  it('has the outputs, handlers and registry picker the pipeline relies on', () => {
    assert.deepEqual(taskJson.outputVariables.map((output) => output.name), ['imageRepository', 'imageTags', 'imageDigest', 'imageUri']);
    assert.deepEqual(Object.keys(taskJson.execution).sort(), ['Node20_1', 'Node24']);
    for (const handler of Object.values(taskJson.execution)) assert.equal(handler.target, 'dist/index.js');
    assert.equal(taskJson.minimumAgentVersion, '3.232.1');
    const binding = taskJson.dataSourceBindings.find((b) => b.target === INPUT.azureContainerRegistry);
    assert.match(binding?.endpointUrl ?? '', /^\{\{\{endpoint\.url\}\}\}subscriptions\/\{\{\{endpoint\.subscriptionId\}\}\}\/providers\/Microsoft\.ContainerRegistry\/registries\?api-version=/);
  });

  it('uses triple braces for endpoint fields in data source URLs (double braces HTML-escape the value)', () => {
    for (const binding of taskJson.dataSourceBindings) {
      const fields = binding.endpointUrl.match(/\{+endpoint\.[A-Za-z]+\}+/g) ?? [];
      assert.ok(fields.length > 0);
      for (const field of fields) assert.match(field, /^\{\{\{endpoint\.[A-Za-z]+\}\}\}$/, `${binding.target}: ${field}`);
    }
  });

  it('has visible rules that name existing inputs and values they can take', () => {
    const byName = new Map(taskJson.inputs.map((input) => [input.name, input]));
    for (const input of taskJson.inputs.filter((i) => i.visibleRule !== undefined)) {
      for (const clause of (input.visibleRule ?? '').split(/&&|\|\|/)) {
        const match = /^\s*(\w+)\s*(=|==|!=)\s*(\S+)\s*$/.exec(clause);
        assert.ok(match, `${input.name}: cannot read '${clause}'`);
        const [, name = '', , value = ''] = match;
        const target = byName.get(name);
        assert.ok(target, `${input.name}: the visible rule names '${name}', which is no input`);
        const allowed = target.type === 'boolean' ? ['true', 'false'] : Object.keys(target.options ?? {});
        assert.ok(allowed.includes(value), `${input.name}: '${name}' cannot be '${value}' (it takes ${allowed.join(', ')})`);
      }
    }
  });
});
