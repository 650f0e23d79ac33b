import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';

const TASK_JSON = path.join(__dirname, '../../../tasks/DeployToAciV1/task.json');
const SCHEMA = '/work/shared/specs/azure-devops/tasks.schema.json';

interface TaskInput {
  name: string;
  type: string;
  defaultValue?: string;
  visibleRule?: string;
  groupName?: string;
  options?: Record<string, string>;
}

describe('DeployToAci task.json', () => {
  const task = JSON.parse(fs.readFileSync(TASK_JSON, 'utf8')) as Record<string, unknown> & {
    inputs: TaskInput[];
    groups: { name: string }[];
    outputVariables: { name: string }[];
    execution: Record<string, { target: string }>;
    dataSourceBindings: { target: string }[];
  };

  it('validates against the official tasks.schema.json', () => {
    // The schema is draft-04 ('id' instead of '$id'); its keywords are otherwise the ones Ajv knows.
    const { id: _id, $schema: _schema, ...schema } = JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
    const validate = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }).compile(schema);
    assert.ok(validate(task), JSON.stringify(validate.errors, null, 2));
  });

  it('is the Deploy task with both Node handlers on the bundle', () => {
    assert.equal(task.name, 'DeployToAci');
    assert.equal(task.category, 'Deploy');
    assert.deepEqual(task.version, { Major: 1, Minor: 0, Patch: 0 });
    assert.equal(task.minimumAgentVersion, '3.232.1');
    assert.deepEqual(Object.keys(task.execution).sort(), ['Node20_1', 'Node24']);
    for (const handler of Object.values(task.execution)) assert.equal(handler.target, 'dist/index.js');
  });

  it('puts every input in a declared group, with help, and visible rules that name real inputs', () => {
    const names = new Set(task.inputs.map((i) => i.name));
    const groups = new Set(task.groups.map((g) => g.name));
    for (const input of task.inputs) {
      assert.ok(input.groupName && groups.has(input.groupName), `${input.name} has no valid group`);
      assert.ok((input as { helpMarkDown?: string }).helpMarkDown, `${input.name} has no help`);
      for (const referenced of (input.visibleRule ?? '').match(/[A-Za-z]+(?=\s*(=|!=))/g) ?? []) assert.ok(names.has(referenced), `${input.name}: ${referenced}`);
      if (input.type === 'pickList' && input.defaultValue) assert.ok(input.options === undefined || input.defaultValue in input.options, input.name);
    }
    for (const binding of task.dataSourceBindings) assert.ok(names.has(binding.target));
  });

  it('declares the outputs the next task and users read', () => {
    const outputs = task.outputVariables.map((o) => o.name);
    for (const name of ['containerGroupId', 'fqdn', 'ipAddress', 'url', 'state', 'imageDigest']) assert.ok(outputs.includes(name), name);
  });
});
