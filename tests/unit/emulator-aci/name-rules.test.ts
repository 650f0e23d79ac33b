import { strict as assert } from 'node:assert';
import type { ContainerGroupBody } from '../../../emulator/aci/model/group-model';
import { invalidNameError, isValidName } from '../../../emulator/aci/spec/name-rules';

function group(containerName: string, dnsNameLabel?: string): ContainerGroupBody {
  return {
    location: 'westeurope',
    properties: {
      osType: 'Linux',
      containers: [{ name: containerName, properties: { image: 'x', resources: { requests: { cpu: 1, memoryInGB: 1 } } } }],
      ...(dnsNameLabel === undefined ? {} : { ipAddress: { type: 'Public', ports: [{ port: 80 }], dnsNameLabel } }),
    },
  };
}

describe("Local Azure ACI: Azure's naming rules", () => {
  it('accepts 1-63 lower-case letters, digits and inner hyphens only', () => {
    for (const name of ['a', 'my-ai-app', '0abc', 'a'.repeat(63)]) assert.equal(isValidName(name), true, name);
    for (const name of ['MyAIApp', 'my_ai_app', '-app', 'app-', '', 'a'.repeat(64), 'my.app']) assert.equal(isValidName(name), false, name);
  });

  it("answers Azure's codes and messages: the group name first, then container names, then the DNS label", () => {
    assert.equal(invalidNameError('mycontainerGroupxxx', group('model')), undefined, 'group names may hold upper case (recorded Azure traffic)');
    const groupError = invalidNameError('my_ai_app', group('model'));
    assert.equal(groupError?.status, 400);
    assert.deepEqual(groupError?.body, {
      error: {
        code: 'InvalidContainerGroupName',
        message: "The container group name 'my_ai_app' is invalid. The container group name must contain no more than 63 characters and must match the regex '[a-z0-9]([-a-z0-9]*[a-z0-9])?' (e.g. 'my-name').",
      },
    });
    assert.deepEqual(invalidNameError('my-ai-app', group('my_ai_app'))?.body, {
      error: {
        code: 'InvalidContainerName',
        message:
          "The container name 'my_ai_app' in container group 'my-ai-app' is invalid. The container name must contain no more than 63 characters and must match the regex '[a-z0-9]([-a-z0-9]*[a-z0-9])?' (e.g. 'my-name').",
      },
    });
    assert.match(JSON.stringify(invalidNameError('my-ai-app', group('model', 'ab'))?.body), /InvalidDnsNameLabel.*between 5 and 63 characters/);
    assert.equal(invalidNameError('my-ai-app', group('model', 'my-ai-app')), undefined);
  });
});
