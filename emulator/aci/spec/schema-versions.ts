/**
 * The Container Instances schema of each api-version whose spec the emulator carries (2023-05-01, the
 * contract it serves; 2026-05-01, the newest stable), for checking that replies also satisfy the newer
 * contract. References to ARM's common types (ProxyResource, systemData, ErrorResponse), which live in
 * another file of azure-rest-api-specs, are read as "any object".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerInstanceSchema, createSchemaValidator, type SchemaValidator } from './schema-validation';

export const SPEC_VERSIONS = ['2023-05-01', '2026-05-01'] as const;
export type SpecVersion = (typeof SPEC_VERSIONS)[number];

const loaded = new Map<SpecVersion, SchemaValidator>();

function withoutExternalReferences(key: string, value: unknown): unknown {
  const reference = (value as { $ref?: unknown } | null)?.$ref;
  return typeof reference === 'string' && !reference.startsWith('#') ? { type: 'object' } : value;
}

export function containerInstanceSchemaOf(version: SpecVersion): SchemaValidator {
  if (version === '2023-05-01') return containerInstanceSchema();
  let validator = loaded.get(version);
  if (!validator) {
    const path = join(__dirname, `containerInstance-${version}.json`);
    validator = createSchemaValidator(JSON.parse(readFileSync(path, 'utf8'), withoutExternalReferences) as { definitions: Record<string, unknown> });
    loaded.set(version, validator);
  }
  return validator;
}
