import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { TASK_FOLDERS, macroReferences, readTaskDefinition, visibleRuleInputs } from './task-definitions';

/**
 * tasks.schema.json here is a verbatim copy of azure-pipelines-task-lib's official schema. It is draft-04;
 * Ajv 8 reads it once `id` is spelled `$id` and `$schema` is dropped.
 */
function loadSchema(): object {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'tasks.schema.json'), 'utf8')) as Record<string, unknown>;
  const { $schema: _draft, id, ...rest } = schema;
  return { ...rest, $id: id };
}

const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
const validate = ajv.compile(loadSchema());

describe('task.json files', () => {
  it('are checked by a schema that rejects what it should (a bad id, a name with spaces, an unknown field)', () => {
    assert.equal(validate({ id: 'not-a-guid' }), false);
    assert.equal(validate({ name: 'has spaces' }), false);
    assert.equal(validate({ unknownField: true }), false);
    assert.equal(validate({ inputs: [{ name: 'a', label: 'A', type: 'string', validation: {} }] }), false);
  });

  it('have distinct task ids and names', () => {
    const definitions = TASK_FOLDERS.map(readTaskDefinition);
    assert.equal(new Set(definitions.map((d) => d.id.toLowerCase())).size, definitions.length);
    assert.equal(new Set(definitions.map((d) => d.name)).size, definitions.length);
  });

  for (const folder of TASK_FOLDERS) {
    describe(folder, () => {
      const task = (): ReturnType<typeof readTaskDefinition> => readTaskDefinition(folder);
      const inputNames = (): Set<string> => new Set((task().inputs ?? []).map((input) => input.name));

      it('validates against the official tasks.schema.json', () => {
        const valid = validate(task());
        assert.ok(valid, `schema errors:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
      });

      it('is named after its folder, with the major version of its folder', () => {
        assert.equal(`${task().name}V${task().version.Major}`, folder);
        assert.ok(task().friendlyName.length <= 40, `friendlyName '${task().friendlyName}' is longer than 40 characters`);
        assert.ok((task().instanceNameFormat ?? '').trim() !== '', 'instanceNameFormat is empty');
      });

      it('runs on Node20_1 and Node24 from dist/index.js, agent 3.232.1 or later', () => {
        const execution = task().execution ?? {};
        assert.deepEqual(Object.keys(execution).sort(), ['Node20_1', 'Node24']);
        assert.equal(execution.Node20_1?.target, 'dist/index.js');
        assert.equal(execution.Node24?.target, 'dist/index.js');
        assert.equal(task().minimumAgentVersion, '3.232.1');
      });

      it('labels and explains every input, with distinct names and aliases', () => {
        const names: string[] = [];
        for (const input of task().inputs ?? []) {
          assert.ok((input.label ?? '').trim() !== '', `input '${input.name}' has no label`);
          assert.ok((input.helpMarkDown ?? '').trim() !== '', `input '${input.name}' has no helpMarkDown`);
          names.push(input.name.toLowerCase(), ...(input.aliases ?? []).map((alias) => alias.toLowerCase()));
        }
        assert.deepEqual(names.filter((name, index) => names.indexOf(name) !== index), [], 'duplicate input names or aliases');
      });

      it('puts inputs only in declared groups', () => {
        const groups = new Set((task().groups ?? []).map((group) => group.name));
        for (const input of task().inputs ?? []) {
          if (input.groupName !== undefined) assert.ok(groups.has(input.groupName), `input '${input.name}' is in undeclared group '${input.groupName}'`);
        }
      });

      it('makes visibility depend only on inputs that exist', () => {
        for (const input of task().inputs ?? []) {
          for (const referenced of visibleRuleInputs(input.visibleRule ?? '')) {
            if (input.visibleRule === undefined) continue;
            assert.ok(inputNames().has(referenced), `input '${input.name}' visibleRule '${input.visibleRule}' refers to '${referenced}', which is not an input`);
          }
        }
      });

      it("writes visibility rules in the editor's own form: `input op value` joined by && or ||, plain values, no quotes", () => {
        const clause = /^[A-Za-z][A-Za-z0-9_]*\s*(=|!=|<|>|<=|>=|Contains|NotContains|EndsWith|NotEndsWith|StartsWith|NotStartsWith)\s*[A-Za-z0-9_.\-/]+$/;
        for (const input of task().inputs ?? []) {
          if (input.visibleRule === undefined) continue;
          assert.ok(!(input.visibleRule.includes('&&') && input.visibleRule.includes('||')), `input '${input.name}': a rule mixes && and ||`);
          for (const part of input.visibleRule.split(/&&|\|\|/)) {
            assert.match(part.trim(), clause, `input '${input.name}' visibleRule '${input.visibleRule}'`);
          }
        }
      });

      it('gives pick lists and radios options that include their default', () => {
        for (const input of task().inputs ?? []) {
          if (input.type !== 'pickList' && input.type !== 'radio') continue;
          const editable = input.properties?.EditableOptions === 'True';
          assert.ok(editable || Object.keys(input.options ?? {}).length > 0, `input '${input.name}' has no options`);
          if (input.defaultValue !== undefined && input.defaultValue !== '' && !editable) {
            assert.ok(String(input.defaultValue) in (input.options ?? {}), `input '${input.name}' defaults to '${String(input.defaultValue)}', which is not an option`);
          }
        }
      });

      it('declares its output variables with descriptions', () => {
        const outputs = task().outputVariables ?? [];
        assert.ok(outputs.length > 0, 'no outputVariables');
        for (const output of outputs) assert.ok((output.description ?? '').trim() !== '', `output variable '${output.name}' has no description`);
      });

      it('uses triple braces for endpoint fields in data source URLs (double braces HTML-escape the value)', () => {
        for (const binding of task().dataSourceBindings ?? []) {
          for (const field of (binding.endpointUrl ?? '').match(/\{+endpoint\.[A-Za-z]+\}+/g) ?? []) {
            assert.match(field, /^\{\{\{endpoint\.[A-Za-z]+\}\}\}$/, `dataSourceBinding for '${binding.target ?? ''}': ${field}`);
          }
        }
      });

      it('binds data sources only to inputs that exist', () => {
        for (const binding of task().dataSourceBindings ?? []) {
          assert.ok(binding.target !== undefined && inputNames().has(binding.target), `dataSourceBinding targets '${binding.target ?? ''}', which is not an input`);
          const references = [binding.endpointId ?? '', ...Object.values(binding.parameters ?? {})].flatMap(macroReferences);
          for (const reference of references) assert.ok(inputNames().has(reference), `dataSourceBinding for '${binding.target}' refers to '$(${reference})', which is not an input`);
        }
      });
    });
  }
});
