import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalDns } from '../../../emulator/aci/engine/local-dns';

describe('local DNS names of container groups (hosts file)', () => {
  let folder: string;
  let hosts: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'local-dns-'));
    hosts = path.join(folder, 'hosts');
    fs.writeFileSync(hosts, '127.0.0.1 localhost\n::1 localhost ip6-localhost\n');
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it("adds, replaces and removes only this instance's lines, keeping everything else", () => {
    const a = createLocalDns('aaaa', hosts);
    const b = createLocalDns('bbbb', hosts);
    a.sync([{ fqdn: 'iris.westeurope.azurecontainer.io', ip: '127.100.0.5' }]);
    b.sync([{ fqdn: 'other.eastus.azurecontainer.io', ip: '127.100.0.9' }]);
    a.sync([{ fqdn: 'iris2.westeurope.azurecontainer.io', ip: '127.100.0.6' }]);
    const lines = fs.readFileSync(hosts, 'utf8').trim().split('\n');
    assert.deepEqual(lines.slice(0, 2), ['127.0.0.1 localhost', '::1 localhost ip6-localhost']);
    assert.equal(lines.filter((l) => l.includes('iris.westeurope')).length, 0);
    assert.match(lines.find((l) => l.includes('iris2.')) ?? '', /^127\.100\.0\.6 iris2\.westeurope\.azurecontainer\.io # lazure-dns aaaa pid=\d+$/);
    assert.ok(lines.some((l) => l.startsWith('127.100.0.9 other.eastus.azurecontainer.io')));
    a.clear();
    b.clear();
    assert.equal(fs.readFileSync(hosts, 'utf8'), '127.0.0.1 localhost\n::1 localhost ip6-localhost\n');
    assert.equal(fs.existsSync(`${hosts}.lazure.lock`), false);
  });

  it('drops the lines of an instance whose process is gone', () => {
    fs.appendFileSync(hosts, '127.100.0.7 stale.westeurope.azurecontainer.io # lazure-dns dead pid=999999999\n');
    createLocalDns('cccc', hosts).sync([]);
    assert.doesNotMatch(fs.readFileSync(hosts, 'utf8'), /stale/);
  });

  it('says why when the hosts file cannot be written, and keeps names unique in a claims file instead', () => {
    const claims = path.join(folder, 'claims');
    const dns = createLocalDns('dddd', path.join(folder, 'missing', 'hosts'), claims);
    const other = createLocalDns('eeee', path.join(folder, 'missing', 'hosts'), claims);
    assert.match(dns.unavailableBecause ?? '', /not writable/);
    assert.deepEqual(dns.sync([{ fqdn: 'x.westeurope.azurecontainer.io', ip: '127.100.0.8' }]), []);
    assert.equal(other.heldElsewhere('X.westeurope.azurecontainer.io'), true);
    assert.deepEqual(other.sync([{ fqdn: 'x.westeurope.azurecontainer.io', ip: '127.100.0.9' }]), ['x.westeurope.azurecontainer.io']);
    dns.clear();
    other.clear();
    assert.equal(fs.existsSync(claims), false, 'the claims file goes with the last name');
  });

  it('refuses a name another live instance holds, writing nothing for it, and frees it when that instance stops', () => {
    const a = createLocalDns('aaaa', hosts);
    const b = createLocalDns('bbbb', hosts);
    assert.deepEqual(a.sync([{ fqdn: 'iris.westeurope.azurecontainer.io', ip: '127.100.0.5' }]), []);
    assert.equal(b.heldElsewhere('iris.westeurope.azurecontainer.io'), true);
    assert.equal(a.heldElsewhere('iris.westeurope.azurecontainer.io'), false, 'its own names are not held elsewhere');
    assert.deepEqual(b.sync([{ fqdn: 'iris.westeurope.azurecontainer.io', ip: '127.100.0.6' }]), ['iris.westeurope.azurecontainer.io']);
    assert.equal(fs.readFileSync(hosts, 'utf8').split('\n').filter((line) => line.includes('iris.')).length, 1, 'one address for the name, never two');
    a.clear();
    assert.deepEqual(b.sync([{ fqdn: 'iris.westeurope.azurecontainer.io', ip: '127.100.0.6' }]), []);
    assert.match(fs.readFileSync(hosts, 'utf8'), /^127\.100\.0\.6 iris\./m);
    b.clear();
  });
});
