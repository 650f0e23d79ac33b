import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerInstanceSchema } from '../../../emulator/aci/spec/schema-validation';
import { containerInstanceSchemaOf } from '../../../emulator/aci/spec/schema-versions';

const SPEC_FOLDER = join(__dirname, '../../../emulator/aci/spec');

describe('emulator aci: schema validation', () => {
  const schema = containerInstanceSchema();

  it('accepts every request body and container group response of the official examples', () => {
    let checked = 0;
    for (const folder of ['examples-2023-05-01', 'examples-2026-05-01']) {
      for (const file of readdirSync(join(SPEC_FOLDER, folder))) {
        const example = JSON.parse(readFileSync(join(SPEC_FOLDER, folder, file), 'utf8')) as {
          parameters: { containerGroup?: unknown };
          responses: Record<string, { body?: { properties?: unknown } }>;
        };
        if (example.parameters.containerGroup) {
          assert.equal(schema.validate('ContainerGroup', example.parameters.containerGroup), undefined, `${folder}/${file} request`);
          checked++;
        }
        for (const [status, response] of Object.entries(example.responses)) {
          if (!response.body?.properties) continue;
          assert.equal(schema.validateResponse('ContainerGroup', response.body), undefined, `${folder}/${file} ${status}`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 10, `only ${checked} bodies checked`);
  });

  it('reads every 2026-05-01 example, requests and responses (groups, capabilities, logs), as valid by the 2026-05-01 schema', () => {
    const newest = containerInstanceSchemaOf('2026-05-01');
    const definitionOf = (file: string): string => (file.startsWith('Capabilities') ? 'CapabilitiesListResult' : file.startsWith('ContainerListLogs') ? 'Logs' : 'ContainerGroup');
    let checked = 0;
    for (const file of readdirSync(join(SPEC_FOLDER, 'examples-2026-05-01'))) {
      const example = JSON.parse(readFileSync(join(SPEC_FOLDER, 'examples-2026-05-01', file), 'utf8')) as {
        parameters: { containerGroup?: unknown };
        responses: Record<string, { body?: unknown }>;
      };
      if (example.parameters.containerGroup) {
        assert.equal(newest.validate('ContainerGroup', example.parameters.containerGroup), undefined, `${file} request`);
        checked++;
      }
      for (const [status, response] of Object.entries(example.responses)) {
        if (response.body === undefined) continue;
        assert.equal(newest.validateResponse(definitionOf(file), response.body), undefined, `${file} ${status}`);
        checked++;
      }
    }
    assert.ok(checked >= 9, `only ${checked} bodies checked`);
    assert.match(newest.validate('ContainerGroup', { location: 'westeurope', properties: {} }) ?? '', /Required property 'containers'/, 'the schema is really applied');
  });

  it('refuses a body without osType, naming the path', () => {
    const problem = schema.validate('ContainerGroup', { location: 'westeurope', properties: { containers: [] } });
    assert.equal(problem, "The request content was invalid and could not be deserialized: 'Required property 'osType' not found in JSON. Path 'properties'.'.");
  });

  it('refuses a wrong type deep in a container', () => {
    const problem = schema.validate('ContainerGroup', {
      location: 'westeurope',
      properties: { osType: 'Linux', containers: [{ name: 'a', properties: { image: 'x', resources: { requests: { cpu: 'one', memoryInGB: 1 } } } }] },
    });
    assert.match(problem ?? '', /Path 'properties\.containers\[0\]\.properties\.resources\.requests\.cpu'/);
  });
});
