import * as assert from 'node:assert/strict';
import { manifestFromInspect } from '../../../tasks/common/docker/docker-manifests';
import { digestFromPushOutput, digestFromRepoDigests, isAccessDenied, isImageNotFound, lastLines } from '../../../tasks/common/docker/docker-output';
import { summariseManifest } from '../../../tasks/common/azure/acr-manifests';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

describe('reading docker output', () => {
  it('takes the digest from docker push output', () => {
    const output = [
      'The push refers to repository [127.0.0.1:5443/models/app]',
      '5f70bf18a086: Pushed',
      'e2eb06d8af82: Layer already exists',
      `42: digest: ${D1} size: 739`,
    ].join('\n');
    assert.equal(digestFromPushOutput(output), D1);
  });
  it('finds no digest in output without one, and takes the last when there are several', () => {
    assert.equal(digestFromPushOutput('5f70bf18a086: Pushed\n'), undefined);
    assert.equal(digestFromPushOutput(`a: digest: ${D1} size: 1\nb: digest: ${D2} size: 1`), D2);
  });
  it('picks the repo digest of the right repository from docker inspect', () => {
    const json = JSON.stringify([`other.io/models/app@${D1}`, `127.0.0.1:5443/models/app@${D2}`]);
    assert.equal(digestFromRepoDigests(json, '127.0.0.1:5443/models/app'), D2);
    assert.equal(digestFromRepoDigests('[]', '127.0.0.1:5443/models/app'), undefined);
    assert.equal(digestFromRepoDigests('not json', 'x'), undefined);
  });
  it('tells a missing image from a refused pull', () => {
    assert.equal(isImageNotFound('Error response from daemon: manifest for x:latest not found: manifest unknown'), true);
    assert.equal(isImageNotFound('Error response from daemon: pull access denied for x, repository does not exist'), false);
    assert.equal(isAccessDenied('unauthorized: authentication required'), true);
    assert.equal(isAccessDenied('denied: requested access to the resource is denied'), true);
    assert.equal(isAccessDenied('net/http: TLS handshake timeout'), false);
  });
  it('keeps the last non-blank lines', () => {
    assert.deepEqual(lastLines('a\n\nb\r\nc\n  \n', 2), ['b', 'c']);
  });

  it('summarises a manifest: size is the config plus the layers', () => {
    const manifest = { schemaVersion: 2, config: { digest: D2, size: 100 }, layers: [{ digest: D1, size: 1000 }, { digest: D2, size: 24 }] };
    assert.deepEqual(summariseManifest(D1, 'application/vnd.docker.distribution.manifest.v2+json', manifest), {
      digest: D1,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      configDigest: D2,
      sizeInBytes: 1124,
      layers: [
        { digest: D1, size: 1000 },
        { digest: D2, size: 24 },
      ],
    });
  });
  it('reads docker manifest inspect --verbose output', () => {
    const json = JSON.stringify({
      Ref: '127.0.0.1:5443/models/app:1',
      Descriptor: { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: D1, size: 528 },
      SchemaV2Manifest: { config: { digest: D2, size: 10 }, layers: [{ digest: D2, size: 5 }] },
    });
    const manifest = manifestFromInspect(json);
    assert.equal(manifest.digest, D1);
    assert.equal(manifest.sizeInBytes, 15);
    assert.throws(() => manifestFromInspect('[]'), /single image manifest/);
    assert.throws(() => manifestFromInspect('oops'), /not JSON/);
  });
});
