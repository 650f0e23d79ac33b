/**
 * The pod sandbox (Kubernetes' "pause" container) holds a pod's network namespace, so that the pod's
 * IP stays the same across container restarts and its containers share localhost. No image can be
 * pulled, so the image is made here: a static executable that only waits (x86-64: the pause
 * syscall; arm64: ppoll with nothing to poll), imported into the engine from a one-file tar archive.
 */
import { staticExecutable } from '../../docker/static-executable';
import { dockerRequest, engineMessage } from '../../docker/docker-engine';

const PAUSE_CODE: Record<string, { machine: number; code: number[] }> = {
  // loop: mov eax, 34 (pause); syscall; jmp loop
  x64: { machine: 0x3e, code: [0xb8, 0x22, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xf7] },
  // loop: mov x0..x3, #0; mov x8, #73 (ppoll); svc #0; b loop
  arm64: {
    machine: 0xb7,
    code: [0x00, 0x00, 0x80, 0xd2, 0x01, 0x00, 0x80, 0xd2, 0x02, 0x00, 0x80, 0xd2, 0x03, 0x00, 0x80, 0xd2, 0x28, 0x09, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4, 0xfa, 0xff, 0xff, 0x17],
  },
};

export function pauseExecutable(arch: string = process.arch): Buffer {
  const target = PAUSE_CODE[arch];
  if (!target) throw new Error(`The local kubelet has no pod sandbox executable for CPU architecture '${arch}'.`);
  return staticExecutable(target);
}

/** A ustar archive with one executable file. */
export function singleFileTar(name: string, content: Buffer, mode = 0o755): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write(`${mode.toString(8).padStart(7, '0')}\0`, 100, 'ascii');
  header.write('0000000\0', 108, 'ascii');
  header.write('0000000\0', 116, 'ascii');
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  header.write(`${Math.floor(Date.UTC(2020, 0, 1) / 1000).toString(8).padStart(11, '0')}\0`, 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/** Imports the sandbox image as `repository:tag` (POST /images/create?fromSrc=-). */
export async function importPauseImage(socketPath: string, repository: string, tag: string): Promise<string> {
  const query = new URLSearchParams({ fromSrc: '-', repo: repository, tag });
  query.append('changes', 'ENTRYPOINT ["/pause"]');
  const response = await dockerRequest(socketPath, 'POST', `/images/create?${query.toString()}`, singleFileTar('pause', pauseExecutable()));
  if (response.statusCode >= 300) throw new Error(`Importing the pod sandbox image failed (${response.statusCode}): ${engineMessage(response.body)}`);
  return `${repository}:${tag}`;
}
