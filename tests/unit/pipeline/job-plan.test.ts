import assert from 'node:assert/strict';
import { expandNested, planJob } from '../../../scripts/pipeline/job-plan';
import { parsePipeline } from '../../../scripts/pipeline/parse';

const PIPELINE = parsePipeline(
  [
    'variables:',
    '  baseImage: node:20-slim',
    '  version: 1.0.$(Build.BuildId)',
    '  label: v$(version)',
    'steps:',
    '  - task: SmokeTestModel@1',
    '    name: smoke',
    '    continueOnError: true',
    '    timeoutInMinutes: 1.5',
    '    env:',
    '      EXTRA: $(label)',
    '    inputs:',
    '      url: $(deploy.url)',
  ].join('\n'),
  'p.yml',
);

describe('local pipeline runner: job plan', () => {
  it('lets the runner override YAML variables and --var override both', () => {
    const plan = planJob(PIPELINE, { runnerVariables: { baseImage: 'local/base:20', containerRegistry: 'crlocal' }, variables: { containerRegistry: 'mine' }, secrets: { key: 's' } });
    assert.equal(plan.variables['baseImage'], 'local/base:20');
    assert.equal(plan.variables['containerRegistry'], 'mine');
    assert.deepEqual(plan.secretVariables, { key: 's' });
    assert.deepEqual(plan.overridden, [
      { name: 'baseImage', value: 'local/base:20', by: 'runner' },
      { name: 'containerRegistry', value: 'mine', by: '--var' },
    ]);
  });

  it('expands variables that use other variables, leaving unknown ones for the agent', () => {
    const plan = planJob(PIPELINE, { runnerVariables: {}, variables: {}, secrets: {} });
    assert.equal(plan.variables['label'], 'v1.0.$(Build.BuildId)');
    assert.deepEqual(expandNested({ a: '$(b)', b: '$(c)', c: 'x', self: '$(self)' }), { a: 'x', b: 'x', c: 'x', self: '$(self)' });
  });

  it('turns steps into the agent job steps: name, task, inputs, env, timeout and continueOnError', () => {
    const [step] = planJob(PIPELINE, { runnerVariables: {}, variables: {}, secrets: {} }).steps;
    assert.deepEqual(step, { name: 'smoke', task: 'SmokeTestModelV1', inputs: { url: '$(deploy.url)' }, env: { EXTRA: '$(label)' }, timeoutInMs: 90_000, continueOnError: true });
  });
});
