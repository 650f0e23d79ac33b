/**
 * The OpenAPI v2 document in the protobuf form kubectl asks for (`Accept:
 * application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): gnostic's `openapi.v2.Document`
 * (google/gnostic openapiv2/OpenAPIv2.proto; field numbers below are that file's). kubectl decodes
 * only this form; it reads the definitions (types, properties, required, $ref and the
 * `x-kubernetes-*` extensions, which travel as YAML text) for validation, explain and patching.
 */
import { text } from '../json-values';
import { ProtobufWriter } from './protobuf-writer';

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);

/** gnostic `Any`: the value as YAML text (JSON is YAML). */
function writeAny(writer: ProtobufWriter, value: unknown): void {
  writer.string(2, JSON.stringify(value));
}

function writeNamedAny(writer: ProtobufWriter, name: string, value: unknown): void {
  writer.string(1, name).message(2, (any) => writeAny(any, value));
}

function vendorExtensions(source: Json): [string, unknown][] {
  return Object.entries(source).filter(([key]) => key.startsWith('x-'));
}

/** gnostic `Schema`. */
export function writeSchema(writer: ProtobufWriter, schema: Json): void {
  writer.string(1, typeof schema.$ref === 'string' ? schema.$ref : undefined);
  writer.string(2, typeof schema.format === 'string' ? schema.format : undefined);
  writer.string(3, typeof schema.title === 'string' ? schema.title : undefined);
  writer.string(4, typeof schema.description === 'string' ? schema.description : undefined);
  if (schema.default !== undefined) writer.message(5, (any) => writeAny(any, schema.default));
  writer.double(6, typeof schema.multipleOf === 'number' ? schema.multipleOf : undefined);
  writer.double(7, typeof schema.maximum === 'number' ? schema.maximum : undefined);
  writer.bool(8, schema.exclusiveMaximum === true);
  writer.double(9, typeof schema.minimum === 'number' ? schema.minimum : undefined);
  writer.bool(10, schema.exclusiveMinimum === true);
  writer.int64(11, typeof schema.maxLength === 'number' ? schema.maxLength : undefined);
  writer.int64(12, typeof schema.minLength === 'number' ? schema.minLength : undefined);
  writer.string(13, typeof schema.pattern === 'string' ? schema.pattern : undefined);
  writer.int64(14, typeof schema.maxItems === 'number' ? schema.maxItems : undefined);
  writer.int64(15, typeof schema.minItems === 'number' ? schema.minItems : undefined);
  writer.bool(16, schema.uniqueItems === true);
  writer.strings(19, Array.isArray(schema.required) ? schema.required.filter((item): item is string => typeof item === 'string') : undefined);
  if (Array.isArray(schema.enum)) for (const value of schema.enum) writer.message(20, (any) => writeAny(any, value));
  const additional = schema.additionalProperties;
  if (typeof additional === 'boolean') writer.message(21, (item) => item.bool(2, additional));
  else if (asObject(additional)) writer.message(21, (item) => item.message(1, (inner) => writeSchema(inner, asObject(additional) ?? {})));
  if (typeof schema.type === 'string') writer.message(22, (item) => item.strings(1, [schema.type as string]));
  const items = asObject(schema.items);
  if (items) writer.message(23, (item) => item.message(1, (inner) => writeSchema(inner, items)));
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) writer.message(24, (inner) => writeSchema(inner, asObject(part) ?? {}));
  const properties = asObject(schema.properties);
  if (properties) {
    writer.message(25, (props) => {
      for (const [name, value] of Object.entries(properties)) props.message(1, (named) => named.string(1, name).message(2, (inner) => writeSchema(inner, asObject(value) ?? {})));
    });
  }
  for (const [name, value] of vendorExtensions(schema)) writer.message(31, (named) => writeNamedAny(named, name, value));
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** gnostic `NonBodyParameter` sub-schemas: query (3), path (4) and header (1) parameters. */
function writeNonBodyParameter(writer: ProtobufWriter, parameter: Json): void {
  const location = str(parameter.in);
  const common = (sub: ProtobufWriter, typeField: number, uniqueField: number, extensionField: number): void => {
    sub.bool(1, parameter.required === true).string(2, location).string(3, str(parameter.description)).string(4, str(parameter.name));
    sub.string(typeField, str(parameter.type)).string(typeField + 1, str(parameter.format));
    sub.bool(uniqueField, parameter.uniqueItems === true);
    for (const [name, value] of vendorExtensions(parameter)) sub.message(extensionField, (named) => writeNamedAny(named, name, value));
  };
  if (location === 'query') writer.message(3, (sub) => common(sub, 6, 20, 23));
  else if (location === 'path') writer.message(4, (sub) => common(sub, 5, 19, 22));
  else if (location === 'header') writer.message(1, (sub) => common(sub, 5, 19, 22));
}

/** gnostic `ParametersItem`: a `Parameter` (body or non-body) or a `JsonReference`. */
function writeParametersItem(writer: ProtobufWriter, parameter: Json): void {
  const ref = str(parameter.$ref);
  if (ref !== undefined) {
    writer.message(2, (reference) => reference.string(1, ref).string(2, str(parameter.description)));
    return;
  }
  writer.message(1, (item) => {
    if (parameter.in === 'body') {
      item.message(1, (body) => {
        body.string(1, str(parameter.description)).string(2, str(parameter.name)).string(3, 'body').bool(4, parameter.required === true);
        const schema = asObject(parameter.schema);
        if (schema) body.message(5, (inner) => writeSchema(inner, schema));
      });
    } else item.message(2, (nonBody) => writeNonBodyParameter(nonBody, parameter));
  });
}

/** gnostic `Operation`: its parameters (kubectl looks for `dryRun` there) and x-kubernetes-* extensions, responses. */
function writeOperation(writer: ProtobufWriter, operation: Json): void {
  writer.strings(1, strings(operation.tags)).string(3, str(operation.description)).string(5, str(operation.operationId));
  writer.strings(6, strings(operation.produces)).strings(7, strings(operation.consumes));
  for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) writer.message(8, (item) => writeParametersItem(item, asObject(parameter) ?? {}));
  const responses = asObject(operation.responses) ?? {};
  writer.message(9, (codes) => {
    for (const [code, response] of Object.entries(responses)) {
      const entry = asObject(response) ?? {};
      codes.message(1, (named) =>
        named.string(1, code).message(2, (value) =>
          value.message(1, (inner) => {
            inner.string(1, str(entry.description));
            const schema = asObject(entry.schema);
            if (schema) inner.message(2, (item) => item.message(1, (schemaWriter) => writeSchema(schemaWriter, schema)));
          }),
        ),
      );
    }
  });
  writer.strings(10, strings(operation.schemes));
  for (const [name, value] of vendorExtensions(operation)) writer.message(13, (named) => writeNamedAny(named, name, value));
}

const PATH_ITEM_FIELDS: Readonly<Record<string, number>> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

/** gnostic `Paths`: each path's operations and shared parameters. */
function writePaths(writer: ProtobufWriter, paths: Json): void {
  for (const [path, item] of Object.entries(paths)) {
    const pathItem = asObject(item) ?? {};
    writer.message(2, (named) =>
      named.string(1, path).message(2, (value) => {
        for (const [method, field] of Object.entries(PATH_ITEM_FIELDS)) {
          const operation = asObject(pathItem[method]);
          if (operation) value.message(field, (inner) => writeOperation(inner, operation));
        }
        for (const parameter of Array.isArray(pathItem.parameters) ? pathItem.parameters : []) value.message(9, (inner) => writeParametersItem(inner, asObject(parameter) ?? {}));
      }),
    );
  }
}

/** The document's swagger version, info, paths and definitions, as kube-apiserver serves it to kubectl. */
export function encodeOpenApiV2(document: Json): Buffer {
  const writer = new ProtobufWriter();
  writer.string(1, typeof document.swagger === 'string' ? document.swagger : '2.0');
  const info = asObject(document.info) ?? {};
  writer.message(2, (inner) => inner.string(1, text(info.title ?? '')).string(2, text(info.version ?? '')));
  const paths = asObject(document.paths);
  if (paths) writer.message(8, (inner) => writePaths(inner, paths));
  const definitions = asObject(document.definitions) ?? {};
  writer.message(9, (defs) => {
    for (const [name, schema] of Object.entries(definitions)) defs.message(1, (named) => named.string(1, name).message(2, (inner) => writeSchema(inner, asObject(schema) ?? {})));
  });
  return writer.finish();
}
