import * as assert from 'node:assert/strict';
import { addressState, applyState, failedRolloutState, rolloutState } from '../../../tasks/DeployToAksV1/src/cancellation-state';
import type { Deployment } from '../../../tasks/DeployToAksV1/src/kube-objects';

const deployment = (revision: number, status: NonNullable<Deployment['status']>): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'iris', annotations: { 'deployment.kubernetes.io/revision': String(revision) } },
  spec: { replicas: 2 },
  status,
});

describe('DeployToAks: what a cancellation leaves, phase by phase', () => {
  it('says what the apply had sent: nothing, accepted objects, and the one in flight', () => {
    assert.equal(applyState({ applied: [] }), 'Nothing was changed in the cluster');
    assert.equal(applyState({ applied: [], sending: 'Deployment/iris' }), 'Nothing else was changed in the cluster: the apply of Deployment/iris was in flight (the API server may have accepted it)');
    assert.equal(
      applyState({ applied: ['Deployment/iris'], sending: 'Service/iris' }),
      'The API server accepted Deployment/iris, and the apply of Service/iris was in flight (the API server may have accepted it): what it accepted stays, and Kubernetes goes on rolling it out',
    );
  });

  it('names the revision a rollout was at, its counts, and the revision that keeps serving', () => {
    assert.equal(
      rolloutState('iris', deployment(2, { updatedReplicas: 1, availableReplicas: 0 }), 1),
      "Deployment 'iris' is mid-rollout at revision 2 (1 of 2 new replica(s) updated, 0 available); Kubernetes goes on rolling it out while revision 1's pods keep serving until the new ones are ready",
    );
    assert.equal(rolloutState('iris', deployment(1, {}), undefined), "Deployment 'iris' is mid-rollout at revision 1 (0 of 2 new replica(s) updated, 0 available); Kubernetes goes on rolling it out");
    assert.match(addressState('iris', 3), /^Deployment 'iris' rolled out \(revision 3\); service 'iris' has no load balancer address yet .* no url was published$/);
    assert.match(failedRolloutState('iris', 2, false), /failed to roll out revision 2 and is left as it is \(no rollback was sent\)$/);
    assert.match(failedRolloutState('iris', 2, true), /the rollback to the former revision was sent, and Kubernetes goes on with it$/);
  });

});
