import * as assert from 'node:assert/strict';
import { parseImageReference } from '../../../tasks/common/docker/image-reference';
import type { ContainerStatus, KubeEvent, Pod } from '../../../tasks/DeployToAksV1/src/kube-objects';
import { diagnosePods } from '../../../tasks/DeployToAksV1/src/pod-diagnosis';
import { IMAGE } from './fixtures';

const image = parseImageReference('image', IMAGE);
const cluster = { name: 'aks-models', resourceGroup: 'rg-models', kubeletIdentity: { clientId: 'kubelet-client-id', objectId: 'kubelet-object-id' } };

function pod(name: string, status: Partial<ContainerStatus>, extra: Partial<NonNullable<Pod['status']>> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, status: { phase: 'Pending', containerStatuses: [{ name: 'iris', ...status }], ...extra } };
}
function event(object: string, reason: string, message: string): KubeEvent {
  return { apiVersion: 'v1', kind: 'Event', metadata: { name: `${object}.1` }, involvedObject: { kind: 'Pod', name: object }, reason, message, type: 'Warning', lastTimestamp: '2026-01-01T00:00:00Z' };
}

describe('DeployToAks pod diagnosis', () => {
  it('explains a refused image pull with the kubelet identity and the AcrPull fix', () => {
    const message = `Failed to pull image "${IMAGE}": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized`;
    const [problem] = diagnosePods([pod('iris-1', { state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}"` } } })], [event('iris-1', 'Failed', message)], image, cluster);
    assert.equal(problem?.reason, 'ImagePullBackOff');
    // The waiting message is only the back-off; the kubelet's event has the registry's answer.
    assert.match(problem?.detail ?? '', /^Failed to pull image .*401 Unauthorized$/);
    assert.match(problem?.explanation ?? '', /--attach-acr crmodels/);
    const [withoutEvent] = diagnosePods([pod('iris-1', { state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}"` } } })], [], image, cluster);
    assert.match(withoutEvent?.detail ?? '', /^Back-off pulling image/);
    const [withAnswer] = diagnosePods([pod('iris-1', { state: { waiting: { reason: 'ErrImagePull', message } } })], [], image, cluster);
    assert.match(withAnswer?.explanation ?? '', /kubelet identity \(client id kubelet-client-id, object id kubelet-object-id\)/);
    assert.match(withAnswer?.explanation ?? '', /az aks update -g rg-models -n aks-models --attach-acr crmodels/);
    assert.match(withAnswer?.explanation ?? '', /az role assignment create --assignee kubelet-object-id --role AcrPull/);
  });

  it('says an image that does not exist does not exist', () => {
    const [problem] = diagnosePods([pod('iris-1', { state: { waiting: { reason: 'ErrImagePull', message: 'rpc error: manifest unknown: manifest unknown' } } })], [], image, cluster);
    assert.match(problem?.explanation ?? '', /does not exist in crmodels\.azurecr\.io/);
  });

  it('asks for the previous log of a crash-looping container, and explains an OOM kill instead', () => {
    const crashing = pod('iris-2', { restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
    const [problem] = diagnosePods([crashing], [], image, cluster);
    assert.equal(problem?.wantsPreviousLog, true);
    assert.equal(problem?.detail, 'restarted 4 time(s) (last exit code 1, Error)');
    const oom = pod('iris-3', { restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } });
    const [killed] = diagnosePods([oom], [], image, cluster);
    assert.equal(killed?.wantsPreviousLog, false);
    assert.match(killed?.explanation ?? '', /raise 'memoryLimit'/);
  });

  it('explains pods the scheduler cannot place, readiness probes that fail and config errors, and nothing for a healthy pod', () => {
    const pending: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'iris-4' }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.' }] } };
    const notReady = pod('iris-5', { ready: false, state: { running: {} } }, { phase: 'Running' });
    const config = pod('iris-6', { state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "iris-env-x" not found' } } });
    const healthy = pod('iris-7', { ready: true, state: { running: {} } }, { phase: 'Running' });
    const problems = diagnosePods([pending, notReady, config, healthy], [event('iris-5', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503')], image, cluster);
    assert.deepEqual(problems.map((p) => [p.pod, p.reason]), [['iris-4', 'Unschedulable'], ['iris-5', 'NotReady'], ['iris-6', 'CreateContainerConfigError']]);
    assert.match(problems[0]?.explanation ?? '', /GPU node pool/);
    assert.match(problems[1]?.detail ?? '', /statuscode: 503/);
  });
});
