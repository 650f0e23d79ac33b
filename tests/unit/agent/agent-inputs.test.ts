import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentInputs, expandMacros, rootFilePath } from '../../../scripts/agent/agent-inputs';

describe('agentInputs (the inputs the agent gives a task; TaskRunner.cs RunAsync)', () => {
  let taskJson: string;
  const sources = '/agent/_work/1/s';
  before(() => {
    taskJson = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-inputs-')), 'task.json');
    fs.writeFileSync(
      taskJson,
      JSON.stringify({
        inputs: [
          { name: 'azureSubscription', aliases: ['azureResourceManagerConnection'], type: 'connectedService:AzureRM' },
          { name: 'tags', type: 'multiLine', defaultValue: '$(Build.BuildId)' },
          { name: 'push', type: 'boolean', defaultValue: true },
          { name: 'padded', type: 'string', defaultValue: '  value  ' },
          { name: 'noDefault', type: 'string' },
          { name: 'dockerfile', type: 'filePath', defaultValue: 'Dockerfile' },
          { name: 'context', type: 'filePath', defaultValue: '' },
          { name: 'certificate', type: 'filePath' },
        ],
      }),
    );
  });
  after(() => fs.rmSync(path.dirname(taskJson), { recursive: true, force: true }));

  it("fills task.json defaults, maps aliases to the input's name and expands macros", () => {
    const inputs = agentInputs(taskJson, { AzureResourceManagerConnection: 'conn', extra: '$(unknown)' }, { 'build.buildId': '42' }, sources);
    assert.equal(inputs.azureSubscription, 'conn');
    assert.equal(inputs.tags, '42');
    assert.equal(inputs.push, 'true');
    assert.equal(inputs.extra, '$(unknown)');
  });

  it('lets the step override a default', () => {
    assert.equal(agentInputs(taskJson, { push: 'false' }, {}, sources).push, 'false');
  });

  it('sets every declared input, to an empty string when it has no default (LoadDefaultInputs)', () => {
    const inputs = agentInputs(taskJson, {}, {}, sources);
    assert.equal(inputs.noDefault, '');
    assert.ok(Object.prototype.hasOwnProperty.call(inputs, 'noDefault'));
  });

  it('trims defaults and step inputs (LoadDefaultInputs, instance inputs)', () => {
    assert.equal(agentInputs(taskJson, {}, {}, sources).padded, 'value');
    assert.equal(agentInputs(taskJson, { tags: '\n  v1\n v2  \n' }, {}, sources).tags, 'v1\n v2');
  });

  it('roots every filePath input (TranslateFilePathInput): empty becomes the sources folder, relative is joined to it', () => {
    const inputs = agentInputs(taskJson, { certificate: 'certs/ca.pem' }, {}, sources);
    assert.equal(inputs.dockerfile, `${sources}/Dockerfile`);
    assert.equal(inputs.context, sources);
    assert.equal(inputs.certificate, `${sources}/certs/ca.pem`);
    assert.equal(agentInputs(taskJson, { context: '  ' }, {}, sources).context, sources);
    assert.equal(agentInputs(taskJson, { context: '/abs/./dir' }, {}, sources).context, '/abs/dir');
    assert.equal(agentInputs(taskJson, { context: '$(Build.SourcesDirectory)/app' }, { 'Build.SourcesDirectory': sources }, sources).context, `${sources}/app`);
  });

  it('keeps a "**" sentinel as a path under the root (what Docker@2 compares against)', () => {
    assert.equal(rootFilePath('**', sources), `${sources}/**`);
  });
});

describe('expandMacros', () => {
  it('expands known variables case-insensitively and keeps unknown macros', () => {
    assert.equal(expandMacros('$(image.imageUri) on $(Agent.OS) $(nope)', { 'Image.ImageUri': 'r/m@sha256:1', 'agent.os': 'Linux' }), 'r/m@sha256:1 on Linux $(nope)');
  });
});
