/**
 * The OpenAPI documents the API server publishes: `/openapi/v2` (JSON, or gnostic protobuf when asked),
 * `/openapi/v3` (the index of group-versions) and `/openapi/v3/<api|apis/group>/<version>`, converted from
 * the official v2 document: paths of that group-version, `#/components/schemas/...` references, request
 * bodies and typed responses as kube-apiserver's v3 builder lays them out.
 */
import { createHash } from 'node:crypto';
import type { OpenApiDocument, Schema } from './kubernetes-schema';
import { encodeOpenApiV2 } from './openapi-v2-protobuf';

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

export interface OpenApiDocuments {
  v2Json(): Buffer;
  v2Protobuf(): Buffer;
  /** An ETag for the v2 document. */
  v2Etag(): string;
  v3Index(): unknown;
  /** `api/v1`, `apis/apps/v1`, ... */
  v3(groupVersionPath: string): unknown;
}

function rewriteRefs(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replace(/"#\/definitions\//g, '"#/components/schemas/')) as unknown;
}

function referencedDefinitions(value: unknown, definitions: Record<string, Schema>): Set<string> {
  const seen = new Set<string>();
  const pending = [...JSON.stringify(value).matchAll(/"#\/definitions\/([^"]+)"/g)].map((match) => match[1] ?? '');
  while (pending.length > 0) {
    const name = pending.pop() ?? '';
    if (seen.has(name) || !definitions[name]) continue;
    seen.add(name);
    for (const match of JSON.stringify(definitions[name]).matchAll(/"#\/definitions\/([^"]+)"/g)) pending.push(match[1] ?? '');
  }
  return seen;
}

function toV3Operation(operation: Record<string, unknown>, parameters: Record<string, unknown>): Record<string, unknown> {
  const { consumes, produces, parameters: params, responses, ...rest } = operation;
  const resolveParameter = (parameter: unknown): Record<string, unknown> => {
    const entry = parameter as Record<string, unknown>;
    const ref = typeof entry.$ref === 'string' ? entry.$ref.replace('#/parameters/', '') : undefined;
    return ref ? ((parameters[ref] as Record<string, unknown> | undefined) ?? entry) : entry;
  };
  const out: Record<string, unknown> = { ...rest };
  const nonBody: unknown[] = [];
  for (const parameter of (params as unknown[] | undefined) ?? []) {
    const resolved = resolveParameter(parameter);
    if (resolved.in === 'body') {
      const types = (consumes as string[] | undefined) ?? ['application/json'];
      out.requestBody = { content: Object.fromEntries(types.map((type) => [type, { schema: resolved.schema }])), required: resolved.required === true };
    } else {
      const { type, uniqueItems, ...parameterRest } = resolved;
      nonBody.push({ ...parameterRest, schema: { type, ...(uniqueItems ? { uniqueItems } : {}) } });
    }
  }
  if (nonBody.length > 0) out.parameters = nonBody;
  const types = (produces as string[] | undefined) ?? ['application/json'];
  out.responses = Object.fromEntries(
    Object.entries((responses as Record<string, Record<string, unknown>> | undefined) ?? {}).map(([code, response]) => [
      code,
      { description: response.description, ...(response.schema ? { content: Object.fromEntries(types.map((type) => [type, { schema: response.schema }])) } : {}) },
    ]),
  );
  return out;
}

export function createOpenApiDocuments(document: OpenApiDocument): OpenApiDocuments {
  let json: Buffer | undefined;
  let protobuf: Buffer | undefined;
  const v3Cache = new Map<string, unknown>();
  const prefixes = new Set<string>();
  for (const path of Object.keys(document.paths)) {
    const match = /^\/(api\/v1|apis\/[^/]+\/[^/]+)\//.exec(path);
    if (match?.[1]) prefixes.add(match[1]);
  }
  const hashOf = (value: unknown): string => createHash('sha512').update(JSON.stringify(value)).digest('hex').slice(0, 128).toUpperCase();
  const self: OpenApiDocuments = {
    v2Json() {
      json ??= Buffer.from(JSON.stringify(document));
      return json;
    },
    v2Protobuf() {
      protobuf ??= encodeOpenApiV2(document as unknown as Record<string, unknown>);
      return protobuf;
    },
    v2Etag() {
      return `"${createHash('sha512').update(self.v2Json()).digest('hex').slice(0, 128).toUpperCase()}"`;
    },
    v3Index() {
      const paths: Record<string, unknown> = {};
      for (const prefix of [...prefixes].sort()) paths[prefix] = { serverRelativeURL: `/openapi/v3/${prefix}?hash=${hashOf(self.v3(prefix))}` };
      return { paths };
    },
    v3(prefix) {
      if (!prefixes.has(prefix)) return undefined;
      const cached = v3Cache.get(prefix);
      if (cached) return cached;
      const parameters = document.parameters ?? {};
      const paths: Record<string, unknown> = {};
      for (const [path, item] of Object.entries(document.paths)) {
        if (!path.startsWith(`/${prefix}/`)) continue;
        const converted: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(item)) {
          if (key === 'parameters') {
            converted.parameters = (value as unknown[]).map((parameter) => {
              const entry = parameter as Record<string, unknown>;
              const ref = typeof entry.$ref === 'string' ? entry.$ref.replace('#/parameters/', '') : undefined;
              const resolved = (ref ? parameters[ref] : entry) as Record<string, unknown>;
              const { type, uniqueItems, ...rest } = resolved;
              return { ...rest, schema: { type, ...(uniqueItems ? { uniqueItems } : {}) } };
            });
          } else converted[key] = toV3Operation(value as Record<string, unknown>, parameters);
        }
        paths[path] = converted;
      }
      const schemas: Record<string, unknown> = {};
      for (const name of [...referencedDefinitions(paths, document.definitions)].sort()) schemas[name] = document.definitions[name];
      const doc = rewriteRefs({
        openapi: '3.0.0',
        info: document.info,
        paths,
        components: { schemas, securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } } },
      });
      v3Cache.set(prefix, doc);
      return doc;
    },
  };
  return self;
}
