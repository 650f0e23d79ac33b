import { concreteShape, elementCount, MAX_DEFAULT_ELEMENTS, nestedData, type ElementKind } from './tensors';
import { type DefaultBody, type Judgement, type ModelContext, type Preset, isRecord, modelPath } from './types';

const KINDS: Record<string, ElementKind> = {
  DT_FLOAT: 'number', DT_DOUBLE: 'number', DT_HALF: 'number', DT_BFLOAT16: 'number',
  DT_INT8: 'number', DT_INT16: 'number', DT_INT32: 'number', DT_INT64: 'number',
  DT_UINT8: 'number', DT_UINT16: 'number', DT_UINT32: 'number', DT_UINT64: 'number',
  DT_BOOL: 'boolean', DT_STRING: 'string',
};

/** Ready when the requested version (or any version) is AVAILABLE; a version that ENDed with an error fails. */
export function judgeTfServingStatus(json: unknown, version: string | undefined): Judgement {
  const statuses = isRecord(json) && Array.isArray(json.model_version_status) ? (json.model_version_status as unknown[]) : [];
  const relevant = statuses.filter(isRecord).filter((status) => version === undefined || String(status.version) === version);
  if (relevant.some((status) => status.state === 'AVAILABLE')) return { state: 'ready' };
  const failed = relevant.find((status) => isRecord(status.status) && status.status.error_code !== undefined && status.status.error_code !== 'OK');
  if (failed !== undefined && failed.state === 'END' && isRecord(failed.status)) {
    return {
      state: 'failed',
      reason: `TensorFlow Serving could not load version ${String(failed.version)}: ${String(failed.status.error_code)} ${typeof failed.status.error_message === 'string' ? failed.status.error_message : ''}`.trim(),
    };
  }
  const states = relevant.map((status) => `version ${String(status.version)} ${String(status.state)}`).join(', ');
  return { state: 'notReady', reason: states === '' ? 'no model version is loaded yet' : `no version is AVAILABLE yet (${states})` };
}

/** A columnar `{"signature_name", "inputs": {name: tensor}}` request from the serving_default signature. */
export function tfServingRequestFromMetadata(metadata: unknown): DefaultBody {
  const signatures = isRecord(metadata) && isRecord(metadata.metadata) && isRecord(metadata.metadata.signature_def)
    ? metadata.metadata.signature_def.signature_def
    : undefined;
  const signature = isRecord(signatures) ? signatures.serving_default : undefined;
  if (!isRecord(signature) || !isRecord(signature.inputs)) return { ok: false, reason: "the model metadata has no 'serving_default' signature" };
  const inputs: Record<string, unknown> = {};
  for (const [name, tensor] of Object.entries(signature.inputs)) {
    const kind = isRecord(tensor) && typeof tensor.dtype === 'string' ? KINDS[tensor.dtype] : undefined;
    if (kind === undefined) return { ok: false, reason: `input '${name}' has a datatype with no default value` };
    const dims = isRecord(tensor) && isRecord(tensor.tensor_shape) && Array.isArray(tensor.tensor_shape.dim) ? (tensor.tensor_shape.dim as unknown[]) : undefined;
    const shape = dims?.map((dim) => (isRecord(dim) ? Number(dim.size) : Number.NaN));
    if (shape === undefined || !shape.every(Number.isInteger)) return { ok: false, reason: `input '${name}' has no known shape` };
    const concrete = concreteShape(shape);
    if (elementCount(concrete) > MAX_DEFAULT_ELEMENTS) return { ok: false, reason: `input '${name}' is too large for a default request` };
    inputs[name] = nestedData(concrete, kind);
  }
  return { ok: true, body: { signature_name: 'serving_default', inputs } };
}

function modelUrl(model: ModelContext): string {
  return modelPath(model, '/v1/models/');
}

/** TensorFlow Serving's REST API. */
export const tfServing: Preset = {
  protocol: 'tfServing',
  title: 'TensorFlow Serving',
  modelName: 'required',
  readiness: (model) => [
    {
      name: 'model AVAILABLE',
      requests: [{ method: 'GET', path: modelUrl(model) }],
      judge: (answer) => (answer.status === 200 ? judgeTfServingStatus(answer.json, model.modelVersion) : undefined),
    },
  ],
  metadata: (model) => ({ method: 'GET', path: `${modelUrl(model)}/metadata` }),
  defaultBody: (_model, metadata) => tfServingRequestFromMetadata(metadata),
  inference: (model) => ({ method: 'POST', path: `${modelUrl(model)}:predict` }),
  bodyExample: '{"instances": [[1.0, 2.0, 5.0]]}',
  // Row format ("instances") answers "predictions"; columnar format ("inputs") answers "outputs".
  protocolAssertions: (body) => (isRecord(body) && 'inputs' in body ? ['$.outputs exists'] : ['$.predictions exists']),
  authHint: 'TensorFlow Serving has no authentication of its own: a gateway in front of it refused the credentials. Check the authentication inputs.',
};
