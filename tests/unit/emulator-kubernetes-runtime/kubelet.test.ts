import assert from 'node:assert/strict';
import { BackOff, goDuration } from '../../../emulator/kubernetes/kubelet/back-off';
import { containerBody, qosClass } from '../../../emulator/kubernetes/kubelet/container-plan';
import { normalisedImage, unauthorizedPullMessage } from '../../../emulator/kubernetes/kubelet/image-puller';
import { podPhase, podStatus, type ContainerView } from '../../../emulator/kubernetes/kubelet/pod-status';
import { bytes, milliCpu } from '../../../emulator/kubernetes/kubelet/quantity';
import type { Pod } from '../../../emulator/kubernetes/kube-types';

const pod = (containers: Pod['spec']['containers'], restartPolicy: Pod['spec']['restartPolicy'] = 'Always'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-abc', namespace: 'default', uid: 'u1' },
  spec: { containers, restartPolicy },
});
const view = (extra: Partial<ContainerView>): ContainerView => ({ name: 'app', image: 'img', imageID: '', restartCount: 0, ready: false, started: false, ...extra });
const exit = (exitCode: number) => ({ exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: 't0', finishedAt: 't1', containerID: 'containerd://x' });

describe('emulator kubernetes: kubelet pure parts', () => {
  it('backs off restarts 10 s, 20 s, 40 s ... up to 5 min, and forgets after 10 min', () => {
    let now = 0;
    const backOff = new BackOff(undefined, () => now);
    assert.equal(backOff.isInBackOffSince('c', 0), false, 'first crash restarts at once');
    backOff.next('c', 0);
    now = 1_000;
    assert.equal(backOff.isInBackOffSince('c', 1_000), true);
    assert.equal(goDuration(backOff.delayInMs('c')), '10s');
    now = 11_500;
    assert.equal(backOff.isInBackOffSince('c', 1_000), false);
    backOff.next('c', 1_000);
    assert.equal(backOff.delayInMs('c'), 20_000);
    for (let i = 0; i < 10; i++) backOff.next('c', now);
    assert.equal(goDuration(backOff.delayInMs('c')), '5m0s');
    now += 700_000;
    backOff.next('c', now);
    assert.equal(backOff.delayInMs('c'), 10_000, 'reset after twice the maximum');
  });

  it('parses cpu and memory quantities', () => {
    assert.equal(milliCpu('250m'), 250);
    assert.equal(milliCpu('0.5'), 500);
    assert.equal(milliCpu(2), 2000);
    assert.equal(bytes('128Mi'), 134217728);
    assert.equal(bytes('1G'), 1e9);
    assert.equal(bytes('1e3'), 1000);
    assert.throws(() => bytes('12 apples'), /quantities must match/);
  });

  it('maps command/args onto ENTRYPOINT/CMD, limits onto the engine, and joins the sandbox', () => {
    const spec = { name: 'app', image: 'img', command: ['/bin/app'], resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m' } } };
    const body = containerBody('p', pod([spec]), spec, ['A=1'], 'sandbox');
    assert.deepEqual(body.Entrypoint, ['/bin/app']);
    assert.deepEqual(body.Cmd, []);
    assert.equal(body.HostConfig.NanoCpus, 500_000_000);
    assert.equal(body.HostConfig.Memory, 64 * 1024 * 1024);
    assert.equal(body.HostConfig.NetworkMode, 'container:sandbox');
    assert.deepEqual(body.HostConfig.RestartPolicy, { Name: 'no' });
    const argsOnly = containerBody('p', pod([spec]), { name: 'app', image: 'img', args: ['serve'] }, [], 's');
    assert.equal(argsOnly.Entrypoint, undefined);
    assert.deepEqual(argsOnly.Cmd, ['serve']);
    assert.equal(qosClass(pod([{ name: 'a', image: 'i', resources: { limits: { cpu: '1', memory: '1Gi' } } }])), 'Guaranteed');
    assert.equal(qosClass(pod([spec])), 'Burstable');
    assert.equal(qosClass(pod([{ name: 'a', image: 'i' }])), 'BestEffort');
  });

  it('derives the phase as getPhase does', () => {
    const p = pod([{ name: 'app', image: 'img' }]);
    const status = (v: ContainerView) => podStatus(p, { scheduled: true, sandboxReady: true, containers: [v] }, 'now').containerStatuses ?? [];
    assert.equal(podPhase(p, status(view({}))), 'Pending', 'ContainerCreating');
    assert.equal(podPhase(p, status(view({ running: { startedAt: 't', containerID: 'c' } }))), 'Running');
    assert.equal(podPhase(p, status(view({ exited: exit(1), waiting: { reason: 'CrashLoopBackOff' } }))), 'Running', 'restarting');
    assert.equal(podPhase(p, status(view({ waiting: { reason: 'ImagePullBackOff' } }))), 'Pending');
    const never = pod([{ name: 'app', image: 'img' }], 'Never');
    assert.equal(podPhase(never, [podStatus(never, { scheduled: true, sandboxReady: true, containers: [view({ exited: exit(0) })] }, 'now').containerStatuses?.[0]].filter((s) => s !== undefined)), 'Succeeded');
  });

  it('shows a crash loop as waiting CrashLoopBackOff with the last termination', () => {
    const p = pod([{ name: 'app', image: 'img' }]);
    const status = podStatus(p, { scheduled: true, sandboxReady: true, podIP: '172.17.0.9', containers: [view({ restartCount: 2, exited: exit(3), waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } })] }, 'now');
    const container = status.containerStatuses?.[0];
    assert.deepEqual(container?.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } });
    assert.equal(container?.lastState.terminated?.exitCode, 3);
    assert.equal(container?.started, false);
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'False');
    assert.equal(ready?.message, 'containers with unready status: [app]');
    assert.equal(status.podIP, '172.17.0.9');
  });

  it('words a refused pull as containerd does for a 401 from ACR', () => {
    assert.equal(normalisedImage('nginx'), 'docker.io/library/nginx:latest');
    assert.equal(
      unauthorizedPullMessage('127.0.0.1:5000/models/web:1'),
      'rpc error: code = Unknown desc = failed to pull and unpack image "127.0.0.1:5000/models/web:1": failed to resolve reference "127.0.0.1:5000/models/web:1": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://127.0.0.1:5000/oauth2/token?scope=repository%3Amodels%2Fweb%3Apull&service=127.0.0.1:5000: 401 Unauthorized',
    );
  });
});
