/**
 * What @azure/arm-containerinstance 9.1.0 puts on the wire for a ContainerGroup: the real client with
 * an HttpClient that captures the request instead of sending it. Also the official 2023-05-01 schema.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContainerInstanceManagementClient, type ContainerGroup } from '@azure/arm-containerinstance';
import { createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import Ajv, { type ValidateFunction } from 'ajv';

/** The official 2023-05-01 spec and examples, vendored with the emulator (see emulator/aci/spec/SOURCES.txt). */
export const SPEC_DIR = path.resolve(__dirname, '../../../emulator/aci/spec');

export async function wireBodyOf(group: ContainerGroup): Promise<Record<string, unknown>> {
  let captured: PipelineRequest | undefined;
  const httpClient: HttpClient = {
    sendRequest: (request) => {
      captured = request;
      return Promise.resolve({ request, status: 400, headers: createHttpHeaders({ 'content-type': 'application/json' }), bodyAsText: '{"error":{"code":"Captured","message":"captured"}}' });
    },
  };
  const credential = { getToken: () => Promise.resolve({ token: 'unit-test', expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const client = new ContainerInstanceManagementClient(credential, '00000000-0000-0000-0000-000000000000', {
    endpoint: 'https://management.example.test',
    httpClient,
    retryOptions: { maxRetries: 0 },
  });
  await client.containerGroups.beginCreateOrUpdate('rg', 'group', group).catch(() => undefined);
  if (captured === undefined || typeof captured.body !== 'string') throw new Error('the SDK sent no request body');
  return JSON.parse(captured.body) as Record<string, unknown>;
}

let validator: ValidateFunction | undefined;

/** A validator for `#/definitions/ContainerGroup` of the official containerInstance.json. */
export function containerGroupSchema(): ValidateFunction {
  if (validator) return validator;
  const spec = JSON.parse(fs.readFileSync(path.join(SPEC_DIR, 'containerInstance-2023-05-01.json'), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'aci.json', definitions: spec.definitions }, 'aci.json');
  validator = ajv.compile({ $ref: 'aci.json#/definitions/ContainerGroup' });
  return validator;
}

export function exampleOf(name: string): { parameters: Record<string, unknown>; responses: Record<string, { body?: unknown }> } {
  return JSON.parse(fs.readFileSync(path.join(SPEC_DIR, 'examples-2023-05-01', name), 'utf8')) as {
    parameters: Record<string, unknown>;
    responses: Record<string, { body?: unknown }>;
  };
}

/** What the SDK's `containerGroups.get` returns for a wire body (e.g. a spec example's response). */
export async function sdkGroupFrom(body: unknown): Promise<ContainerGroup> {
  const httpClient: HttpClient = {
    sendRequest: (request) =>
      Promise.resolve({ request, status: 200, headers: createHttpHeaders({ 'content-type': 'application/json' }), bodyAsText: JSON.stringify(body) }),
  };
  const credential = { getToken: () => Promise.resolve({ token: 'unit-test', expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const client = new ContainerInstanceManagementClient(credential, '00000000-0000-0000-0000-000000000000', {
    endpoint: 'https://management.example.test',
    httpClient,
    retryOptions: { maxRetries: 0 },
  });
  return client.containerGroups.get('rg', 'group');
}
