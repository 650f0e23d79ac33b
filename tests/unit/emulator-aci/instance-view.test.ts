import assert from 'node:assert/strict';
import type { DockerContainerInspect } from '../../../emulator/docker/docker-engine';
import { containerInstanceView, CRASH_LOOP_STATUS, groupState } from '../../../emulator/aci/model/instance-view';

function inspect(state: Partial<DockerContainerInspect['State']>, restartCount = 0): DockerContainerInspect {
  return {
    Id: 'abc',
    Name: '/x',
    RestartCount: restartCount,
    NetworkSettings: { IPAddress: '172.17.0.2' },
    State: {
      Status: 'running',
      Running: true,
      Restarting: false,
      OOMKilled: false,
      ExitCode: 0,
      Error: '',
      StartedAt: '2026-01-02T03:04:05.123456789Z',
      FinishedAt: '0001-01-01T00:00:00Z',
      ...state,
    },
  };
}

describe('emulator aci: instance view', () => {
  it('reports Waiting before the container exists', () => {
    assert.deepEqual(containerInstanceView(undefined, undefined, []), { restartCount: 0, currentState: { state: 'Waiting', detailStatus: '' }, events: [] });
  });

  it('reports Running with the start time without fractions', () => {
    const view = containerInstanceView(inspect({}), undefined, []);
    assert.deepEqual(view.currentState, { state: 'Running', startTime: '2026-01-02T03:04:05Z', detailStatus: '' });
    assert.equal(view.previousState, undefined);
  });

  it('reports a crash loop as Waiting/CrashLoopBackOff with the last exit as previous state', () => {
    const lastExit = { exitCode: 3, startTime: '2026-01-02T03:04:05Z', finishTime: '2026-01-02T03:04:06Z' };
    const view = containerInstanceView(inspect({ Status: 'restarting', Running: true, Restarting: true, ExitCode: 3 }, 4), lastExit, []);
    assert.equal(view.restartCount, 4);
    assert.equal(view.currentState.state, 'Waiting');
    assert.equal(view.currentState.detailStatus, CRASH_LOOP_STATUS);
    assert.deepEqual(view.previousState, { state: 'Terminated', startTime: '2026-01-02T03:04:05Z', exitCode: 3, finishTime: '2026-01-02T03:04:06Z', detailStatus: 'Error' });
  });

  it('reports Terminated/Completed for exit 0 and Error otherwise', () => {
    const done = containerInstanceView(inspect({ Status: 'exited', Running: false, ExitCode: 0, FinishedAt: '2026-01-02T03:05:00Z' }), undefined, []);
    assert.equal(done.currentState.detailStatus, 'Completed');
    assert.equal(done.currentState.exitCode, 0);
    const failed = containerInstanceView(inspect({ Status: 'exited', Running: false, ExitCode: 2, FinishedAt: '2026-01-02T03:05:00Z' }), undefined, []);
    assert.equal(failed.currentState.detailStatus, 'Error');
  });

  it('derives the group state', () => {
    const running = containerInstanceView(inspect({}), undefined, []);
    const completed = containerInstanceView(inspect({ Status: 'exited', Running: false, ExitCode: 0 }), undefined, []);
    const failed = containerInstanceView(inspect({ Status: 'exited', Running: false, ExitCode: 1 }), undefined, []);
    assert.equal(groupState('provisioning', 'Always', []), 'Pending');
    assert.equal(groupState('stopped', 'Always', []), 'Stopped');
    assert.equal(groupState('running', 'Always', [running]), 'Running');
    assert.equal(groupState('running', 'Never', [completed]), 'Succeeded');
    assert.equal(groupState('running', 'OnFailure', [completed, failed]), 'Failed');
  });
});
