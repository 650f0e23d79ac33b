import assert from 'node:assert/strict';
import { scaledValue } from '../../../emulator/kubernetes/controllers/int-or-percent';
import { maxSurge, maxUnavailable, newReplicaSetReplicas, proportionalSizes, resolveFenceposts, rolloutComplete, scaleDownOldReplicaSets, type ReplicaSetCounts } from '../../../emulator/kubernetes/controllers/rollout-math';

const rolling = (replicas: number, surge?: number | string, unavailable?: number | string) => ({
  replicas,
  strategy: { type: 'RollingUpdate' as const, rollingUpdate: { ...(surge !== undefined ? { maxSurge: surge } : {}), ...(unavailable !== undefined ? { maxUnavailable: unavailable } : {}) } },
});
const set = (name: string, replicas: number, available: number, createdAtInMs = 0): ReplicaSetCounts => ({ name, replicas, available, createdAtInMs });

describe('emulator kubernetes: rollout arithmetic (deployment controller)', () => {
  it('scales percentages as intstr does: surge rounds up, unavailable rounds down', () => {
    assert.equal(scaledValue('25%', 3, true), 1);
    assert.equal(scaledValue('25%', 3, false), 0);
    assert.equal(scaledValue('50%', 5, false), 2);
    assert.equal(scaledValue(2, 10, true), 2);
    assert.equal(scaledValue('3', 10, true), 3);
    assert.throws(() => scaledValue('abc', 10, true), /invalid value for IntOrString/);
  });

  it('resolves fenceposts with the defaults 25%/25% and never both zero', () => {
    assert.deepEqual(resolveFenceposts(rolling(3)), { maxSurge: 1, maxUnavailable: 0 });
    assert.deepEqual(resolveFenceposts(rolling(10)), { maxSurge: 3, maxUnavailable: 2 });
    assert.deepEqual(resolveFenceposts(rolling(3, 0, 0)), { maxSurge: 0, maxUnavailable: 1 });
    assert.equal(maxUnavailable(rolling(2, 0, 5)), 2, 'capped at replicas');
    assert.equal(maxUnavailable({ replicas: 3, strategy: { type: 'Recreate' } }), 0);
    assert.equal(maxSurge({ replicas: 3, strategy: { type: 'Recreate' } }), 0);
  });

  it('grows the new ReplicaSet within maxSurge (NewRSNewReplicas)', () => {
    const spec = rolling(3);
    assert.equal(newReplicaSetReplicas(spec, [set('old', 3, 3), set('new', 0, 0)], set('new', 0, 0)), 1);
    assert.equal(newReplicaSetReplicas(spec, [set('old', 3, 3), set('new', 1, 0)], set('new', 1, 0)), 1, 'at 4 of max 4 pods');
    assert.equal(newReplicaSetReplicas(spec, [set('old', 2, 2), set('new', 1, 1)], set('new', 1, 1)), 2);
    assert.equal(newReplicaSetReplicas(rolling(10, '100%'), [set('old', 10, 10)], set('new', 0, 0)), 10);
    assert.equal(newReplicaSetReplicas({ replicas: 4, strategy: { type: 'Recreate' } }, [], set('new', 0, 0)), 4);
  });

  it('scales old ReplicaSets down only as far as availability allows', () => {
    const spec = rolling(3);
    assert.deepEqual([...scaleDownOldReplicaSets(spec, [set('old', 3, 3)], set('new', 1, 0))], [], 'new pod not available yet: keep 3');
    assert.deepEqual([...scaleDownOldReplicaSets(spec, [set('old', 3, 3)], set('new', 1, 1))], [['old', 2]]);
    assert.deepEqual([...scaleDownOldReplicaSets(rolling(4, 1, 1), [set('old', 4, 4)], set('new', 1, 0))], [['old', 3]]);
  });

  it('first removes unhealthy old replicas, oldest ReplicaSet first', () => {
    const spec = rolling(3, 1, 1);
    const changes = scaleDownOldReplicaSets(spec, [set('older', 2, 0, 1), set('old', 2, 2, 2)], set('new', 1, 1));
    assert.equal(changes.get('older'), 0, 'unavailable replicas go first');
    assert.equal(changes.get('old'), 1);
  });

  it('calls a rollout complete only when every count matches and the generation is observed', () => {
    assert.equal(rolloutComplete(3, 2, { updatedReplicas: 3, replicas: 3, availableReplicas: 3, observedGeneration: 2 }), true);
    assert.equal(rolloutComplete(3, 2, { updatedReplicas: 3, replicas: 3, availableReplicas: 3, observedGeneration: 1 }), false);
    assert.equal(rolloutComplete(3, 1, { updatedReplicas: 3, replicas: 4, availableReplicas: 3, observedGeneration: 1 }), false);
  });
});

describe('emulator kubernetes: proportional scaling mid-rollout (sync.go scale)', () => {
  const scalable = (name: string, replicas: number, createdAtInMs: number, maxReplicasAnnotation: number) => ({ name, replicas, available: replicas, createdAtInMs, maxReplicasAnnotation });

  it('spreads a scale-up over the active ReplicaSets by their share', () => {
    // 10 replicas (max 13) rolling 8 old / 5 new, scaled to 20 (max 23): +10 spread 8:5.
    const sizes = proportionalSizes(rolling(20, 3, 2), [scalable('old', 8, 1, 13), scalable('new', 5, 2, 13)], 13);
    assert.equal(sizes.get('old'), 14);
    assert.equal(sizes.get('new'), 9);
  });

  it('takes a scale-down from both, largest first', () => {
    const sizes = proportionalSizes(rolling(2, 1, 0), [scalable('old', 3, 1, 5), scalable('new', 2, 2, 5)], 5);
    assert.equal((sizes.get('old') ?? 0) + (sizes.get('new') ?? 0), 3);
  });
});
