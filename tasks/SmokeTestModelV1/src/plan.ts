import { InputError, TaskError } from '../../common/errors';
import { parseAssertion, type Assertion } from './assertions/parse';
import { expectsModelAnswer } from './expectation';
import type { SmokeTestInputs } from './input-types';
import { presetFor } from './presets';
import type { HttpMethod, ModelContext, Preset, ProbeRequest, Protocol, ReadinessLayer } from './presets/types';

/** Pure decisions of SmokeTestModel: which preset, which readiness layers, which request, which assertions. */

export function presetOf(inputs: SmokeTestInputs, protocol: Protocol): Preset {
  return presetFor(protocol, { method: inputs.method, requestPath: inputs.requestPath });
}

/** Input checks that depend on the protocol: at read time for a chosen one, after detection for `auto`. */
export function checkAgainstProtocol(inputs: SmokeTestInputs, protocol: Protocol): void {
  const preset = presetOf(inputs, protocol);
  if (preset.modelName === 'required' && inputs.model.modelName === undefined) {
    throw new InputError('modelName', `Input 'modelName' is required for the ${preset.title} protocol: its URLs name the model.`);
  }
  const body = inputs.body;
  if (body?.kind === 'raw' && protocol !== 'http' && protocol !== 'torchServe') {
    throw new InputError(body.input, `Input '${body.input}' must be JSON for the ${preset.title} protocol.`);
  }
  if (body?.kind === 'json') {
    const problem = preset.checkBody?.(body.value);
    if (problem !== undefined) throw new InputError(body.input, `Input '${body.input}' is not a valid request: ${problem}.`);
  }
  if (body === undefined && preset.defaultBody === undefined) {
    throw new InputError(
      'requestBody',
      `Input 'requestBody' (or 'requestBodyFile') is required for the ${preset.title} protocol, which has no generic request; e.g. ${preset.bodyExample}.`,
    );
  }
}

/**
 * The readiness layers, or the single GET of a user's readinessPath. Without an expected 2xx only the
 * server must be up (expectation.ts): the layers that name no model; the canary stands for the rest.
 */
export function readinessLayers(inputs: SmokeTestInputs, preset: Preset, model: ModelContext): ReadinessLayer[] {
  if (inputs.readinessPath !== undefined) {
    return [{ name: 'ready', requests: [{ method: 'GET', path: inputs.readinessPath }], judge: () => undefined }];
  }
  const layers = preset.readiness(model);
  return expectsModelAnswer(inputs.expectedStatus) ? layers : layers.filter((layer) => layer.scope === 'server');
}

/** Which model to use when the server lists several and none was named. */
export function chooseModel(names: readonly string[]): { name: string; note?: string } | undefined {
  const [first] = names;
  if (first === undefined) return undefined;
  return names.length === 1 ? { name: first } : { name: first, note: `the server serves ${names.length} models (${names.slice(0, 5).join(', ')}); set 'modelName' to choose` };
}

export interface InferenceRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly body?: Buffer;
  readonly contentType?: string;
  /** The JSON sent, when it is JSON (protocol assertions depend on it). */
  readonly json?: unknown;
  readonly origin: 'input' | 'default' | 'metadata';
}

/** Whether the preset needs the model metadata to build the request. */
export function metadataRequest(inputs: SmokeTestInputs, preset: Preset, model: ModelContext): ProbeRequest | undefined {
  return inputs.body === undefined ? preset.metadata?.(model) : undefined;
}

export function inferenceRequest(inputs: SmokeTestInputs, preset: Preset, model: ModelContext, metadata?: unknown): InferenceRequest {
  const { method, path } = preset.inference(model);
  const body = inputs.body;
  if (body?.kind === 'raw') return { method, path, body: body.bytes, contentType: body.contentType, origin: 'input' };
  if (body?.kind === 'json') return jsonRequest(method, path, body.value, 'input');
  const built = preset.defaultBody?.(model, metadata);
  if (built === undefined) throw new TaskError(`The ${preset.title} protocol needs a request body: set 'requestBody', e.g. ${preset.bodyExample}.`);
  if (!built.ok) {
    throw new TaskError(`Could not build a default ${preset.title} request: ${built.reason}. Set 'requestBody', e.g. ${preset.bodyExample}.`);
  }
  if (built.body === undefined) return { method, path, origin: 'default' };
  return jsonRequest(method, path, built.body, metadata === undefined ? 'default' : 'metadata');
}

function jsonRequest(method: HttpMethod, path: string, value: unknown, origin: InferenceRequest['origin']): InferenceRequest {
  return { method, path, body: Buffer.from(JSON.stringify(value), 'utf8'), contentType: 'application/json', json: value, origin };
}

export interface PlannedAssertion {
  readonly assertion: Assertion;
  readonly origin: 'protocol' | 'input';
}

/**
 * The protocol's own response checks (only when a 2xx, the model's answer, is expected: they are checked
 * on 2xx answers only), then the user's (checked on every answer with an expected status, error answers included).
 */
export function plannedAssertions(inputs: SmokeTestInputs, preset: Preset, request: InferenceRequest): PlannedAssertion[] {
  const protocolLines = expectsModelAnswer(inputs.expectedStatus) ? preset.protocolAssertions(request.json) : [];
  const fromProtocol = protocolLines.map((line) => ({ assertion: parseAssertion(line), origin: 'protocol' as const }));
  return [...fromProtocol, ...inputs.assertions.map((assertion) => ({ assertion, origin: 'input' as const }))];
}

/** Request headers: user headers, then Content-Type (unless the user set one), then authentication. */
export function requestHeaders(
  inputs: SmokeTestInputs,
  authentication: Readonly<Record<string, string>>,
  contentType: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json, */*;q=0.5', 'user-agent': 'AiModelDeploy-SmokeTestModel/1' };
  for (const header of inputs.headers) headers[header.name.toLowerCase()] = header.value;
  if (contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = contentType;
  for (const [name, value] of Object.entries(authentication)) headers[name.toLowerCase()] = value;
  return headers;
}
