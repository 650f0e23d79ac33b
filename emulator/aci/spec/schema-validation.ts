/**
 * Validation against the 2023-05-01 OpenAPI (Swagger 2.0) definitions of Microsoft.ContainerInstance.
 * The swagger `definitions` are JSON Schema draft-4-like; ajv runs them with unknown keywords
 * (x-ms-*, discriminator, readOnly) ignored and the swagger number formats accepted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const SPEC_PATH = join(__dirname, 'containerInstance-2023-05-01.json');

interface SwaggerDocument {
  definitions: Record<string, unknown>;
}

export interface SchemaValidator {
  /** A request body: undefined when valid, otherwise a message in the style of ARM's InvalidRequestContent. */
  validate(definition: string, value: unknown): string | undefined;
  /**
   * A response body. Secrets (`x-ms-secret`) are never returned, so, as Azure's own response
   * validation does, they do not count as required there (LogAnalytics.workspaceKey is).
   */
  validateResponse(definition: string, value: unknown): string | undefined;
}

let shared: SchemaValidator | undefined;

export function containerInstanceSchema(): SchemaValidator {
  shared ??= createSchemaValidator(JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as SwaggerDocument);
  return shared;
}

export function createSchemaValidator(document: SwaggerDocument): SchemaValidator {
  const requests = compiler(document.definitions);
  const responses = compiler(withoutRequiredSecrets(document.definitions));
  return { validate: requests, validateResponse: responses };
}

function compiler(definitions: Record<string, unknown>): (definition: string, value: unknown) => string | undefined {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  for (const format of ['int32', 'int64', 'double', 'float', 'unixtime']) ajv.addFormat(format, { type: 'number', validate: () => true });
  ajv.addFormat('arm-id', { type: 'string', validate: (value: string) => value.startsWith('/') });
  ajv.addSchema({ $id: 'aci', definitions });
  const compiled = new Map<string, ValidateFunction>();
  return (definition, value) => {
    let validator = compiled.get(definition);
    if (!validator) {
      validator = ajv.compile({ $ref: `aci#/definitions/${definition}` });
      compiled.set(definition, validator);
    }
    if (validator(value)) return undefined;
    return describe(validator.errors?.[0]);
  };
}

interface ObjectSchema {
  required?: string[];
  properties?: Record<string, { 'x-ms-secret'?: boolean }>;
}

function withoutRequiredSecrets(definitions: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(definitions)) as Record<string, ObjectSchema>;
  for (const schema of Object.values(copy)) {
    if (!schema.required || !schema.properties) continue;
    const properties = schema.properties;
    schema.required = schema.required.filter((name) => properties[name]?.['x-ms-secret'] !== true);
  }
  return copy;
}

/** JSON pointer '/properties/containers/0/name' -> ARM's 'properties.containers[0].name'. */
function toPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return 'The request content was invalid and could not be deserialized.';
  const path = toPath(error.instancePath);
  const where = `Path '${path}'`;
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return `The request content was invalid and could not be deserialized: 'Required property '${missing}' not found in JSON. ${where}.'.`;
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String).join("', '");
      return `The request content was invalid and could not be deserialized: 'Error converting value to an allowed value ('${allowed}'). ${where}.'.`;
    }
    case 'type':
      return `The request content was invalid and could not be deserialized: 'Unexpected value; expected ${(error.params as { type: string }).type}. ${where}.'.`;
    default:
      return `The request content was invalid and could not be deserialized: '${error.message ?? 'invalid value'}. ${where}.'.`;
  }
}
