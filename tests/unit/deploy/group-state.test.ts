import * as assert from 'node:assert/strict';
import type { Container, ContainerGroup } from '@azure/arm-containerinstance';
import { evaluateGroupState, restartCountsOf } from '../../../tasks/DeployToAciV1/src/group-state';
import { exampleOf, sdkGroupFrom } from './sdk-wire';

function group(provisioningState: string, ...views: (Container['instanceView'] | undefined)[]): ContainerGroup {
  return {
    name: 'g',
    provisioningState,
    osType: 'Linux',
    containers: views.map((instanceView, i) => ({ name: `c${i}`, image: 'r.io/m:1', resources: { requests: { cpu: 1, memoryInGB: 1 } }, ...(instanceView ? { instanceView } : {}) })),
  };
}
const running = { restartCount: 0, currentState: { state: 'Running' } };

describe('DeployToAci evaluateGroupState', () => {
  it('is running when provisioning succeeded and every container runs', () => {
    assert.deepEqual(evaluateGroupState(group('Succeeded', running, running)), { kind: 'running' });
  });

  it('waits while provisioning or while a container is not running yet', () => {
    assert.deepEqual(evaluateGroupState(group('Pending', undefined)), { kind: 'waiting', reason: 'provisioning is Pending' });
    assert.equal(evaluateGroupState(group('Creating', running)).kind, 'waiting');
    const waiting = evaluateGroupState(group('Succeeded', running, { restartCount: 0, currentState: { state: 'Waiting', detailStatus: 'ContainerCreating' } }));
    assert.deepEqual(waiting, { kind: 'waiting', reason: "'c1' is Waiting (ContainerCreating)" });
  });

  it('detects CrashLoopBackOff', () => {
    const state = evaluateGroupState(
      group('Succeeded', {
        restartCount: 3,
        currentState: { state: 'Waiting', detailStatus: 'CrashLoopBackOff: Back-off restarting failed' },
        previousState: { state: 'Terminated', exitCode: 1, detailStatus: 'Error' },
      }),
    );
    assert.equal(state.kind, 'failed');
    assert.ok(state.kind === 'failed' && /keeps crashing.*3 restarts, last exit code 1/.test(state.reason));
  });

  it('detects a terminated container, and explains exit code 137', () => {
    const state = evaluateGroupState(group('Succeeded', { restartCount: 0, currentState: { state: 'Terminated', exitCode: 137, detailStatus: 'Error' } }));
    assert.ok(state.kind === 'failed' && /terminated \(exit code 137, Error\)/.test(state.reason) && /memoryInGB/.test(state.hint));
  });

  it('detects restarts after the deployment, but not the history of an unchanged group', () => {
    const view = { restartCount: 2, currentState: { state: 'Running' }, previousState: { state: 'Terminated', exitCode: 2 } };
    assert.equal(evaluateGroupState(group('Succeeded', view)).kind, 'failed');
    assert.equal(evaluateGroupState(group('Succeeded', view), { restartCounts: { c0: 2 } }).kind, 'running');
    assert.deepEqual(restartCountsOf(group('Succeeded', view)), { c0: 2 });
  });

  it('detects an image that cannot be pulled', () => {
    const state = evaluateGroupState(
      group('Creating', {
        restartCount: 0,
        currentState: { state: 'Waiting', detailStatus: 'ImagePullBackOff' },
        events: [{ name: 'Failed', type: 'Warning', message: 'Failed to pull image "r.io/m:1": unauthorized: authentication required' }],
      }),
    );
    assert.ok(state.kind === 'failed' && /cannot be pulled: Failed to pull image/.test(state.reason), JSON.stringify(state));
  });

  it('reports failed provisioning with the group events (spec example ContainerGroupsGet_Failed)', async () => {
    const failed = await sdkGroupFrom(exampleOf('ContainerGroupsGet_Failed.json').responses['200']?.body);
    const state = evaluateGroupState(failed);
    assert.equal(state.kind, 'failed');
    assert.ok(state.kind === 'failed' && /Provisioning of container group 'demo1' failed \(FailedMount: Output: mount error\(2\): Permission denied\)/.test(state.reason), JSON.stringify(state));
  });

  it('reads the succeeded spec examples as waiting (they have no instance view)', async () => {
    const created = await sdkGroupFrom(exampleOf('ContainerGroupsCreateOrUpdate.json').responses['200']?.body);
    assert.equal(evaluateGroupState(created).kind, 'waiting');
  });

  it('fails on a stopped group', () => {
    const stopped = { ...group('Succeeded', running), instanceView: { state: 'Stopped' } };
    assert.equal(evaluateGroupState(stopped).kind, 'failed');
  });
});
