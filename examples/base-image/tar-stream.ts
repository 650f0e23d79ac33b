// A deterministic tar (ustar) stream of the planned root file system: fixed timestamps, numeric
// owners, entries in path order. The same inputs give the same bytes, hence the same layer digest.
import { createReadStream } from 'node:fs';
import type { RootfsEntry } from './rootfs-plan.js';

const BLOCK = 512;
/** Every entry's modification time: 2000-01-01T00:00:00Z. */
export const FIXED_MTIME_SECONDS = 946_684_800;

function field(header: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`Tar header field too long (${bytes.length} > ${length}): '${value}'.`);
  bytes.copy(header, offset);
}

function octal(header: Buffer, offset: number, length: number, value: number): void {
  field(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

export function tarHeader(entry: RootfsEntry): Buffer {
  const header = Buffer.alloc(BLOCK);
  const name = entry.kind === 'directory' ? `${entry.path}/` : entry.path;
  if (Buffer.byteLength(name) >= 100) throw new Error(`Path too long for a ustar header: '${name}'.`);
  field(header, 0, 100, name);
  octal(header, 100, 8, entry.mode & 0o7777);
  octal(header, 108, 8, entry.uid);
  octal(header, 116, 8, entry.gid);
  octal(header, 124, 12, entry.kind === 'file' ? entry.size : 0);
  octal(header, 136, 12, FIXED_MTIME_SECONDS);
  header.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  field(header, 156, 1, entry.kind === 'file' ? '0' : entry.kind === 'symlink' ? '2' : '5');
  if (entry.kind === 'symlink') field(header, 157, 100, entry.target);
  field(header, 257, 6, 'ustar\0');
  field(header, 263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

const padding = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

export async function* tarStream(entries: readonly RootfsEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield tarHeader(entry);
    if (entry.kind !== 'file') continue;
    if ('content' in entry.source) {
      yield Buffer.from(entry.source.content, 'utf8');
    } else {
      let written = 0;
      for await (const chunk of createReadStream(entry.source.hostPath) as AsyncIterable<Buffer>) {
        written += chunk.length;
        if (written > entry.size) break;
        yield chunk;
      }
      if (written !== entry.size) {
        throw new Error(`${entry.source.hostPath} changed while the base image was being built (size ${written}, expected ${entry.size}).`);
      }
    }
    yield padding(entry.size);
  }
  yield Buffer.alloc(BLOCK * 2);
}
