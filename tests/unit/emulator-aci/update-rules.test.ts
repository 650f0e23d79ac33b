import assert from 'node:assert/strict';
import type { ContainerGroupBody } from '../../../emulator/aci/model/group-model';
import { forbiddenChanges, invalidUpdateMessage } from '../../../emulator/aci/model/update-rules';

function group(overrides: { cpu?: number; memoryInGB?: number; restartPolicy?: 'Always' | 'Never'; image?: string } = {}): ContainerGroupBody {
  return {
    location: 'westeurope',
    properties: {
      osType: 'Linux',
      ...(overrides.restartPolicy ? { restartPolicy: overrides.restartPolicy } : {}),
      ipAddress: { type: 'Public', ports: [{ port: 80 }] },
      containers: [
        {
          name: 'web',
          properties: { image: overrides.image ?? 'r/app:1', resources: { requests: { cpu: overrides.cpu ?? 1, memoryInGB: overrides.memoryInGB ?? 1.5 } } },
        },
      ],
    },
  };
}

describe('emulator aci: update rules', () => {
  it('allows changing the image, environment and tags in place', () => {
    assert.deepEqual(forbiddenChanges(group(), group({ image: 'r/app:2' })), []);
  });

  it('refuses a cpu change and names the container and values', () => {
    const changes = forbiddenChanges(group(), group({ cpu: 2 }));
    assert.equal(changes.length, 1);
    assert.equal(changes[0]?.target, 'properties.containers[0].properties.resources.requests.cpu');
    assert.match(changes[0]?.message ?? '', /cpu of container 'web'.*1 -> 2/);
  });

  it('treats a missing restart policy as Always', () => {
    assert.deepEqual(forbiddenChanges(group(), group({ restartPolicy: 'Always' })), []);
    assert.equal(forbiddenChanges(group(), group({ restartPolicy: 'Never' }))[0]?.target, 'properties.restartPolicy');
  });

  it('refuses memory and os type changes', () => {
    const osChange = group();
    osChange.properties.osType = 'Windows';
    const targets = [...forbiddenChanges(group(), group({ memoryInGB: 2 })), ...forbiddenChanges(group(), osChange)].map((c) => c.target);
    assert.deepEqual(targets, ['properties.containers[0].properties.resources.requests.memoryInGB', 'properties.osType']);
  });

  it("uses Azure's message", () => {
    assert.match(invalidUpdateMessage('cg'), /^The updates on container group 'cg' are invalid\. If you are going to update the os type, restart policy, network profile, CPU, memory or GPU resources/);
  });
});
