import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inputHash } from '../../../examples/base-image/input-hash';
import { planRootfs, type HostEntry, type HostFiles, type RootfsEntry } from '../../../examples/base-image/rootfs-plan';
import { parseLddOutput } from '../../../examples/base-image/shared-libraries';
import { tarStream } from '../../../examples/base-image/tar-stream';

const LDD_NODE = `
\tlinux-vdso.so.1 (0x00007ffd2a5f2000)
\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f0656946000)
\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f0656600000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f065641e000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f065695e000)
`;

/** A Debian bookworm-like host: merged /usr, versioned libstdc++, the loader linked from /usr/lib64. */
const debianHost: HostFiles = {
  lstat(p: string): HostEntry {
    const table: Record<string, HostEntry> = {
      '/lib': { kind: 'symlink', target: 'usr/lib' },
      '/lib64': { kind: 'symlink', target: 'usr/lib64' },
      '/usr': { kind: 'directory', mode: 0o755 },
      '/usr/lib': { kind: 'directory', mode: 0o755 },
      '/usr/lib64': { kind: 'directory', mode: 0o755 },
      '/usr/lib/x86_64-linux-gnu': { kind: 'directory', mode: 0o755 },
      '/usr/lib/x86_64-linux-gnu/libc.so.6': { kind: 'file', mode: 0o755, size: 10 },
      '/usr/lib/x86_64-linux-gnu/libdl.so.2': { kind: 'file', mode: 0o644, size: 3 },
      '/usr/lib/x86_64-linux-gnu/libstdc++.so.6': { kind: 'symlink', target: 'libstdc++.so.6.0.30' },
      '/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30': { kind: 'file', mode: 0o644, size: 20 },
      '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2': { kind: 'file', mode: 0o755, size: 5 },
      '/usr/lib64/ld-linux-x86-64.so.2': { kind: 'symlink', target: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' },
    };
    return table[p] ?? { kind: 'missing' };
  },
};

const describeEntry = (e: RootfsEntry): string =>
  `${e.kind} ${e.path}${e.kind === 'symlink' ? ` -> ${e.target}` : ''} ${e.mode.toString(8)} ${e.uid}`;

describe('example: base image plan', () => {
  it('reads library paths from ldd output, the loader included, the vDSO skipped', () => {
    assert.deepEqual(parseLddOutput(LDD_NODE, 'node'), [
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
    assert.throws(() => parseLddOutput('\tlibfoo.so.1 => not found\n', '/usr/bin/node'), /needs libfoo\.so\.1, which is not installed/);
  });

  it('mirrors the host layout with its symlinks, and adds node, a non-root user and /tmp', () => {
    const entries = planRootfs({ nodeBinary: { hostPath: '/opt/node', size: 100 }, libraries: parseLddOutput(LDD_NODE, 'node') }, debianHost);
    assert.deepEqual(entries.map(describeEntry), [
      'directory etc 755 0',
      'file etc/group 644 0',
      'file etc/passwd 644 0',
      'directory home 755 0',
      'directory home/node 755 1000',
      'symlink lib -> usr/lib 777 0',
      'symlink lib64 -> usr/lib64 777 0',
      'directory root 700 0',
      'directory tmp 1777 0',
      'directory usr 755 0',
      'directory usr/lib 755 0',
      'directory usr/lib/x86_64-linux-gnu 755 0',
      'file usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 755 0',
      'file usr/lib/x86_64-linux-gnu/libc.so.6 755 0',
      'file usr/lib/x86_64-linux-gnu/libdl.so.2 644 0',
      'symlink usr/lib/x86_64-linux-gnu/libstdc++.so.6 -> libstdc++.so.6.0.30 777 0',
      'file usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30 644 0',
      'directory usr/lib64 755 0',
      'symlink usr/lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 777 0',
      'directory usr/local 755 0',
      'directory usr/local/bin 755 0',
      'file usr/local/bin/node 755 0',
    ]);
    const passwd = entries.find((e) => e.path === 'etc/passwd');
    assert.ok(passwd?.kind === 'file' && 'content' in passwd.source);
    assert.match(passwd.source.content, /^node:x:1000:1000:/m);
  });

  it('fails on a library the host does not have', () => {
    assert.throws(() => planRootfs({ nodeBinary: { hostPath: '/opt/node', size: 1 }, libraries: ['/lib/x86_64-linux-gnu/libgone.so.1'] }, debianHost), /libgone\.so\.1 does not exist/);
  });

  describe('layer contents', () => {
    let dir: string;
    let entries: RootfsEntry[];
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'base-image-plan-'));
      writeFileSync(path.join(dir, 'node'), 'not really node');
      entries = planRootfs({ nodeBinary: { hostPath: path.join(dir, 'node'), size: 15 }, libraries: [] }, debianHost);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('is a valid tar that GNU tar lists with owners, modes and a fixed date', async () => {
      const tar = spawn('tar', ['-tvf', '-', '--numeric-owner'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
      let listing = '';
      tar.stdout.setEncoding('utf8').on('data', (d: string) => (listing += d));
      for await (const chunk of tarStream(entries)) tar.stdin.write(chunk);
      tar.stdin.end();
      const code = await new Promise<number | null>((resolve) => tar.once('close', resolve));
      assert.equal(code, 0);
      assert.match(listing, /^drwxrwxrwt 0\/0 +0 2000-01-01 00:00 tmp\/$/m);
      assert.match(listing, /^drwxr-xr-x 1000\/1000 +0 2000-01-01 00:00 home\/node\/$/m);
      assert.match(listing, /^-rwxr-xr-x 0\/0 +15 2000-01-01 00:00 usr\/local\/bin\/node$/m);
    });

    it('has an input hash that changes with the content and the image config, and only then', async () => {
      const first = await inputHash(entries, ['CMD ["node"]']);
      assert.equal(await inputHash(entries, ['CMD ["node"]']), first);
      assert.notEqual(await inputHash(entries, ['CMD ["sh"]']), first);
      writeFileSync(path.join(dir, 'node'), 'not really NODE');
      assert.notEqual(await inputHash(entries, ['CMD ["node"]']), first);
    });
  });
});
