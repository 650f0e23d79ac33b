import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentInputs, expandMacros } from '../../../scripts/agent/agent-inputs';

describe('agentInputs (the inputs the agent gives a task)', () => {
  let taskJson: string;
  before(() => {
    taskJson = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-inputs-')), 'task.json');
    fs.writeFileSync(
      taskJson,
      JSON.stringify({
        inputs: [
          { name: 'azureSubscription', aliases: ['azureResourceManagerConnection'], type: 'connectedService:AzureRM' },
          { name: 'tags', type: 'multiLine', defaultValue: '$(Build.BuildId)' },
          { name: 'push', type: 'boolean', defaultValue: true },
        ],
      }),
    );
  });
  after(() => fs.rmSync(path.dirname(taskJson), { recursive: true, force: true }));

  it("fills task.json defaults, maps aliases to the input's name and expands macros", () => {
    assert.deepEqual(agentInputs(taskJson, { AzureResourceManagerConnection: 'conn', extra: '$(unknown)' }, { 'build.buildId': '42' }), {
      azureSubscription: 'conn',
      tags: '42',
      push: 'true',
      extra: '$(unknown)',
    });
  });

  it('lets the step override a default', () => {
    assert.equal(agentInputs(taskJson, { push: 'false' }, {}).push, 'false');
  });
});

describe('expandMacros', () => {
  it('expands known variables case-insensitively and keeps unknown macros', () => {
    assert.equal(expandMacros('$(image.imageUri) on $(Agent.OS) $(nope)', { 'Image.ImageUri': 'r/m@sha256:1', 'agent.os': 'Linux' }), 'r/m@sha256:1 on Linux $(nope)');
  });
});
