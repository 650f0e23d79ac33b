// What goes into the base image's single layer: a Debian-shaped root file system holding the
// host's Node.js binary, the shared libraries it and native addons load (mirrored with the host's
// symlinks: /lib -> usr/lib, libstdc++.so.6 -> libstdc++.so.6.0.30, ...), a non-root user 'node'
// (uid 1000) and /tmp. The host is read through HostFiles, so the plan is testable without a disk.
import path from 'node:path';

export type HostEntry =
  | { readonly kind: 'file'; readonly mode: number; readonly size: number }
  | { readonly kind: 'directory'; readonly mode: number }
  | { readonly kind: 'symlink'; readonly target: string }
  | { readonly kind: 'missing' };

export interface HostFiles {
  lstat(hostPath: string): HostEntry;
}

interface Owned {
  /** Path inside the image, relative: 'usr/lib/x86_64-linux-gnu/libc.so.6'. */
  readonly path: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export type RootfsEntry =
  | (Owned & { readonly kind: 'directory' })
  | (Owned & { readonly kind: 'symlink'; readonly target: string })
  | (Owned & { readonly kind: 'file'; readonly size: number; readonly source: { readonly hostPath: string } | { readonly content: string } });

export const NODE_UID = 1000;
export const IMAGE_NODE_PATH = 'usr/local/bin/node';

const PASSWD = [
  'root:x:0:0:root:/root:/usr/sbin/nologin',
  `node:x:${NODE_UID}:${NODE_UID}:node:/home/node:/usr/sbin/nologin`,
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  '',
].join('\n');
const GROUP = ['root:x:0:', `node:x:${NODE_UID}:`, 'nogroup:x:65534:', ''].join('\n');

const inImage = (hostPath: string): string => path.posix.normalize(hostPath).replace(/^\/+/, '');

class Plan {
  readonly entries = new Map<string, RootfsEntry>();

  add(entry: RootfsEntry): void {
    const existing = this.entries.get(entry.path);
    if (existing !== undefined && existing.kind !== entry.kind) {
      throw new Error(`The base image would hold '/${entry.path}' both as a ${existing.kind} and as a ${entry.kind}.`);
    }
    if (existing === undefined) this.entries.set(entry.path, entry);
  }

  directory(imagePath: string, mode = 0o755, uid = 0): void {
    if (imagePath === '' || imagePath === '.') return;
    const parent = path.posix.dirname(imagePath);
    if (parent !== '.') this.directory(parent);
    this.add({ kind: 'directory', path: imagePath, mode, uid, gid: uid });
  }

  text(imagePath: string, content: string, mode = 0o644): void {
    this.directory(path.posix.dirname(imagePath));
    this.add({ kind: 'file', path: imagePath, mode, uid: 0, gid: 0, size: Buffer.byteLength(content), source: { content } });
  }

  /** Adds hostPath as the host has it: every symlink on the way becomes a symlink in the image too. */
  mirror(host: HostFiles, hostPath: string, depth = 0): void {
    if (depth > 40) throw new Error(`Too many levels of symbolic links while resolving ${hostPath}.`);
    const parts = path.posix.normalize(hostPath).split('/').filter((p) => p !== '');
    let current = '/';
    for (const [index, part] of parts.entries()) {
      current = path.posix.join(current, part);
      const entry = host.lstat(current);
      const last = index === parts.length - 1;
      if (entry.kind === 'missing') throw new Error(`${current} does not exist on this machine.`);
      if (entry.kind === 'symlink') {
        this.directory(path.posix.dirname(inImage(current)));
        this.add({ kind: 'symlink', path: inImage(current), target: entry.target, mode: 0o777, uid: 0, gid: 0 });
        const resolved = path.posix.resolve(path.posix.dirname(current), entry.target);
        this.mirror(host, path.posix.join(resolved, ...parts.slice(index + 1)), depth + 1);
        return;
      }
      if (entry.kind === 'directory' && !last) continue;
      if (entry.kind === 'file' && last) {
        this.directory(path.posix.dirname(inImage(current)));
        this.add({ kind: 'file', path: inImage(current), mode: entry.mode & 0o755, uid: 0, gid: 0, size: entry.size, source: { hostPath: current } });
        return;
      }
      throw new Error(`${current} is a ${entry.kind}; expected ${last ? 'a file' : 'a directory'}.`);
    }
  }
}

export interface RootfsInput {
  /** The Node.js executable to ship as /usr/local/bin/node (its real path, not a symlink). */
  readonly nodeBinary: { readonly hostPath: string; readonly size: number };
  /** Host paths of the shared libraries to ship (from ldd), the dynamic loader included. */
  readonly libraries: readonly string[];
}

export function planRootfs(input: RootfsInput, host: HostFiles): RootfsEntry[] {
  const plan = new Plan();
  for (const library of input.libraries) plan.mirror(host, library);
  plan.directory('usr/local/bin');
  plan.add({ kind: 'file', path: IMAGE_NODE_PATH, mode: 0o755, uid: 0, gid: 0, size: input.nodeBinary.size, source: { hostPath: input.nodeBinary.hostPath } });
  plan.text('etc/passwd', PASSWD);
  plan.text('etc/group', GROUP);
  plan.directory('tmp', 0o1777);
  plan.directory('root', 0o700);
  plan.directory('home');
  plan.directory('home/node', 0o755, NODE_UID);
  return [...plan.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
