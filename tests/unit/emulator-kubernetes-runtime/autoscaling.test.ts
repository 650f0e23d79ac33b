import assert from 'node:assert/strict';
import { MetricsError, resourceReplicas, type PodSample } from '../../../emulator/kubernetes/autoscaling/replica-calculator';
import { resolveRules, ScalingHistory } from '../../../emulator/kubernetes/autoscaling/scaling-behavior';

const pod = (name: string, usage: number | undefined, extra: Partial<PodSample> = {}): PodSample => ({ name, usage, request: 100, unready: false, ignored: false, ...extra });

describe('emulator kubernetes: HPA algorithm (replica_calculator.go, horizontal.go)', () => {
  it('scales by the usage ratio, ceil(ratio x ready pods)', () => {
    assert.equal(resourceReplicas(1, 50, 'cpu', [pod('a', 200)]).replicas, 4);
    assert.equal(resourceReplicas(3, 50, 'cpu', [pod('a', 10), pod('b', 0), pod('c', 5)]).replicas, 1);
    const result = resourceReplicas(2, 50, 'cpu', [pod('a', 80), pod('b', 40)]);
    assert.equal(result.utilization, 60);
    assert.equal(result.rawAverage, 60);
    assert.equal(result.replicas, 3);
  });

  it('keeps the count within the 10 % tolerance', () => {
    assert.equal(resourceReplicas(2, 50, 'cpu', [pod('a', 54), pod('b', 54)]).replicas, 2);
    assert.equal(resourceReplicas(2, 50, 'cpu', [pod('a', 56), pod('b', 56)]).replicas, 3);
  });

  it('assumes 0 for unready pods on scale-up and 100 % for missing ones on scale-down', () => {
    // ratio 4 from the ready pod; the unready one at 0 halves it: ceil(2 x 2) = 4.
    assert.equal(resourceReplicas(2, 50, 'cpu', [pod('a', 200), pod('b', 300, { unready: true })]).replicas, 4);
    // scale-down with a missing pod counted at 100 % of request: (10 + 100) / 200 = 55 % -> within tolerance of 50 %: no change.
    assert.equal(resourceReplicas(2, 50, 'cpu', [pod('a', 10), pod('b', undefined)]).replicas, 2);
    // a direction flip from the conservative values means no change
    assert.equal(resourceReplicas(2, 50, 'cpu', [pod('a', 60), pod('b', undefined)]).replicas, 2);
  });

  it('fails as Kubernetes does without pods, metrics or requests', () => {
    assert.throws(() => resourceReplicas(1, 50, 'cpu', []), /no pods returned by selector/);
    assert.throws(() => resourceReplicas(1, 50, 'cpu', [pod('a', undefined, { ignored: true })]), /did not receive metrics/);
    assert.throws(() => resourceReplicas(1, 50, 'cpu', [pod('a', 10, { request: undefined })]), MetricsError);
  });

  it('defaults behavior as autoscaling/v2 does', () => {
    assert.deepEqual(resolveRules('up', undefined), { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
    assert.equal(resolveRules('down', undefined).stabilizationWindowSeconds, 300);
    assert.equal(resolveRules('down', { stabilizationWindowSeconds: 5 }).stabilizationWindowSeconds, 5);
  });

  it('holds a scale-down for the stabilisation window, then applies it', () => {
    let now = 0;
    const history = new ScalingHistory(() => now);
    const scaleUp = resolveRules('up', undefined);
    const scaleDown = resolveRules('down', { stabilizationWindowSeconds: 10 });
    const input = { key: 'h', scaleUp, scaleDown, minReplicas: 1, maxReplicas: 3 };
    assert.equal(history.normalize({ ...input, currentReplicas: 3, desiredReplicas: 3 }).replicas, 3);
    now = 5_000;
    const held = history.normalize({ ...input, currentReplicas: 3, desiredReplicas: 1 });
    assert.equal(held.replicas, 3);
    assert.equal(held.ableToScale.reason, 'ScaleDownStabilized');
    now = 16_000;
    assert.equal(history.normalize({ ...input, currentReplicas: 3, desiredReplicas: 1 }).replicas, 1);
  });

  it('limits scale-up by the rate policies and max replicas', () => {
    let now = 0;
    const history = new ScalingHistory(() => now);
    const scaleUp = resolveRules('up', { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] });
    const input = { key: 'h', scaleUp, scaleDown: resolveRules('down', undefined), minReplicas: 1, maxReplicas: 10 };
    const first = history.normalize({ ...input, currentReplicas: 1, desiredReplicas: 5 });
    assert.equal(first.replicas, 2);
    assert.equal(first.scalingLimited.reason, 'ScaleUpLimit');
    assert.equal(first.scalingLimited.limited, true);
    history.recordScale('h', scaleUp, input.scaleDown, 1, 2);
    now = 10_000;
    assert.equal(history.normalize({ ...input, currentReplicas: 2, desiredReplicas: 5 }).replicas, 2, 'one pod per minute already used');
    const capped = new ScalingHistory(() => 0).normalize({ ...input, scaleUp: resolveRules('up', undefined), maxReplicas: 3, currentReplicas: 1, desiredReplicas: 4 });
    assert.equal(capped.replicas, 3);
    assert.equal(capped.scalingLimited.reason, 'TooManyReplicas');
  });
});
