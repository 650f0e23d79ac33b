import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePipeline } from '../../../scripts/pipeline/parse';
import { changes, scaledOutAndBack, timelineLines, watchedDeployments } from '../../../scripts/pipeline/replica-timeline';

const samples = [
  { atInMs: 0, desired: 1, ready: 0 },
  { atInMs: 1000, desired: 1, ready: 1 },
  { atInMs: 2000, desired: 1, ready: 1 },
  { atInMs: 9000, desired: 3, ready: 1 },
  { atInMs: 12_000, desired: 3, ready: 3 },
  { atInMs: 40_000, desired: 1, ready: 1 },
];

describe('demo: replicas over time', () => {
  it('finds the autoscaled deployments of examples/aks-pipelines.yml', () => {
    const file = path.join(__dirname, '..', '..', '..', 'examples', 'aks-pipelines.yml');
    const pipeline = parsePipeline(fs.readFileSync(file, 'utf8'), 'aks-pipelines.yml');
    const variables = Object.fromEntries(pipeline.variables.map((variable) => [variable.name, variable.value]));
    assert.deepEqual(watchedDeployments(pipeline.steps, variables), [{ cluster: 'aks-models', namespace: 'default', name: 'iris', minReplicas: 1 }]);
  });

  it('keeps the changes, tells a scale-out followed by a scale-in, and marks the load', () => {
    assert.deepEqual(changes(samples).map((sample) => sample.atInMs), [0, 1000, 9000, 12_000, 40_000]);
    assert.equal(scaledOutAndBack(samples, 1), true);
    assert.equal(scaledOutAndBack(samples.slice(0, 5), 1), false, 'not back down yet');
    assert.equal(scaledOutAndBack(samples.slice(0, 3), 1), false, 'never scaled out');
    assert.deepEqual(timelineLines(samples, { fromInMs: 5000, toInMs: 20_000 }), [
      '   +0.0 s  ○      0 ready of 1',
      '   +1.0 s  ●      1 ready of 1',
      '   +9.0 s  ●○○    1 ready of 3  (under load)',
      '  +12.0 s  ●●●    3 ready of 3  (under load)',
      '  +40.0 s  ●      1 ready of 1',
    ]);
  });
});
