import assert from 'node:assert/strict';
import { containerName, planContainer, type ContainerPlanInputs } from '../../../emulator/aci/engine/container-spec';
import type { GroupProperties } from '../../../emulator/aci/model/group-model';

const group: GroupProperties = {
  osType: 'Linux',
  restartPolicy: 'OnFailure',
  ipAddress: { type: 'Public', ports: [{ port: 8080 }, { port: 53, protocol: 'UDP' }] },
  containers: [
    {
      name: 'web',
      properties: {
        image: '127.0.0.1:5000/app:1',
        command: ['/bin/app', '--serve'],
        ports: [{ port: 8080 }],
        environmentVariables: [{ name: 'PLAIN', value: 'a' }, { name: 'SECRET', secureValue: 's3cret' }],
        resources: { requests: { cpu: 1.5, memoryInGB: 0.5 } },
        volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
      },
    },
  ],
  volumes: [{ name: 'cfg', secret: { 'a.txt': 'YQ==' } }],
};

function inputs(overrides: Partial<ContainerPlanInputs> = {}): ContainerPlanInputs {
  const container = group.containers[0];
  if (!container) throw new Error('fixture');
  return {
    instanceId: 'i1',
    groupKey: 'i1/rg/cg',
    container,
    group,
    address: '127.100.3.4',
    networkOwnerId: undefined,
    volumeFolders: new Map([['cfg', '/state/cfg']]),
    hostCpus: 2,
    publishPorts: true,
    ...overrides,
  };
}

describe('emulator aci: container plan', () => {
  it('limits cpu and memory, passes the environment and replaces the entrypoint with the command', () => {
    const body = planContainer(inputs());
    assert.equal(body.HostConfig.NanoCpus, 1_500_000_000);
    assert.equal(body.HostConfig.Memory, 512 * 1024 * 1024);
    assert.deepEqual(body.Env, ['PLAIN=a', 'SECRET=s3cret']);
    assert.deepEqual(body.Entrypoint, ['/bin/app', '--serve']);
    assert.deepEqual(body.HostConfig.RestartPolicy, { Name: 'on-failure' });
  });

  it("publishes the group's ports on its own loopback address, with DNS pointed at loopback", () => {
    const body = planContainer(inputs());
    assert.deepEqual(body.HostConfig.PortBindings, {
      '8080/tcp': [{ HostIp: '127.100.3.4', HostPort: '8080' }],
      '53/udp': [{ HostIp: '127.100.3.4', HostPort: '53' }],
    });
    assert.deepEqual(body.HostConfig.Dns, ['127.0.0.1']);
  });

  it('mounts secret volumes read-only', () => {
    assert.deepEqual(planContainer(inputs()).HostConfig.Binds, ['/state/cfg:/cfg:ro']);
  });

  it('caps cpu at what the engine has', () => {
    const big = { ...group.containers[0], name: 'big', properties: { image: 'x', resources: { requests: { cpu: 4, memoryInGB: 1 } } } };
    assert.equal(planContainer(inputs({ container: big })).HostConfig.NanoCpus, 2_000_000_000);
  });

  it('shares the first container network and publishes nothing for the others', () => {
    const body = planContainer(inputs({ networkOwnerId: 'owner' }));
    assert.equal(body.HostConfig.NetworkMode, 'container:owner');
    assert.equal(body.HostConfig.PortBindings, undefined);
  });

  it('runs the exit-1 executable for the containerCrash fault and publishes nothing for neverReady', () => {
    const crash = planContainer(inputs({ crashExecutable: '/state/exit-1' }));
    assert.deepEqual(crash.Entrypoint, ['/.lazure-exit-1']);
    assert.ok(crash.HostConfig.Binds?.includes('/state/exit-1:/.lazure-exit-1:ro'));
    assert.equal(planContainer(inputs({ publishPorts: false })).HostConfig.PortBindings, undefined);
  });

  it('names containers lazure-<instance>-<group>-<container>', () => {
    assert.equal(containerName('i1', 'cg', 'web'), 'lazure-i1-cg-web');
  });
});
