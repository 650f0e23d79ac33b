import assert from 'node:assert/strict';
import { rolloutStatus, calculateStatus } from '../../../emulator/kubernetes/controllers/deployment-status';
import { computePodTemplateHash, templatesEqualIgnoringHash } from '../../../emulator/kubernetes/controllers/pod-template-hash';
import { findNewReplicaSet, setNewReplicaSetAnnotations, ANNOTATIONS } from '../../../emulator/kubernetes/controllers/revisions';
import type { Deployment, ReplicaSet } from '../../../emulator/kubernetes/kube-types';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });

function deployment(status: Deployment['status'] = {}, spec: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd1', generation: 2, annotations: { 'kubernetes.io/change-cause': 'v2' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('app:2'), progressDeadlineSeconds: 60, ...spec },
    status,
  };
}

function replicaSet(name: string, image: string, replicas: number, ready: number, revision?: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, uid: name, creationTimestamp: '2026-01-01T00:00:00Z', ...(revision ? { annotations: { [ANNOTATIONS.revision]: String(revision) } } : {}) },
    spec: { replicas, selector: {}, template: { ...template(image), metadata: { labels: { app: 'web', 'pod-template-hash': name } } } },
    status: { replicas, readyReplicas: ready, availableReplicas: ready },
  };
}

describe('emulator kubernetes: deployment status and revisions', () => {
  it('reports counts and Available as calculateStatus does', () => {
    const status = calculateStatus(deployment(), [replicaSet('new', 'app:2', 2, 1), replicaSet('old', 'app:1', 2, 2)], replicaSet('new', 'app:2', 2, 1), '2026-01-01T00:00:00Z');
    assert.equal(status.replicas, 4);
    assert.equal(status.updatedReplicas, 2);
    assert.equal(status.availableReplicas, 3);
    assert.equal(status.unavailableReplicas, 1);
    assert.equal(status.observedGeneration, 2);
    assert.equal(status.conditions?.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasAvailable');
  });

  it('says ReplicaSetUpdated while progressing, NewReplicaSetAvailable when done', () => {
    const progressing = rolloutStatus(deployment({ updatedReplicas: 1 }), [replicaSet('new', 'app:2', 2, 1)], replicaSet('new', 'app:2', 2, 1), T0).status;
    assert.equal(progressing.conditions?.find((c) => c.type === 'Progressing')?.reason, 'ReplicaSetUpdated');
    const done = rolloutStatus(deployment(), [replicaSet('new', 'app:2', 3, 3)], replicaSet('new', 'app:2', 3, 3), T0).status;
    const condition = done.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(condition?.reason, 'NewReplicaSetAvailable');
    assert.equal(condition?.message, 'ReplicaSet "new" has successfully progressed.');
  });

  it('times out with ProgressDeadlineExceeded once no progress is seen for progressDeadlineSeconds', () => {
    const stuck = deployment({
      replicas: 1,
      updatedReplicas: 1,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    });
    const sets = [replicaSet('new', 'app:2', 1, 0)];
    const early = rolloutStatus(stuck, sets, sets[0], T0 + 30_000);
    assert.equal(early.status.conditions?.find((c) => c.type === 'Progressing')?.reason, 'ReplicaSetUpdated');
    assert.ok(early.recheckInMs !== undefined && early.recheckInMs > 30_000 && early.recheckInMs <= 31_000);
    const late = rolloutStatus(stuck, sets, sets[0], T0 + 61_000).status.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(late?.status, 'False');
    assert.equal(late?.reason, 'ProgressDeadlineExceeded');
    assert.equal(late?.message, 'ReplicaSet "new" has timed out progressing.');
  });

  it('hashes templates stably and ignores the hash label when comparing', () => {
    const a = computePodTemplateHash(template('app:1'));
    assert.equal(a, computePodTemplateHash(template('app:1')));
    assert.notEqual(a, computePodTemplateHash(template('app:2')));
    assert.notEqual(a, computePodTemplateHash(template('app:1'), 1), 'collision count changes the hash');
    assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.ok(templatesEqualIgnoringHash(template('app:1'), { ...template('app:1'), metadata: { labels: { app: 'web', 'pod-template-hash': a } } }));
  });

  it('finds the ReplicaSet of the current template and gives a rolled-back one the next revision', () => {
    const sets = [replicaSet('one', 'app:1', 0, 0, 1), replicaSet('two', 'app:2', 3, 3, 2)];
    const rolledBack = deployment({}, { template: template('app:1') });
    const found = findNewReplicaSet(rolledBack, sets);
    assert.equal(found?.metadata.name, 'one');
    const copy = structuredClone(found);
    assert.equal(setNewReplicaSetAnnotations(rolledBack, copy, 3), true);
    assert.equal(copy.metadata.annotations?.[ANNOTATIONS.revision], '3');
    assert.equal(copy.metadata.annotations?.[ANNOTATIONS.revisionHistory], '1');
    assert.equal(copy.metadata.annotations?.['kubernetes.io/change-cause'], 'v2', 'deployment annotations are copied');
  });
});
