import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MountError, preparePodVolumes, volumeBinds } from '../../../emulator/kubernetes/kubelet/pod-volumes';
import type { Pod } from '../../../emulator/kubernetes/kube-types';
import { createObjectStore } from '../../../emulator/kubernetes/store/object-store';
import { CONFIG_MAPS, SECRETS } from '../../../emulator/kubernetes/store/resource-types';

const pod = (volumes: Pod['spec']['volumes']): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [], volumes } });

describe('emulator kubernetes: pod volumes', () => {
  let folder = '';
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'pod-volumes-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('writes configMap keys, secret items (decoded, with their mode) and an empty emptyDir', () => {
    const store = createObjectStore();
    store.create(CONFIG_MAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { 'model.json': '{"a":1}' } });
    store.create(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'key', namespace: 'default' }, data: { token: Buffer.from('s3cr3t').toString('base64') } });
    const folders = preparePodVolumes(store, pod([{ name: 'cfg', configMap: { name: 'settings' } }, { name: 'key', secret: { secretName: 'key', items: [{ key: 'token', path: 'a/token', mode: 0o400 }] } }, { name: 'scratch', emptyDir: {} }]), folder);
    assert.equal(readFileSync(join(folders.get('cfg') ?? '', 'model.json'), 'utf8'), '{"a":1}');
    assert.equal(readFileSync(join(folders.get('key') ?? '', 'a', 'token'), 'utf8'), 's3cr3t');
    assert.equal(statSync(join(folders.get('key') ?? '', 'a', 'token')).mode & 0o777, 0o400);
    assert.deepEqual(volumeBinds([{ name: 'cfg', mountPath: '/etc/model', readOnly: true }], folders), [`${folders.get('cfg') ?? ''}:/etc/model:ro`]);
  });

  it('fails the mount as the kubelet words it when the object is missing, unless optional', () => {
    const store = createObjectStore();
    assert.throws(() => preparePodVolumes(store, pod([{ name: 'cfg', configMap: { name: 'nope' } }]), folder), (error: Error) => error instanceof MountError && error.message === 'MountVolume.SetUp failed for volume "cfg" : configmap "nope" not found');
    assert.doesNotThrow(() => preparePodVolumes(store, pod([{ name: 'cfg', configMap: { name: 'nope', optional: true } }]), folder));
    assert.throws(() => preparePodVolumes(store, pod([{ name: 'data', hostPath: { path: '/' } }]), folder), /not hostPath/);
  });
});
