import { concreteShape, elementCount, flatData, MAX_DEFAULT_ELEMENTS, parseShape, type ElementKind } from './tensors';
import { type DefaultBody, type ModelContext, type Preset, isRecord, modelPath } from './types';

const NUMERIC = /^(U?INT(8|16|32|64)|FP(16|32|64)|BF16)$/;

function kindOf(datatype: string): ElementKind | undefined {
  if (NUMERIC.test(datatype)) return 'number';
  if (datatype === 'BOOL') return 'boolean';
  if (datatype === 'BYTES') return 'string';
  return undefined;
}

/** `{"inputs":[{"name","shape","datatype","data"}]}` from the model metadata's `inputs`. */
export function openInferenceRequestFromMetadata(metadata: unknown): DefaultBody {
  if (!isRecord(metadata) || !Array.isArray(metadata.inputs) || metadata.inputs.length === 0) {
    return { ok: false, reason: 'the model metadata lists no inputs' };
  }
  const inputs: unknown[] = [];
  for (const input of metadata.inputs as unknown[]) {
    if (!isRecord(input) || typeof input.name !== 'string' || typeof input.datatype !== 'string') {
      return { ok: false, reason: 'an input in the model metadata has no name or datatype' };
    }
    const kind = kindOf(input.datatype);
    const shape = parseShape(input.shape);
    if (kind === undefined) return { ok: false, reason: `input '${input.name}' has datatype '${input.datatype}', which has no default value` };
    if (shape === undefined) return { ok: false, reason: `input '${input.name}' has no valid shape` };
    const concrete = concreteShape(shape);
    if (elementCount(concrete) > MAX_DEFAULT_ELEMENTS) {
      return { ok: false, reason: `input '${input.name}' has shape [${shape.join(', ')}], too large for a default request` };
    }
    inputs.push({ name: input.name, shape: concrete, datatype: input.datatype, data: flatData(concrete, kind) });
  }
  return { ok: true, body: { inputs } };
}

function modelUrl(model: ModelContext): string {
  return modelPath(model, '/v2/models/');
}

/** Open Inference Protocol v2 (KServe v2, NVIDIA Triton, Seldon MLServer). */
export const openInference: Preset = {
  protocol: 'openInference',
  title: 'Open Inference Protocol v2',
  modelName: 'discoverable',
  discovery: {
    // The model repository extension, served by both Triton and MLServer.
    request: { method: 'POST', path: '/v2/repository/index', jsonBody: {} },
    names: (json) => (Array.isArray(json) ? json.flatMap((entry) => (isRecord(entry) && typeof entry.name === 'string' ? [entry.name] : [])) : []),
  },
  readiness: (model) => [
    {
      name: 'server ready',
      scope: 'server',
      requests: [{ method: 'GET', path: '/v2/health/ready' }],
      judge: (answer) => (answer.status === 400 ? { state: 'notReady', reason: 'the server is not ready yet (400)' } : undefined),
    },
    {
      name: 'model ready',
      requests: [{ method: 'GET', path: `${modelUrl(model)}/ready` }],
      judge: (answer) => {
        // Triton answers 400 while the model is loading, MLServer and KServe 404 or 503.
        if (answer.status === 400) return { state: 'notReady', reason: 'the model is still loading (400)' };
        if (answer.status === 404) return { state: 'notReady', reason: 'the model is not loaded (yet) (404)' };
        return undefined;
      },
    },
  ],
  metadata: (model) => ({ method: 'GET', path: modelUrl(model) }),
  defaultBody: (_model, metadata) => openInferenceRequestFromMetadata(metadata),
  inference: (model) => ({ method: 'POST', path: `${modelUrl(model)}/infer` }),
  bodyExample: '{"inputs": [{"name": "input-0", "shape": [1, 4], "datatype": "FP32", "data": [6.8, 2.8, 4.8, 1.4]}]}',
  protocolAssertions: () => ["$.outputs type == 'array'", '$.outputs length >= 1', "$.outputs[*].name type == 'string'"],
  authHint: 'Check the authentication inputs: the server (or a gateway in front of it) refused the credentials.',
};
