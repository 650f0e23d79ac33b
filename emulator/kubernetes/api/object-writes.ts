/**
 * What every write does to the object it is given, in kube-apiserver's order: parse the body (JSON or
 * YAML), check it is the kind of the endpoint, decode it against the official schema (type errors: 400;
 * unknown fields: dropped, then a warning or, with `fieldValidation=Strict`, a 400), default it, validate
 * it (422 Invalid with causes) and, on update, check what may not change.
 */
import { isObject } from '../json-values';
import { parse as parseYaml } from 'yaml';
import { applyDefaults } from '../admission/defaulting';
import { validateObject, validateUpdate } from '../admission/validation';
import type { KubernetesSchema } from '../openapi/kubernetes-schema';
import type { DecodeResult } from '../openapi/schema-decoder';
import { apiVersionOf, type ResourceType } from '../store/resource-types';
import { badRequest, invalid, KubernetesStatusError } from '../status-errors';

type Obj = Record<string, unknown>;

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation') ?? 'Warn';
  if (value !== 'Strict' && value !== 'Warn' && value !== 'Ignore') throw badRequest(`fieldValidation parameter unsupported: ${value}, must be one of "Ignore", "Warn", or "Strict"`);
  return value;
}

/** Parses a request body: JSON, or YAML for apply patches and YAML content types. */
export function parseBody(body: Buffer, contentType: string | undefined): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the body of the request was empty');
  const type = (contentType ?? 'application/json').toLowerCase();
  try {
    return type.includes('yaml') ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw badRequest(type.includes('yaml') ? `error converting YAML to JSON: ${detail}` : `couldn't get version/kind; json parse error: ${detail}`);
  }
}

export interface ObjectWrites {
  /**
   * Decodes `value` as the endpoint's kind: checks apiVersion/kind when present, fills them in, drops unknown
   * fields (returning the warnings) and null fields; throws 400 on type errors or, with Strict, unknown fields.
   */
  decode(type: ResourceType, value: unknown, fieldValidation: FieldValidation, purpose?: 'apply'): { object: Obj; warnings: string[] };
  /** Defaults and validates an object about to be stored (422 on invalid); `before` for updates. */
  admit(type: ResourceType, object: Obj, before?: Obj): void;
}

export function createObjectWrites(schema: KubernetesSchema, decoder: (definition: string, body: unknown) => DecodeResult): ObjectWrites {
  return {
    decode(type, value, fieldValidation, purpose) {
      if (!isObject(value)) throw badRequest(`Object '${type.kind}' is not a JSON object`);
      const expectedVersion = apiVersionOf(type);
      const apiVersion = value.apiVersion;
      const kind = value.kind;
      if (purpose === 'apply' && (typeof apiVersion !== 'string' || typeof kind !== 'string')) {
        throw badRequest(`error decoding patch: Object 'Kind' is missing in '${JSON.stringify(value).slice(0, 200)}'`);
      }
      if (typeof apiVersion === 'string' && apiVersion !== expectedVersion) {
        throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${expectedVersion})`);
      }
      if (typeof kind === 'string' && kind !== type.kind) throw badRequest(`the kind in the data (${kind}) does not match the expected kind (${type.kind})`);
      const definition = schema.definitionOf(type.group, type.version, type.kind);
      if (!definition) throw new KubernetesStatusError(500, 'InternalError', `no schema for ${expectedVersion}, Kind=${type.kind}`);
      const result = decoder(definition, { ...value, apiVersion: expectedVersion, kind: type.kind });
      const prefix = `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}`;
      if (result.typeError) throw badRequest(`${prefix}: ${result.typeError}`);
      if (result.invalid.length > 0) {
        const first = result.invalid[0];
        throw badRequest(`${prefix}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'${first ? '' : ''}`);
      }
      const unknown = result.unknownFields.map((field) => `unknown field "${field}"`);
      if (unknown.length > 0 && purpose === 'apply' && fieldValidation !== 'Ignore') {
        throw badRequest(`failed to create typed patch object (${expectedVersion}, Kind=${type.kind}): ${result.unknownFields.map((field) => `.${field}: field not declared in schema`).join(', ')}`);
      }
      if (unknown.length > 0 && fieldValidation === 'Strict') throw badRequest(`${prefix}: strict decoding error: ${unknown.join(', ')}`);
      return { object: result.value as Obj, warnings: fieldValidation === 'Warn' ? unknown : [] };
    },
    admit(type, object, before) {
      applyDefaults(type.group, type.kind, object);
      const metadata = isObject(object.metadata) ? object.metadata : {};
      const name = typeof metadata.name === 'string' ? metadata.name : '';
      const causes = validateObject(type.group, type.kind, object);
      if (before) causes.push(...validateUpdate(type.group, type.kind, before, object));
      if (causes.length > 0) throw invalid(type, name, causes);
    },
  };
}
