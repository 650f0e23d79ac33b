/**
 * Azure never returns secure environment values or registry passwords, so the task keeps a salted,
 * slow hash of them in a tag to see when they change. The tag is readable by anyone who can read the
 * group: scrypt with a random per-group salt keeps guessing the values expensive. Format:
 * `scrypt1.<salt hex>.<hash hex>`.
 */
import { randomBytes, scryptSync } from 'node:crypto';

const PREFIX = 'scrypt1';

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/** The salt of an existing tag value, to hash the new values comparably; undefined when the tag is absent or foreign. */
export function saltOf(tagValue: string | undefined): string | undefined {
  const parts = tagValue?.split('.');
  if (parts?.length !== 3 || parts[0] !== PREFIX || !/^[0-9a-f]{32}$/.test(parts[1] ?? '')) return undefined;
  return parts[1];
}

/** Hashes name/value pairs (order-insensitive); undefined when there is nothing secret. */
export function hashSecrets(values: readonly { name: string; value: string }[], salt: string): string | undefined {
  if (values.length === 0) return undefined;
  const canonical = JSON.stringify([...values].sort((a, b) => a.name.localeCompare(b.name)).map((v) => [v.name, v.value]));
  const hash = scryptSync(canonical, Buffer.from(salt, 'hex'), 32, { N: 16384, r: 8, p: 1 }).toString('hex');
  return `${PREFIX}.${salt}.${hash}`;
}
