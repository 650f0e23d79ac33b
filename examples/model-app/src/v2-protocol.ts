// Open Inference Protocol v2 (KServe v2) request validation and response shapes. Pure functions.
import type { InputTensor, OutputTensor, TensorSpec } from './model.js';

/** A client error: the server answers 400 with {"error": message}. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

export interface InferRequest {
  readonly id?: string;
  readonly inputs: readonly InputTensor[];
  readonly outputNames: readonly string[];
}

export interface InferResponse {
  readonly model_name: string;
  readonly model_version: string;
  readonly id?: string;
  readonly outputs: readonly OutputTensor[];
}

export interface ModelSignature {
  readonly name: string;
  readonly version: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
}

const NUMERIC = new Set(['INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'FP16', 'FP32', 'FP64']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(value: unknown, into: unknown[]): void {
  if (Array.isArray(value)) value.forEach((item) => flatten(item, into));
  else into.push(value);
}

function parseShape(raw: unknown, where: string): number[] {
  if (!Array.isArray(raw) || raw.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
    throw new BadRequestError(`${where}: 'shape' must be an array of non-negative integers.`);
  }
  return raw as number[];
}

function matchesShape(spec: readonly number[], shape: readonly number[]): boolean {
  return spec.length === shape.length && spec.every((d, i) => d === -1 || d === shape[i]);
}

const describeShape = (shape: readonly number[]): string => `[${shape.map((d) => (d === -1 ? 'N' : String(d))).join(',')}]`;

function parseInput(raw: unknown, index: number, model: ModelSignature): InputTensor {
  const where = `inputs[${index}]`;
  if (!isRecord(raw)) throw new BadRequestError(`${where} must be an object with name, shape, datatype and data.`);
  const { name, datatype, data } = raw;
  if (typeof name !== 'string' || name === '') throw new BadRequestError(`${where}: 'name' must be a non-empty string.`);
  const spec = model.inputs.find((s) => s.name === name);
  if (spec === undefined) {
    throw new BadRequestError(`Unexpected input '${name}' for model '${model.name}'; it expects ${model.inputs.map((s) => `'${s.name}'`).join(', ')}.`);
  }
  if (typeof datatype !== 'string') throw new BadRequestError(`Input '${name}': 'datatype' must be a string such as '${spec.datatype}'.`);
  if (datatype !== spec.datatype) {
    throw new BadRequestError(`Input '${name}' has datatype '${datatype}', but model '${model.name}' expects '${spec.datatype}'.`);
  }
  const shape = parseShape(raw.shape, `Input '${name}'`);
  if (!matchesShape(spec.shape, shape)) {
    throw new BadRequestError(`Input '${name}' has shape ${describeShape(shape)}, but model '${model.name}' expects ${describeShape(spec.shape)}.`);
  }
  if (shape.some((d) => d === 0)) throw new BadRequestError(`Input '${name}' is empty (shape ${describeShape(shape)}).`);
  if (isRecord(raw.parameters) && raw.parameters.binary_data_size !== undefined) {
    throw new BadRequestError(`Input '${name}' uses the binary tensor data extension, which this server does not support; send 'data' as JSON.`);
  }
  const values: unknown[] = [];
  flatten(data, values);
  if (!Array.isArray(data) || (NUMERIC.has(spec.datatype) && values.some((v) => typeof v !== 'number' || !Number.isFinite(v)))) {
    throw new BadRequestError(`Input '${name}': 'data' must be an array (flat or nested) of finite numbers.`);
  }
  const expected = shape.reduce((product, d) => product * d, 1);
  if (values.length !== expected) {
    throw new BadRequestError(`Input '${name}' has ${values.length} values, but shape ${describeShape(shape)} needs ${expected}.`);
  }
  return { name, shape, data: values as number[] };
}

function parseRequestedOutputs(raw: unknown, model: ModelSignature): string[] {
  if (raw === undefined) return model.outputs.map((s) => s.name);
  if (!Array.isArray(raw) || raw.length === 0) throw new BadRequestError(`'outputs' must be a non-empty array of {"name": ...} when given.`);
  return raw.map((output: unknown, index) => {
    if (!isRecord(output) || typeof output.name !== 'string') throw new BadRequestError(`outputs[${index}]: 'name' must be a string.`);
    const name = output.name;
    if (!model.outputs.some((s) => s.name === name)) {
      throw new BadRequestError(`Unknown output '${name}' for model '${model.name}'; it has ${model.outputs.map((s) => `'${s.name}'`).join(', ')}.`);
    }
    if (isRecord(output.parameters) && output.parameters.binary_data === true) {
      throw new BadRequestError(`Output '${name}' asks for binary data, which this server does not support.`);
    }
    return name;
  });
}

export function parseInferRequest(body: unknown, model: ModelSignature): InferRequest {
  if (!isRecord(body)) throw new BadRequestError(`The request body must be a JSON object with an 'inputs' array.`);
  if (body.id !== undefined && typeof body.id !== 'string') throw new BadRequestError(`'id' must be a string when given.`);
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) throw new BadRequestError(`'inputs' must be a non-empty array.`);
  const inputs = body.inputs.map((raw: unknown, index) => parseInput(raw, index, model));
  for (const spec of model.inputs) {
    const count = inputs.filter((input) => input.name === spec.name).length;
    if (count !== 1) throw new BadRequestError(`Input '${spec.name}' must be given exactly once; got it ${count} times.`);
  }
  const outputNames = parseRequestedOutputs(body.outputs, model);
  return { ...(body.id === undefined ? {} : { id: body.id }), inputs, outputNames };
}

export function toInferResponse(model: ModelSignature, request: InferRequest, outputs: readonly OutputTensor[]): InferResponse {
  return {
    model_name: model.name,
    model_version: model.version,
    ...(request.id === undefined ? {} : { id: request.id }),
    outputs,
  };
}

export function toModelMetadata(model: ModelSignature, platform: string): Record<string, unknown> {
  return { name: model.name, versions: [model.version], platform, inputs: model.inputs, outputs: model.outputs };
}
