/** Decoding of the Docker engine's stream formats (pure). */

/**
 * `docker logs` of a container without a TTY is multiplexed: frames of an 8-byte header
 * (stream type, 3 zero bytes, big-endian length) followed by the payload.
 */
export function demultiplexLogs(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const type = raw[offset];
    if (type !== 0 && type !== 1 && type !== 2) return raw.toString('utf8'); // not multiplexed (TTY)
    const length = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The engine's progress streams: one JSON object per line. Lines that do not parse are skipped. */
export function splitJsonLines(raw: Buffer): Record<string, unknown>[] {
  const result: Record<string, unknown>[] = [];
  for (const line of raw.toString('utf8').split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed && typeof parsed === 'object') result.push(parsed as Record<string, unknown>);
    } catch {
      // partial or non-JSON line: ignore
    }
  }
  return result;
}
