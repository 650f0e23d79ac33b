import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ACR_REFRESH_TOKEN_USER, AcrSignInRefusedError, exchangeForAcrRefreshToken, reasonOf } from '../../../tasks/common/azure/acr-refresh-token';
import { acrDockerLogin } from '../../../tasks/common/azure/acr-sign-in';
import type { AzureRmConnection } from '../../../tasks/common/azure/arm-connection';
import { containerRegistriesOver } from '../../../tasks/common/azure/container-registries';
import type { Clock } from '../../../tasks/common/deadline';
import { dockerConfigJson, withTemporaryDockerConfig } from '../../../tasks/common/docker/docker-config';
import { TaskError } from '../../../tasks/common/errors';
import { silentLog } from '../../support/silent-log';

const instantClock: Clock = { now: () => 0, sleep: () => Promise.resolve() };

function fakeFetch(responses: (Response | Error)[], seen: { url: string; body: string }[] = []): typeof fetch {
  return (input, init) => {
    seen.push({ url: input instanceof Request ? input.url : input.toString(), body: typeof init?.body === "string" ? init.body : "" });
    const next = responses.shift();
    if (next === undefined) throw new Error('no more responses');
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
}

describe('temporary Docker config', () => {
  it('holds only auths, base64 user:password, with Docker Hub under its index URL', () => {
    const parsed = JSON.parse(
      dockerConfigJson([
        { server: '127.0.0.1:5443', username: ACR_REFRESH_TOKEN_USER, password: 'tok' },
        { server: 'docker.io', username: 'u', password: 'p' },
      ]),
    ) as { auths: Record<string, { auth: string }> };
    assert.deepEqual(Object.keys(parsed), ['auths']);
    assert.equal(Buffer.from(parsed.auths['127.0.0.1:5443']?.auth ?? '', 'base64').toString(), `${ACR_REFRESH_TOKEN_USER}:tok`);
    assert.ok(parsed.auths['https://index.docker.io/v1/']);
  });

  it('is private while in use and gone afterwards, after success and after failure', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'build-docker-config-'));
    try {
      let seen = '';
      await withTemporaryDockerConfig(parent, () => Promise.resolve([{ server: 'r', username: 'u', password: 'p' }]), (dir) => {
        seen = dir;
        assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
        assert.equal(fs.statSync(path.join(dir, 'config.json')).mode & 0o777, 0o600);
        return Promise.resolve();
      });
      assert.equal(fs.existsSync(seen), false);
      await assert.rejects(
        withTemporaryDockerConfig(parent, () => Promise.resolve([]), (dir) => {
          seen = dir;
          return Promise.reject(new Error('build failed'));
        }),
        /build failed/,
      );
      assert.equal(fs.existsSync(seen), false);
      await assert.rejects(withTemporaryDockerConfig(parent, () => Promise.reject(new Error('sign-in refused')), () => Promise.resolve()), /sign-in refused/);
      assert.deepEqual(fs.readdirSync(parent), []);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('ACR refresh token exchange', () => {
  it('posts the access token form to /oauth2/exchange and returns the refresh token', async () => {
    const seen: { url: string; body: string }[] = [];
    const token = await exchangeForAcrRefreshToken(
      { loginServer: '127.0.0.1:5443', aadAccessToken: 'aad', tenantId: 't1' },
      { fetch: fakeFetch([new Response(JSON.stringify({ refresh_token: 'refresh' }), { status: 200 })], seen), clock: instantClock },
    );
    assert.equal(token, 'refresh');
    assert.equal(seen[0]?.url, 'https://127.0.0.1:5443/oauth2/exchange');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(seen[0]?.body)), { grant_type: 'access_token', service: '127.0.0.1:5443', access_token: 'aad', tenant: 't1' });
  });
  it('retries 503 and network errors, then succeeds', async () => {
    const token = await exchangeForAcrRefreshToken(
      { loginServer: 'r', aadAccessToken: 'a' },
      { fetch: fakeFetch([new Response('', { status: 503 }), new TypeError('fetch failed'), new Response('{"refresh_token":"x"}')]), clock: instantClock },
    );
    assert.equal(token, 'x');
  });
  it('does not retry a refusal, and keeps the registry reason', async () => {
    await assert.rejects(
      exchangeForAcrRefreshToken(
        { loginServer: 'r', aadAccessToken: 'a' },
        { fetch: fakeFetch([new Response('{"errors":[{"code":"UNAUTHORIZED","message":"not authorized"}]}', { status: 401 })]), clock: instantClock },
      ),
      (error: unknown) => error instanceof AcrSignInRefusedError && error.status === 401 && error.reason === 'not authorized',
    );
    assert.equal(reasonOf('{"error_description":"bad token"}'), 'bad token');
  });
  it('says the registry could not be reached after the retries', async () => {
    await assert.rejects(
      exchangeForAcrRefreshToken({ loginServer: 'r', aadAccessToken: 'a' }, { fetch: fakeFetch(Array.from({ length: 4 }, () => new TypeError('fetch failed'))), clock: instantClock, maxAttempts: 4 }),
      (error: unknown) => error instanceof TaskError && /Signing in to container registry r failed: the registry could not be reached \(FETCH_FAILED\) on POST https:\/\/r\/oauth2\/exchange \(tried 4 times.*retry later/.test(error.message),
    );
  });
});

const connection: AzureRmConnection = {
  id: 'conn-1',
  scheme: 'ServicePrincipalKey',
  clientId: 'client-1',
  tenantId: 'tenant-1',
  subscriptionId: 'sub-1',
  resourceManagerUrl: 'https://arm/',
  authorityHost: 'https://login/',
  audience: 'https://management.core.windows.net/',
};
const registry = { id: '/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/reg', name: 'reg', resourceGroup: 'rg', loginServer: 'reg.local:5443', adminUserEnabled: true };

describe('ACR docker login with an Entra ID identity', () => {
  it('gets a token for the connection audience, exchanges it, masks both tokens, and signs in as the null GUID user', async () => {
    const secrets: string[] = [];
    const scopes: string[] = [];
    const credential = { getToken: (scope: string | string[]) => (scopes.push(String(scope)), Promise.resolve({ token: 'aad-token', expiresOnTimestamp: 0 })) };
    const login = await acrDockerLogin(connection, credential, registry, {
      setSecret: (v) => secrets.push(v),
      fetch: fakeFetch([new Response('{"refresh_token":"acr-refresh"}')]),
      clock: instantClock,
    });
    assert.deepEqual(login, { server: 'reg.local:5443', username: '00000000-0000-0000-0000-000000000000', password: 'acr-refresh' });
    assert.deepEqual(secrets, ['aad-token', 'acr-refresh']);
    assert.deepEqual(scopes, ['https://management.core.windows.net//.default']);
  });
  it('names the identity and the AcrPush role when the registry refuses', async () => {
    const credential = { getToken: () => Promise.resolve({ token: 'aad-token', expiresOnTimestamp: 0 }) };
    await assert.rejects(
      acrDockerLogin(connection, credential, registry, { setSecret: () => undefined, fetch: fakeFetch([new Response('{"errors":[{"message":"denied"}]}', { status: 401 })]), clock: instantClock }),
      (error: unknown) =>
        error instanceof TaskError &&
        error.message.includes("refused the sign-in of service principal of service connection 'conn-1': denied") &&
        error.message.includes('AcrPush role'),
    );
  });
});

describe('container registries of a subscription', () => {
  const api = {
    async *list() {
      yield await Promise.resolve({ id: registry.id, name: 'reg', loginServer: 'reg.local:5443', adminUserEnabled: true });
      yield { id: '/subscriptions/sub-1/resourceGroups/rg2/providers/Microsoft.ContainerRegistry/registries/other', name: 'other', loginServer: 'other.local' };
    },
    listCredentials: () => Promise.resolve({ username: 'reg', passwords: [{ value: 'pw1' }, { value: 'pw2' }] }),
  };
  const secrets: string[] = [];
  const registries = containerRegistriesOver(api, { subscriptionId: 'sub-1', subscriptionName: 'Dev', clientId: 'client-1', resourceManagerUrl: 'https://management.local/' }, { ...silentLog, setSecret: (v) => secrets.push(v) });

  it('finds a registry by name or login server, case-insensitively, with its resource group', async () => {
    assert.deepEqual(await registries.find('REG', 'azureContainerRegistry'), registry);
    assert.equal((await registries.find('Other.Local', 'azureContainerRegistry')).resourceGroup, 'rg2');
    assert.deepEqual(await registries.find(' https://Reg.Local:5443/ ', 'azureContainerRegistry'), registry, 'a pasted URL works too');
  });
  it('names the input and lists what exists when not found', async () => {
    await assert.rejects(
      registries.find('missing', 'azureContainerRegistry'),
      (error: unknown) =>
        error instanceof TaskError &&
        error.message.startsWith("Input 'azureContainerRegistry': no container registry named 'missing' was found in subscription 'Dev' (sub-1); it has: reg (reg.local:5443), other (other.local)."),
    );
  });
  it('hands out admin credentials, masked at once, and refuses when the admin user is off', async () => {
    assert.deepEqual(await registries.adminCredentials(registry), { username: 'reg', password: 'pw1' });
    assert.deepEqual(secrets, ['pw1']);
    await assert.rejects(registries.adminCredentials({ ...registry, adminUserEnabled: false }), /admin user of container registry 'reg' is disabled/);
  });
});
