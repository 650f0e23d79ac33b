import assert from 'node:assert/strict';
import { demultiplexLogs, splitJsonLines } from '../../../emulator/docker/docker-stream';
import { registryAuthHeader } from '../../../emulator/docker/docker-engine';
import { splitTag } from '../../../emulator/docker/image-reference';
import { parseImageReference } from '../../../emulator/docker/image-reference';
import { checkApiVersion } from '../../../emulator/aci/spec/api-versions';
import { exitOneExecutable } from '../../../emulator/docker/static-executable';

function frame(stream: number, text: string): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(text)]);
}

describe('emulator aci: parsing', () => {
  it('demultiplexes docker logs', () => {
    assert.equal(demultiplexLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')])), 'out\nerr\n');
    assert.equal(demultiplexLogs(Buffer.from('plain tty text\n')), 'plain tty text\n');
  });

  it('splits progress streams and finds errors', () => {
    const lines = splitJsonLines(Buffer.from('{"status":"Pulling"}\n{"error":"unauthorized"}\nnot json\n'));
    assert.deepEqual(lines, [{ status: 'Pulling' }, { error: 'unauthorized' }]);
  });

  it('parses image references', () => {
    assert.deepEqual(parseImageReference('127.0.0.1:5000/models/app:1.2'), { registry: '127.0.0.1:5000', repository: 'models/app', reference: '1.2' });
    assert.deepEqual(parseImageReference('nginx'), { registry: 'docker.io', repository: 'library/nginx', reference: 'latest' });
    assert.deepEqual(parseImageReference('myacr.azurecr.io/app@sha256:abc'), { registry: 'myacr.azurecr.io', repository: 'app', reference: 'sha256:abc' });
    assert.deepEqual(splitTag('127.0.0.1:5000/app'), { repository: '127.0.0.1:5000/app', tag: 'latest' });
  });

  it('accepts the api-versions real clients send and refuses others with ARM codes', () => {
    assert.equal(checkApiVersion(new URLSearchParams('api-version=2023-05-01'), 'containerGroups', 'westeurope'), undefined);
    assert.equal(checkApiVersion(new URLSearchParams('api-version=2022-10-01-preview'), 'containerGroups', 'westeurope'), undefined);
    const codeOf = (query: string): unknown => (checkApiVersion(new URLSearchParams(query), 'containerGroups', 'westeurope')?.body as { error: { code: string } }).error.code;
    assert.equal(codeOf('api-version=2099-01-01'), 'NoRegisteredProviderFound');
    assert.equal(codeOf('api-version=latest'), 'InvalidApiVersionParameter');
    assert.equal(codeOf(''), 'MissingApiVersionParameter');
  });

  it('encodes X-Registry-Auth as padded base64url, as dockerd 20.10 decodes it', () => {
    const header = registryAuthHeader({ username: 'u', password: 'p?>', serveraddress: '127.0.0.1:5000' });
    assert.ok(header.endsWith('=') || header.length % 4 === 0);
    assert.doesNotMatch(header, /[+/]/);
    assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), { username: 'u', password: 'p?>', serveraddress: '127.0.0.1:5000' });
  });

  it('writes a tiny ELF executable', () => {
    const elf = exitOneExecutable('x64');
    assert.equal(elf.subarray(0, 4).toString('latin1'), '\x7fELF');
    assert.ok(elf.length < 200);
    assert.throws(() => exitOneExecutable('mips'), /no executable for CPU architecture 'mips'/);
  });
});
