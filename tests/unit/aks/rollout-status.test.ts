import * as assert from 'node:assert/strict';
import { Deadline } from '../../../tasks/common/deadline';
import type { KubeApi } from '../../../tasks/DeployToAksV1/src/kube-client';
import type { Deployment } from '../../../tasks/DeployToAksV1/src/kube-objects';
import { previousRevision, rollbackPatch } from '../../../tasks/DeployToAksV1/src/rollback';
import { deadlineExceededAt, judgeRollout, revisionOf } from '../../../tasks/DeployToAksV1/src/rollout-status';
import { waitForRollout } from '../../../tasks/DeployToAksV1/src/wait';
import { fakeClock } from '../../support/fake-clock';
import { silentLog } from '../../support/silent-log';

function deployment(generation: number, status: NonNullable<Deployment['status']>): Deployment {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'iris', generation }, spec: { replicas: 3 }, status };
}

describe('DeployToAks rollout judgement (as kubectl rollout status)', () => {
  it('waits until the controller has observed the latest generation, whatever the status says', () => {
    const verdict = judgeRollout(deployment(4, { observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }));
    assert.deepEqual(verdict, { kind: 'waiting', message: 'Waiting for deployment spec update to be observed...' });
  });

  it('fails on ProgressDeadlineExceeded', () => {
    const verdict = judgeRollout(
      deployment(2, { observedGeneration: 2, replicas: 4, updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
    );
    assert.deepEqual(verdict, { kind: 'failed', reason: 'ProgressDeadlineExceeded', message: 'deployment "iris" exceeded its progress deadline' });
  });

  it('waits for updated replicas, then old replicas to go, then updated replicas to be available, with kubectl\'s messages', () => {
    assert.equal(judgeRollout(deployment(2, { observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3 })).message, 'Waiting for deployment "iris" rollout to finish: 1 out of 3 new replicas have been updated...');
    assert.equal(judgeRollout(deployment(2, { observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).message, 'Waiting for deployment "iris" rollout to finish: 1 old replicas are pending termination...');
    assert.equal(judgeRollout(deployment(2, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 })).message, 'Waiting for deployment "iris" rollout to finish: 2 of 3 updated replicas are available...');
    assert.deepEqual(judgeRollout(deployment(2, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 })), { kind: 'complete', message: 'deployment "iris" successfully rolled out' });
  });

  it('does not count a Progressing condition that is only False for another reason, and treats a missing spec.replicas as kubectl does', () => {
    const withoutReplicas = deployment(1, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] });
    const verdict = judgeRollout({ ...withoutReplicas, spec: {} });
    assert.equal(verdict.kind, 'complete');
  });

  it('ignores a ProgressDeadlineExceeded condition from before the change (a rollback to an existing ReplicaSet keeps it until it completes)', () => {
    const exceeded = { type: 'Progressing', status: 'False' as const, reason: 'ProgressDeadlineExceeded', lastUpdateTime: '2026-01-01T00:00:10Z' };
    const before = deployment(3, { observedGeneration: 3, replicas: 2, updatedReplicas: 1, availableReplicas: 1, conditions: [exceeded] });
    assert.equal(deadlineExceededAt(before), '2026-01-01T00:00:10Z');
    const after = deployment(4, { observedGeneration: 4, replicas: 2, updatedReplicas: 1, availableReplicas: 1, conditions: [exceeded] });
    assert.equal(judgeRollout(after, deadlineExceededAt(before)).kind, 'waiting');
    assert.equal(judgeRollout(after).kind, 'failed', 'kubectl rollout status would stop at it');
    const again = deployment(4, { observedGeneration: 4, replicas: 2, updatedReplicas: 1, conditions: [{ ...exceeded, lastUpdateTime: '2026-01-01T00:05:00Z' }] });
    assert.equal(judgeRollout(again, deadlineExceededAt(before)).kind, 'failed', 'a deadline exceeded again is a verdict');
    assert.equal(deadlineExceededAt(deployment(1, { conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] })), undefined);
  });

  it('reads the revision annotation', () => {
    assert.equal(revisionOf({ metadata: { annotations: { 'deployment.kubernetes.io/revision': '7' } } }), 7);
    assert.equal(revisionOf({ metadata: { annotations: { 'deployment.kubernetes.io/revision': 'x' } } }), undefined);
    assert.equal(revisionOf(undefined), undefined);
  });
});

describe('DeployToAks rollback target (as kubectl rollout undo)', () => {
  const template = (image: string, hash?: string): NonNullable<Deployment['spec']>['template'] => ({
    metadata: { labels: { app: 'iris', ...(hash ? { 'pod-template-hash': hash } : {}) } },
    spec: { containers: [{ name: 'iris', image }] },
  });
  const rs = (revision: number, image: string, hash: string) => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `iris-${hash}`, annotations: { 'deployment.kubernetes.io/revision': String(revision) } },
    spec: { template: template(image, hash) },
  });
  const current: Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'iris', annotations: { 'deployment.kubernetes.io/revision': '3' } }, spec: { template: template('v3') } };

  it('picks the newest earlier revision with another template, without its pod-template-hash', () => {
    const target = previousRevision(current, [rs(1, 'v1', 'a1'), rs(2, 'v2', 'b2'), rs(3, 'v3', 'c3')]);
    assert.equal(target?.revision, 2);
    assert.deepEqual(target?.template, template('v2'));
    assert.ok(target);
    assert.deepEqual(rollbackPatch(target), [{ op: 'replace', path: '/spec/template', value: template('v2') }]);
  });

  it('skips an earlier revision whose template is the current one, and finds nothing on a first deployment', () => {
    assert.equal(previousRevision(current, [rs(1, 'v1', 'a1'), rs(2, 'v3', 'c3'), rs(3, 'v3', 'c3')])?.revision, 1);
    assert.equal(previousRevision(current, [rs(3, 'v3', 'c3')]), undefined);
  });
});

describe('DeployToAks rollback wait', () => {
  it('waits through a ProgressDeadlineExceeded the controller still reports for the failed rollout, until the rollback completes', async () => {
    const exceeded = { type: 'Progressing', status: 'False' as const, reason: 'ProgressDeadlineExceeded' };
    const answers: Deployment[] = [
      { ...deployment(4, { observedGeneration: 4, replicas: 2, updatedReplicas: 1, availableReplicas: 1, conditions: [exceeded] }), spec: { replicas: 1 } },
      { ...deployment(4, { observedGeneration: 4, replicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [exceeded] }), spec: { replicas: 1 } },
    ];
    const kube = { get: () => Promise.resolve(answers.shift()) } as unknown as KubeApi;
    const clock = fakeClock();
    const result = await waitForRollout('default', 'iris', new Deadline(clock, 60_000), { kube, log: silentLog, clock }, { ignoreProgressDeadline: true, pollIntervalInMs: 0 });
    assert.equal(result.verdict.kind, 'complete');
  });
});
