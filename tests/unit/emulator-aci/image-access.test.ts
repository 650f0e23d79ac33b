import * as assert from 'node:assert/strict';
import type { RegistryLoginCheck } from '../../../emulator/core/service-context';
import type { ContainerGroupBody } from '../../../emulator/aci/model/group-model';
import { checkImageAccess } from '../../../emulator/aci/engine/image-access';

const SERVER = '127.0.0.1:5000';
const IMAGE = `${SERVER}/models/sentiment:1`;
const IDENTITY = '/subscriptions/s/resourceGroups/rg-agents/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-agents';
const TOKEN_USER = '00000000-0000-0000-0000-000000000000';

/** Pull rights: the admin user `admin`/`pw`, and the identity IDENTITY (its refresh token 'refresh-for-id-agents'). */
const logins: RegistryLoginCheck = {
  canPull: (server, _repository, username, password) => Promise.resolve(server === SERVER && username === 'admin' && password === 'pw'),
  pullAsIdentity: (server, _repository, identity) =>
    Promise.resolve(server === SERVER && identity.toLowerCase() === IDENTITY.toLowerCase() ? { username: TOKEN_USER, password: 'refresh-for-id-agents' } : undefined),
  hasImage: (server, repository, reference) => Promise.resolve(server === SERVER && repository === 'models/sentiment' && reference === '1'),
};

function group(properties: Partial<ContainerGroupBody['properties']>, identity?: ContainerGroupBody['identity']): ContainerGroupBody {
  return {
    location: 'westeurope',
    ...(identity ? { identity } : {}),
    properties: { containers: [{ name: 'model', properties: { image: IMAGE, resources: { requests: { cpu: 1, memoryInGB: 1 } } } }], osType: 'Linux', ...properties },
  };
}

describe('Local Azure ACI: who may pull a group image', () => {
  it('pulls with a user name and password the registry accepts', async () => {
    const access = await checkImageAccess(group({ imageRegistryCredentials: [{ server: SERVER, username: 'admin', password: 'pw' }] }), [SERVER], logins);
    assert.deepEqual(access.ok && [...access.auth.values()], [{ username: 'admin', password: 'pw', serveraddress: SERVER }]);
    assert.deepEqual(await checkImageAccess(group({ imageRegistryCredentials: [{ server: SERVER, username: 'admin', password: 'no' }] }), [SERVER], logins), { ok: false, image: IMAGE });
  });

  it('pulls as a user-assigned identity attached to the group, with a token issued to it', async () => {
    const attached = { type: 'UserAssigned' as const, userAssignedIdentities: { [IDENTITY.toUpperCase()]: {} } };
    const access = await checkImageAccess(group({ imageRegistryCredentials: [{ server: SERVER, identity: IDENTITY }] }, attached), [SERVER], logins);
    assert.deepEqual(access.ok && [...access.auth.values()], [{ username: TOKEN_USER, password: 'refresh-for-id-agents', serveraddress: SERVER }]);
  });

  it('refuses an identity that is not attached to the group (InaccessibleImage)', async () => {
    for (const identity of [undefined, { type: 'SystemAssigned' as const }, { type: 'UserAssigned' as const, userAssignedIdentities: { [`${IDENTITY}-other`]: {} } }]) {
      assert.deepEqual(await checkImageAccess(group({ imageRegistryCredentials: [{ server: SERVER, identity: IDENTITY }] }, identity), [SERVER], logins), { ok: false, image: IMAGE });
    }
  });

  it('refuses an identity whose roles do not allow pulling, and every identity where the registries cannot issue identity tokens', async () => {
    const other = IDENTITY.replace('id-agents', 'id-no-roles');
    const attached = { type: 'UserAssigned' as const, userAssignedIdentities: { [other]: {} } };
    assert.deepEqual(await checkImageAccess(group({ imageRegistryCredentials: [{ server: SERVER, identity: other }] }, attached), [SERVER], logins), { ok: false, image: IMAGE });
    const withoutIdentityPulls: RegistryLoginCheck = { canPull: (...args) => logins.canPull(...args), hasImage: (...args) => logins.hasImage(...args) };
    const mine = { type: 'UserAssigned' as const, userAssignedIdentities: { [IDENTITY]: {} } };
    assert.deepEqual(await checkImageAccess(group({ imageRegistryCredentials: [{ server: SERVER, identity: IDENTITY }] }, mine), [SERVER], withoutIdentityPulls), { ok: false, image: IMAGE });
  });

  it('never pulls from a registry that is not local, nor without credentials for the image registry', async () => {
    assert.deepEqual(await checkImageAccess(group({}), [SERVER], logins), { ok: false, image: IMAGE });
    assert.deepEqual(await checkImageAccess(group({ imageRegistryCredentials: [{ server: SERVER, username: 'admin', password: 'pw' }] }), ['127.0.0.1:6000'], logins), { ok: false, image: IMAGE });
  });

  it('refuses a tag or a repository the registry does not hold, even with good credentials (InaccessibleImage at PUT)', async () => {
    const credentials = [{ server: SERVER, username: 'admin', password: 'pw' }];
    for (const image of [`${SERVER}/models/sentiment:2`, `${SERVER}/models/missing:1`, `${SERVER}/models/sentiment@sha256:${'0'.repeat(64)}`]) {
      const body = group({ imageRegistryCredentials: credentials });
      const container = body.properties.containers[0];
      if (container) container.properties.image = image;
      assert.deepEqual(await checkImageAccess(body, [SERVER], logins), { ok: false, image });
    }
  });
});
