/**
 * The ACR data plane: the docker CLI (login with the token user and a refresh token, push, pull) and
 * @azure/container-registry (list repositories, tags, manifests; get a manifest), all unchanged.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerRegistryClient, ContainerRegistryContentClient, KnownContainerRegistryAudience } from '@azure/container-registry';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { required, useLocalAzure } from './local-azure-fixture';
import { buildScratchImage, docker, type TestImage } from './test-image';

const TOKEN_USER = '00000000-0000-0000-0000-000000000000';
const PAYLOAD_BYTES = 256 * 1024;

describe('local Azure: container registry data plane', function () {
  this.timeout(120_000);
  const azure = useLocalAzure();
  let image: TestImage | undefined;
  let dockerConfig: string | undefined;
  let pushedDigest = '';

  before(async function () {
    this.timeout(120_000);
    image = await buildScratchImage(PAYLOAD_BYTES);
    dockerConfig = await mkdtemp(join(tmpdir(), 'lazure-test-docker-config-'));
  });
  after(async function () {
    await image?.remove();
    if (dockerConfig) await rm(dockerConfig, { recursive: true, force: true });
  });

  function credential(): TokenCredential {
    const { authParameters } = azure().connections.spnKey;
    return new ClientSecretCredential(azure().tenantId, required(authParameters.serviceprincipalid, 'id'), required(authParameters.serviceprincipalkey, 'key'), {
      authorityHost: azure().authorityHost,
      disableInstanceDiscovery: true,
    });
  }
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, DOCKER_CONFIG: dockerConfig });

  async function refreshToken(): Promise<string> {
    const { loginServer } = azure().registry;
    const aadToken = await credential().getToken('https://management.azure.com/.default');
    const response = await fetch(`https://${loginServer}/oauth2/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'access_token', service: loginServer, tenant: azure().tenantId, access_token: aadToken?.token ?? '' }),
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { refresh_token: string }).refresh_token;
  }

  it('challenges an anonymous request with ACR realm, service and scope', async function () {
    const { loginServer } = azure().registry;
    const response = await fetch(`https://${loginServer}/v2/samples/model/manifests/latest`);
    assert.equal(response.status, 401);
    assert.equal(
      response.headers.get('www-authenticate'),
      `Bearer realm="https://${loginServer}/oauth2/token",service="${loginServer}",scope="repository:samples/model:pull"`,
    );
  });

  it('refuses a push before docker login', async function () {
    const target = `${azure().registry.loginServer}/samples/refused:v1`;
    await docker(['tag', image?.name ?? '', target]);
    try {
      await assert.rejects(docker(['push', target], { env: env() }), /unauthorized|authentication required/i);
    } finally {
      await docker(['rmi', target]).catch(() => '');
    }
  });

  it('lets the docker CLI log in with the token user and a refresh token, push and pull', async function () {
    const { loginServer } = azure().registry;
    await docker(['login', loginServer, '--username', TOKEN_USER, '--password-stdin'], { env: env(), input: await refreshToken() });
    const target = `${loginServer}/samples/model:v1`;
    await docker(['tag', image?.name ?? '', target]);
    azure().clearRequests();
    try {
      const output = await docker(['push', target], { env: env() });
      pushedDigest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1] ?? '';
      assert.match(pushedDigest, /^sha256:/);
      const uploaded = azure().requests().filter((entry) => entry.host === loginServer && entry.route === 'acr.v2.blobUploads');
      const bytes = uploaded.reduce((sum, entry) => sum + entry.bytesReceived, 0);
      assert.ok(bytes >= PAYLOAD_BYTES, `pushed ${bytes} bytes`);
      await docker(['rmi', target]);
      await docker(['pull', target], { env: env() });
      const digests = await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', target]);
      assert.ok(digests.includes(pushedDigest));
    } finally {
      await docker(['rmi', target]).catch(() => '');
    }
  });

  it('pushes with the pushImage helper and reports the digest', async function () {
    const digest = await azure().pushImage(image?.name ?? '', 'samples/helper', 'v2');
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
  });

  it('lists repositories, tags and manifests, and gets a manifest, with @azure/container-registry', async function () {
    assert.ok(pushedDigest, 'the docker push test ran first');
    const endpoint = `https://${azure().registry.loginServer}`;
    const audience = KnownContainerRegistryAudience.AzureResourceManagerPublicCloud;
    const client = new ContainerRegistryClient(endpoint, credential(), { audience });
    const repositories: string[] = [];
    for await (const name of client.listRepositoryNames()) repositories.push(name);
    assert.ok(repositories.includes('samples/model'), repositories.join(', '));
    const manifests = [];
    for await (const manifest of client.getRepository('samples/model').listManifestProperties()) manifests.push(manifest);
    assert.deepEqual(manifests.map((manifest) => manifest.digest), [pushedDigest]);
    assert.deepEqual(manifests[0]?.tags, ['v1']);
    assert.ok((manifests[0]?.sizeInBytes ?? 0) >= PAYLOAD_BYTES);
    const tags = [];
    for await (const tag of client.getArtifact('samples/model', 'v1').listTagProperties()) tags.push(tag.name);
    assert.deepEqual(tags, ['v1']);
    const content = new ContainerRegistryContentClient(endpoint, 'samples/model', credential(), { audience });
    const fetched = await content.getManifest('v1');
    assert.equal(fetched.digest, pushedDigest);
  });

  it('checks registry logins for Container Instances: admin user, service principal and refresh token', async function () {
    const { registry } = azure();
    const { spnKey } = azure().connections;
    const logins = azure().registryLogins;
    assert.equal(await logins.canPull(registry.loginServer, 'samples/model', registry.adminUsername, registry.adminPassword), true);
    assert.equal(await logins.canPull(registry.loginServer, 'samples/model', registry.adminUsername, 'wrong'), false);
    assert.equal(await logins.canPull(registry.loginServer, 'samples/model', required(spnKey.authParameters.serviceprincipalid, 'id'), required(spnKey.authParameters.serviceprincipalkey, 'key')), true);
    assert.equal(await logins.canPull(registry.loginServer, 'samples/model', TOKEN_USER, await refreshToken()), true);
  });
});
