/**
 * Each container group gets a loopback address of its own in 127.100.0.0/16, so that several
 * groups (and several emulator instances) can publish the same port. An address is taken only
 * when every port the group publishes can be bound on it right now.
 */
import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';

export interface LoopbackAllocator {
  allocate(ports: readonly number[]): Promise<string>;
  release(address: string): void;
}

export function createLoopbackAllocator(random: () => number = () => randomInt(0, 65536)): LoopbackAllocator {
  const taken = new Set<string>();
  return {
    async allocate(ports) {
      for (let attempt = 0; attempt < 50; attempt++) {
        const value = random();
        const address = `127.100.${(value >> 8) & 255}.${1 + ((value & 255) % 254)}`;
        if (taken.has(address)) continue;
        if (await allFree(address, ports)) {
          taken.add(address);
          return address;
        }
      }
      throw new Error('No free loopback address in 127.100.0.0/16 after 50 attempts.');
    },
    release(address) {
      taken.delete(address);
    },
  };
}

async function allFree(address: string, ports: readonly number[]): Promise<boolean> {
  for (const port of ports) {
    if (!(await isFree(address, port))) return false;
  }
  return true;
}

/** True unless something already listens there (other bind errors, e.g. EACCES, do not mean taken). */
export function isFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE'));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
