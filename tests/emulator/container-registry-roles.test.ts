/**
 * Registry roles (Azure RBAC on ACR's data plane), through the real clients: an identity with AcrPull
 * pulls and cannot push (the docker CLI shows ACR's own error), AcrPush identities and the admin user
 * push; the token service narrows access tokens to what the roles allow instead of refusing them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { allowedActions, grantAccess, type RoleAssignment } from '../../emulator/acr/model/registry-roles';
import type { ServiceConnection } from '../../emulator/service-connection';
import { decodeJwtPayload, required, useLocalAzure } from './local-azure-fixture';
import { buildScratchImage, docker, type TestImage } from './test-image';

const TOKEN_USER = '00000000-0000-0000-0000-000000000000';
const REPOSITORY = 'samples/roles';
const ACR_UNAUTHORIZED = /unauthorized: authentication required, visit https:\/\/aka\.ms\/acr\/authorization for more information\./;

describe('local Azure: container registry roles', function () {
  this.timeout(180_000);
  const azure = useLocalAzure();
  let image: TestImage | undefined;
  /** Layers the registry has never seen: its push has to upload blobs. */
  let freshImage: TestImage | undefined;
  let seededDigest = '';
  const configs: string[] = [];
  const localTags: string[] = [];

  before(async function () {
    this.timeout(120_000);
    image = await buildScratchImage(64 * 1024);
    freshImage = await buildScratchImage(64 * 1024);
    seededDigest = await azure().pushImage(image.name, REPOSITORY, 'v1');
  });
  after(async function () {
    for (const tag of localTags) await docker(['rmi', tag]).catch(() => '');
    await image?.remove();
    await freshImage?.remove();
    for (const config of configs) await rm(config, { recursive: true, force: true });
  });

  async function refreshTokenOf(connection: ServiceConnection): Promise<string> {
    const { authParameters } = connection;
    const credential = new ClientSecretCredential(azure().tenantId, required(authParameters.serviceprincipalid, 'id'), required(authParameters.serviceprincipalkey, 'key'), {
      authorityHost: azure().authorityHost,
      disableInstanceDiscovery: true,
    });
    const aadToken = await credential.getToken('https://management.core.windows.net/.default');
    const { loginServer } = azure().registry;
    const response = await fetch(`https://${loginServer}/oauth2/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'access_token', service: loginServer, tenant: azure().tenantId, access_token: aadToken?.token ?? '' }),
    });
    assert.equal(response.status, 200, 'ACR exchanges a valid Entra ID token of the tenant whatever the roles');
    return ((await response.json()) as { refresh_token: string }).refresh_token;
  }

  async function accessOf(refreshToken: string, scope: string): Promise<unknown> {
    const { loginServer } = azure().registry;
    const response = await fetch(`https://${loginServer}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', service: loginServer, scope, refresh_token: refreshToken }),
    });
    assert.equal(response.status, 200, 'the token endpoint narrows the access; it does not refuse');
    return decodeJwtPayload(((await response.json()) as { access_token: string }).access_token).access;
  }

  /** A fresh DOCKER_CONFIG signed in to the registry with `username`/`password` (read from stdin, never argv). */
  async function dockerEnv(username: string, password: string): Promise<NodeJS.ProcessEnv> {
    const config = await mkdtemp(join(tmpdir(), 'lazure-roles-docker-config-'));
    configs.push(config);
    const env = { ...process.env, DOCKER_CONFIG: config };
    await docker(['login', azure().registry.loginServer, '--username', username, '--password-stdin'], { env, input: password });
    return env;
  }

  async function pushAs(env: NodeJS.ProcessEnv, tag: string, source = image): Promise<string> {
    const target = `${azure().registry.loginServer}/${REPOSITORY}:${tag}`;
    await docker(['tag', source?.name ?? '', target]);
    localTags.push(target);
    return docker(['push', target], { env });
  }

  async function registryHasTag(tag: string): Promise<boolean> {
    const { loginServer, adminUsername, adminPassword } = azure().registry;
    const basic = `Basic ${Buffer.from(`${adminUsername}:${adminPassword}`).toString('base64')}`;
    const tokenResponse = await fetch(`https://${loginServer}/oauth2/token?service=${encodeURIComponent(loginServer)}&scope=${encodeURIComponent(`repository:${REPOSITORY}:pull`)}`, {
      headers: { authorization: basic },
    });
    const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };
    const response = await fetch(`https://${loginServer}/v2/${REPOSITORY}/manifests/${tag}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    return response.status === 200;
  }

  it('narrows the pull-only identity\'s access token to pull, and gives AcrPush pull and push but not delete', async function () {
    const scopes = `repository:${REPOSITORY}:pull,push,delete`;
    assert.deepEqual(await accessOf(await refreshTokenOf(azure().connections.spnPullOnly), scopes), [{ type: 'repository', name: REPOSITORY, actions: ['pull'] }]);
    assert.deepEqual(await accessOf(await refreshTokenOf(azure().connections.spnKey), scopes), [{ type: 'repository', name: REPOSITORY, actions: ['pull', 'push'] }]);
    assert.deepEqual(await accessOf(await refreshTokenOf(azure().connections.spnPullOnly), 'registry:catalog:*'), [{ type: 'registry', name: 'catalog', actions: ['*'] }]);
  });

  it('lets the pull-only identity pull with the docker CLI (token user and refresh token)', async function () {
    const env = await dockerEnv(TOKEN_USER, await refreshTokenOf(azure().connections.spnPullOnly));
    const reference = `${azure().registry.loginServer}/${REPOSITORY}:v1`;
    localTags.push(reference);
    await docker(['pull', reference], { env });
    const digests = await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', reference]);
    assert.ok(digests.includes(seededDigest), digests);
  });

  it('refuses the pull-only identity\'s push with ACR\'s error, as docker prints it', async function () {
    const env = await dockerEnv(TOKEN_USER, await refreshTokenOf(azure().connections.spnPullOnly));
    azure().clearRequests();
    await assert.rejects(pushAs(env, 'pull-only', freshImage), ACR_UNAUTHORIZED);
    const host = azure().registry.loginServer;
    const uploads = azure().requests().filter((entry) => entry.host === host && entry.route === 'acr.v2.blobUploads');
    assert.ok(uploads.length > 0, 'docker tried to upload the new layer');
    assert.deepEqual(uploads.filter((entry) => entry.status !== 401), [], 'every upload was refused with 401');
    assert.equal(await registryHasTag('pull-only'), false);
  });

  it('refuses the push also when the pull-only service principal signs in with its client id and secret', async function () {
    const { authParameters } = azure().connections.spnPullOnly;
    const env = await dockerEnv(required(authParameters.serviceprincipalid, 'id'), required(authParameters.serviceprincipalkey, 'key'));
    // The layers are in the repository already (v1): docker goes straight to the manifest, which is refused.
    await assert.rejects(pushAs(env, 'pull-only-secret'), ACR_UNAUTHORIZED);
    assert.equal(await registryHasTag('pull-only-secret'), false);
  });

  it('lets an AcrPush identity and the admin user push', async function () {
    const pusher = await dockerEnv(TOKEN_USER, await refreshTokenOf(azure().connections.spnKey));
    assert.match(await pushAs(pusher, 'acr-push'), /digest: sha256:[0-9a-f]{64}/);
    assert.equal(await registryHasTag('acr-push'), true);
    const { adminUsername, adminPassword } = azure().registry;
    const admin = await dockerEnv(adminUsername, adminPassword);
    assert.match(await pushAs(admin, 'admin'), /digest: sha256:[0-9a-f]{64}/);
    assert.equal(await registryHasTag('admin'), true);
  });

  it('lets Container Instances pull with the pull-only service principal', async function () {
    const { authParameters } = azure().connections.spnPullOnly;
    const id = required(authParameters.serviceprincipalid, 'id');
    assert.equal(await azure().registryLogins.canPull(azure().registry.loginServer, REPOSITORY, id, required(authParameters.serviceprincipalkey, 'key')), true);
  });
});

describe('registry roles: what each role allows (pure)', function () {
  const subscription = '/subscriptions/1111';
  const registry = `${subscription}/resourceGroups/rg-models/providers/Microsoft.ContainerRegistry/registries/crmodels`;
  const other = `${subscription}/resourceGroups/rg-other/providers/Microsoft.ContainerRegistry/registries/crother`;
  const at = (role: RoleAssignment['role'], scope: string): RoleAssignment => ({ principalId: 'p', role, scope });

  it('allows nothing without a role, and nothing from a role on another registry or resource group', function () {
    assert.deepEqual(allowedActions([], 'p', registry), []);
    assert.deepEqual(allowedActions([at('Owner', other), at('Owner', `${subscription}/resourceGroups/rg-other`)], 'p', registry), []);
    assert.deepEqual(allowedActions([at('AcrPush', registry)], 'someone-else', registry), []);
  });

  it('inherits roles from the subscription and the resource group, and unions them', function () {
    assert.deepEqual(allowedActions([at('Reader', subscription)], 'p', registry), ['pull', 'metadata_read']);
    assert.deepEqual(allowedActions([at('AcrPull', `${subscription}/resourceGroups/RG-MODELS`), at('AcrDelete', registry)], 'p', registry), ['pull', 'delete', 'metadata_read']);
    assert.deepEqual(allowedActions([at('Contributor', subscription)], 'p', registry), ['pull', 'push', 'delete', 'metadata_read', 'metadata_write']);
  });

  it('narrows requested scopes to the allowed actions, expanding * and dropping what is not allowed', function () {
    const granted = grantAccess(
      [
        { type: 'repository', name: 'a', actions: ['pull', 'push'] },
        { type: 'repository', name: 'b', actions: ['*'] },
        { type: 'registry', name: 'catalog', actions: ['*'] },
      ],
      ['pull', 'metadata_read'],
    );
    assert.deepEqual(granted, [
      { type: 'repository', name: 'a', actions: ['pull'] },
      { type: 'repository', name: 'b', actions: ['pull', 'metadata_read'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
    assert.deepEqual(grantAccess([{ type: 'registry', name: 'catalog', actions: ['*'] }], []), [{ type: 'registry', name: 'catalog', actions: [] }]);
  });
});
