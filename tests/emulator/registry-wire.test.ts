/**
 * The registry data plane as clients drive it, through the https front with ACR tokens: HEAD on blobs
 * and manifests (with and without a token), a chunked blob upload (POST, PATCH, PATCH, PUT) and the
 * bytes it logs, and cross-repository blob mounts (which need pull on the source repository).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { buildBusyboxImage, removeImage } from './aci-support/test-image';
import { useLocalAzure } from './local-azure-fixture';

const LOCAL_TAG = `lazure-registry-wire-busybox:${process.pid}`;
const MANIFEST_TYPES = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';

describe('local Azure: registry data plane on the wire', function () {
  this.timeout(120_000);
  const azure = useLocalAzure();
  let layerDigest: string;
  let layerSize: number;

  const base = (): string => `https://${azure().registry.loginServer}`;

  /** An ACR access token for exactly these scopes, as a client gets it: Entra token -> exchange -> token. */
  async function accessToken(...scopes: string[]): Promise<string> {
    const loginServer = azure().registry.loginServer;
    const form = (values: Record<string, string>): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(values).toString(),
    });
    const exchanged = await fetch(`${base()}/oauth2/exchange`, form({ grant_type: 'access_token', service: loginServer, access_token: azure().issueAccessToken('https://containerregistry.azure.net') }));
    const { refresh_token: refreshToken } = (await exchanged.json()) as { refresh_token: string };
    const body = new URLSearchParams({ grant_type: 'refresh_token', service: loginServer, refresh_token: refreshToken });
    for (const scope of scopes) body.append('scope', scope);
    const issued = await fetch(`${base()}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    assert.equal(issued.status, 200);
    const answer = (await issued.json()) as { access_token: string; expires_in: number };
    assert.equal(answer.expires_in, 75 * 60, 'expires_in: the access token lifetime in seconds, as ACR answers');
    return answer.access_token;
  }

  before(async function () {
    await buildBusyboxImage(LOCAL_TAG);
    await azure().pushImage(LOCAL_TAG, 'wire/source', '1');
    const token = await accessToken('repository:wire/source:pull');
    const manifest = await fetch(`${base()}/v2/wire/source/manifests/1`, { headers: { authorization: `Bearer ${token}`, accept: MANIFEST_TYPES } });
    const layers = ((await manifest.json()) as { layers: { digest: string; size: number }[] }).layers;
    const largest = [...layers].sort((a, b) => b.size - a.size)[0];
    if (!largest) throw new Error('The pushed image has no layers.');
    layerDigest = largest.digest;
    layerSize = largest.size;
  });

  after(async () => {
    await removeImage(LOCAL_TAG);
  });

  it('answers HEAD on blobs and manifests with the size and digest and no body, and challenges HEAD without a token', async function () {
    const token = await accessToken('repository:wire/source:pull');
    const blob = await fetch(`${base()}/v2/wire/source/blobs/${layerDigest}`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
    assert.equal(blob.status, 200);
    assert.equal(Number(blob.headers.get('content-length')), layerSize);
    assert.equal(blob.headers.get('docker-content-digest'), layerDigest);
    assert.equal((await blob.arrayBuffer()).byteLength, 0);
    const manifest = await fetch(`${base()}/v2/wire/source/manifests/1`, { method: 'HEAD', headers: { authorization: `Bearer ${token}`, accept: MANIFEST_TYPES } });
    assert.equal(manifest.status, 200);
    assert.match(manifest.headers.get('docker-content-digest') ?? '', /^sha256:[0-9a-f]{64}$/);
    const anonymous = await fetch(`${base()}/v2/wire/source/manifests/1`, { method: 'HEAD' });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), `Bearer realm="${base()}/oauth2/token",service="${azure().registry.loginServer}",scope="repository:wire/source:pull"`);
  });

  it('takes a chunked upload (POST, PATCH, PATCH, PUT) and logs the bytes each request carried', async function () {
    const token = await accessToken('repository:wire/chunked:pull,push');
    const auth = { authorization: `Bearer ${token}` };
    const content = randomBytes(300_000);
    const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    azure().clearRequests();
    const started = await fetch(`${base()}/v2/wire/chunked/blobs/uploads/`, { method: 'POST', headers: { ...auth, 'content-length': '0' } });
    assert.equal(started.status, 202);
    let location = new URL(started.headers.get('location') ?? '', base());
    assert.equal(location.origin, base(), 'the upload URL points at the front, over https');
    for (const [from, to] of [[0, 100_000], [100_000, content.length]] as const) {
      const chunk = content.subarray(from, to);
      const patched = await fetch(location, {
        method: 'PATCH',
        headers: { ...auth, 'content-type': 'application/octet-stream', 'content-range': `${from}-${to - 1}`, 'content-length': String(chunk.length) },
        body: chunk,
      });
      assert.equal(patched.status, 202);
      assert.equal(patched.headers.get('range'), `0-${to - 1}`);
      location = new URL(patched.headers.get('location') ?? '', base());
    }
    location.searchParams.set('digest', digest);
    const finished = await fetch(location, { method: 'PUT', headers: { ...auth, 'content-length': '0' } });
    assert.equal(finished.status, 201);
    assert.equal(finished.headers.get('docker-content-digest'), digest);
    const uploads = azure().requests().filter((entry) => entry.route === 'acr.v2.blobUploads');
    assert.deepEqual(uploads.map((entry) => [entry.method, entry.status, entry.bytesReceived]), [
      ['POST', 202, 0],
      ['PATCH', 202, 100_000],
      ['PATCH', 202, 200_000],
      ['PUT', 201, 0],
    ]);
    const stored = await fetch(`${base()}/v2/wire/chunked/blobs/${digest}`, { method: 'HEAD', headers: auth });
    assert.equal(Number(stored.headers.get('content-length')), content.length);
  });

  it('lets the docker CLI mount the layers it already pushed to another repository (only the config is uploaded)', async function () {
    azure().clearRequests();
    await azure().pushImage(LOCAL_TAG, 'wire/copy', '1');
    const uploads = azure().requests().filter((entry) => entry.route === 'acr.v2.blobUploads');
    const mounted = uploads.filter((entry) => entry.method === 'POST' && entry.status === 201);
    assert.equal(mounted.length, 2, 'both layers are mounted (201 to the POST, no upload)');
    const sent = uploads.reduce((sum, entry) => sum + entry.bytesReceived, 0);
    assert.ok(sent > 0 && sent < 10_000, `only the image config is uploaded (${sent} bytes), not the ${layerSize}-byte layer`);
  });

  it('mounts a blob from another repository only with pull on that repository', async function () {
    const mountUrl = `${base()}/v2/wire/target/blobs/uploads/?mount=${encodeURIComponent(layerDigest)}&from=wire/source`;
    const targetOnly = await accessToken('repository:wire/target:pull,push');
    const refused = await fetch(mountUrl, { method: 'POST', headers: { authorization: `Bearer ${targetOnly}`, 'content-length': '0' } });
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /,scope="repository:wire\/target:pull,push repository:wire\/source:pull"$/);

    const both = await accessToken('repository:wire/target:pull,push', 'repository:wire/source:pull');
    const mounted = await fetch(mountUrl, { method: 'POST', headers: { authorization: `Bearer ${both}`, 'content-length': '0' } });
    assert.equal(mounted.status, 201);
    assert.equal(mounted.headers.get('docker-content-digest'), layerDigest);
    assert.equal(new URL(mounted.headers.get('location') ?? '', base()).pathname, `/v2/wire/target/blobs/${layerDigest}`);
    const head = await fetch(`${base()}/v2/wire/target/blobs/${layerDigest}`, { method: 'HEAD', headers: { authorization: `Bearer ${both}` } });
    assert.equal(head.status, 200);
  });
});
