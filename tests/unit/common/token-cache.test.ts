import { strict as assert } from 'node:assert';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { TOKEN_REFRESH_MARGIN_IN_MS, cachingCredential } from '../../../tasks/common/azure/token-cache';

const HOUR = 3600_000;

/** A credential that counts its sign-ins and issues tokens living `lifetimeInMs` from `now`. */
function countingCredential(now: () => number, lifetimeInMs = HOUR) {
  const requests: { scopes: string | string[]; options?: GetTokenOptions }[] = [];
  let failNext = false;
  const credential: TokenCredential = {
    getToken: async (scopes, options) => {
      requests.push({ scopes, ...(options ? { options } : {}) });
      await Promise.resolve();
      if (failNext) {
        failNext = false;
        throw new Error('AADSTS7000215: invalid secret');
      }
      return { token: `token-${requests.length}`, expiresOnTimestamp: now() + lifetimeInMs } satisfies AccessToken;
    },
  };
  return { credential, requests, failOnce: () => (failNext = true) };
}

describe('cachingCredential', () => {
  it('signs in once per scope and hands the same token to every client until it is near expiry', async () => {
    let now = 1_000_000;
    const inner = countingCredential(() => now);
    const shared = cachingCredential(inner.credential, () => now);
    assert.equal((await shared.getToken('arm/.default'))?.token, 'token-1');
    assert.equal((await shared.getToken(['arm/.default']))?.token, 'token-1');
    assert.equal((await shared.getToken('acr/.default'))?.token, 'token-2', 'another scope is another token');
    now += HOUR - TOKEN_REFRESH_MARGIN_IN_MS - 1;
    assert.equal((await shared.getToken('arm/.default'))?.token, 'token-1', 'still fresh');
    now += 1;
    assert.equal((await shared.getToken('arm/.default'))?.token, 'token-3', 'renewed before it expires');
    assert.equal(inner.requests.length, 3);
  });

  it('shares one sign-in between requests made at the same time', async () => {
    const inner = countingCredential(() => 0);
    const shared = cachingCredential(inner.credential, () => 0);
    const tokens = await Promise.all([shared.getToken('arm/.default'), shared.getToken('arm/.default'), shared.getToken('arm/.default')]);
    assert.deepEqual(tokens.map((t) => t?.token), ['token-1', 'token-1', 'token-1']);
    assert.equal(inner.requests.length, 1);
  });

  it('renews at refreshAfterTimestamp when Entra ID gives one', async () => {
    let now = 0;
    let issued = 0;
    const shared = cachingCredential({ getToken: () => Promise.resolve({ token: `t${++issued}`, expiresOnTimestamp: now + HOUR, refreshAfterTimestamp: now + 10_000 }) }, () => now);
    await shared.getToken('s');
    now = 9_999;
    assert.equal((await shared.getToken('s'))?.token, 't1');
    now = 10_000;
    assert.equal((await shared.getToken('s'))?.token, 't2');
  });

  it('keeps no failure: the next request signs in again', async () => {
    const inner = countingCredential(() => 0);
    const shared = cachingCredential(inner.credential, () => 0);
    inner.failOnce();
    await assert.rejects(shared.getToken('arm/.default'), /AADSTS7000215/);
    assert.equal((await shared.getToken('arm/.default'))?.token, 'token-2');
  });

  it('always asks Entra ID when the request carries claims (a Continuous Access Evaluation challenge)', async () => {
    const inner = countingCredential(() => 0);
    const shared = cachingCredential(inner.credential, () => 0);
    await shared.getToken('arm/.default');
    await shared.getToken('arm/.default', { claims: '{"access_token":{"nbf":{"essential":true}}}' });
    assert.equal(inner.requests.length, 2);
  });

  it('keeps tokens of different tenants apart', async () => {
    const inner = countingCredential(() => 0);
    const shared = cachingCredential(inner.credential, () => 0);
    await shared.getToken('arm/.default', { tenantId: 'a' });
    await shared.getToken('arm/.default', { tenantId: 'b' });
    assert.equal(inner.requests.length, 2);
  });
});
