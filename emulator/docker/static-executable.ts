/**
 * The `containerCrash` scenario fault needs a process that really exits non-zero inside any image,
 * so that the engine's own restart policy produces a real crash loop. This is the smallest static
 * Linux executable that does `exit(1)`, written byte by byte (x86-64 or arm64, no libc, no shell).
 */
import { writeFileSync } from 'node:fs';

const LOAD_ADDRESS = 0x400000n;
const HEADERS_SIZE = 64 + 56;

const EXIT_1_CODE: Record<string, { machine: number; code: number[] }> = {
  // mov edi, 1; mov eax, 60 (exit); syscall
  x64: { machine: 0x3e, code: [0xbf, 0x01, 0, 0, 0, 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05] },
  // mov x0, #1; mov x8, #93 (exit); svc #0
  arm64: { machine: 0xb7, code: [0x20, 0x00, 0x80, 0xd2, 0xa8, 0x0b, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4] },
};

export function exitOneExecutable(arch: string = process.arch): Buffer {
  const target = EXIT_1_CODE[arch];
  if (!target) throw new Error(`The containerCrash fault has no executable for CPU architecture '${arch}'.`);
  return staticExecutable(target);
}

/** A static ELF executable holding only `code`, loaded at 0x400000 and entered at its first byte. */
export function staticExecutable(target: { machine: number; code: number[] }): Buffer {
  const size = HEADERS_SIZE + target.code.length;
  const elf = Buffer.alloc(size);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0); // ELF, 64-bit, little-endian, version 1, System V
  elf.writeUInt16LE(2, 16); // ET_EXEC
  elf.writeUInt16LE(target.machine, 18);
  elf.writeUInt32LE(1, 20);
  elf.writeBigUInt64LE(LOAD_ADDRESS + BigInt(HEADERS_SIZE), 24); // entry
  elf.writeBigUInt64LE(64n, 32); // program headers offset
  elf.writeUInt16LE(64, 52); // header size
  elf.writeUInt16LE(56, 54); // program header size
  elf.writeUInt16LE(1, 56); // one program header
  // PT_LOAD, R+X, the whole file at LOAD_ADDRESS
  elf.writeUInt32LE(1, 64);
  elf.writeUInt32LE(5, 68);
  elf.writeBigUInt64LE(0n, 72);
  elf.writeBigUInt64LE(LOAD_ADDRESS, 80);
  elf.writeBigUInt64LE(LOAD_ADDRESS, 88);
  elf.writeBigUInt64LE(BigInt(size), 96);
  elf.writeBigUInt64LE(BigInt(size), 104);
  elf.writeBigUInt64LE(0x1000n, 112);
  elf.set(target.code, HEADERS_SIZE);
  return elf;
}

export function writeExitOneExecutable(path: string): void {
  writeFileSync(path, exitOneExecutable(), { mode: 0o755 });
}
