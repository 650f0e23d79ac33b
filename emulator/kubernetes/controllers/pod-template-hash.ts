/**
 * The `pod-template-hash` label: Kubernetes' controller.ComputeHash hashes the pod template (plus
 * the collision count) with FNV-32a and encodes the decimal value with rand.SafeEncodeString (no
 * vowels, no ambiguous characters). Kubernetes feeds the hasher a go-spew dump of the Go struct;
 * here it is the template's canonical JSON (keys sorted), so the values differ from a real cluster's
 * but are stable, short and change exactly when the template changes.
 */
import type { PodTemplateSpec } from '../kube-types';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function computePodTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  let hash = fnv32a(0x811c9dc5, Buffer.from(canonicalJson(template), 'utf8'));
  if (collisionCount !== undefined) {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(collisionCount >>> 0);
    hash = fnv32a(hash, bytes);
  }
  return safeEncode(String(hash));
}

/** deploymentutil.EqualIgnoreHash: templates equal once the pod-template-hash label is dropped. */
export function templatesEqualIgnoringHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

function withoutHash(template: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  const metadata = { ...(template.metadata ?? {}), labels };
  if (Object.keys(labels).length === 0) delete (metadata as { labels?: unknown }).labels;
  return { ...template, metadata };
}

function fnv32a(seed: number, bytes: Buffer): number {
  let hash = seed >>> 0;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function safeEncode(text: string): string {
  let result = '';
  for (const char of text) result += SAFE_ALPHABET[char.charCodeAt(0) % SAFE_ALPHABET.length] ?? '';
  return result;
}

/** JSON with object keys sorted at every level; empty objects kept. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
