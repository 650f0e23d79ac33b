// The real inference runtime: onnxruntime-node (CPU execution provider) over the model's .onnx file.
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { InferenceSession as Session } from 'onnxruntime-node';
import type { InputTensor, LoadedModel, OutputTensor, TensorSpec, V2Datatype } from './model.js';

const TO_V2: Readonly<Record<string, V2Datatype>> = {
  float32: 'FP32', float64: 'FP64', float16: 'FP16', int8: 'INT8', int16: 'INT16', int32: 'INT32',
  int64: 'INT64', uint8: 'UINT8', bool: 'BOOL', string: 'BYTES',
};

function toSpec(metadata: Session.ValueMetadata): TensorSpec {
  if (!metadata.isTensor) throw new Error(`Model value '${metadata.name}' is not a tensor; only tensors are supported.`);
  const datatype = TO_V2[metadata.type];
  if (datatype === undefined) throw new Error(`Model value '${metadata.name}' has the unsupported element type '${metadata.type}'.`);
  return { name: metadata.name, datatype, shape: metadata.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)) };
}

function toTensor(spec: TensorSpec, input: InputTensor): Tensor {
  switch (spec.datatype) {
    case 'FP32': return new Tensor('float32', Float32Array.from(input.data), input.shape);
    case 'FP64': return new Tensor('float64', Float64Array.from(input.data), input.shape);
    case 'INT32': return new Tensor('int32', Int32Array.from(input.data), input.shape);
    case 'INT64': return new Tensor('int64', BigInt64Array.from(input.data, (v) => BigInt(v)), input.shape);
    default: throw new Error(`Input '${spec.name}' has the datatype ${spec.datatype}, which this server does not feed.`);
  }
}

function toOutput(spec: TensorSpec, tensor: Tensor): OutputTensor {
  const raw = tensor.data;
  if (typeof raw[0] === 'string') throw new Error(`Output '${spec.name}' holds strings, which this server does not return.`);
  const data = Array.from(raw as ArrayLike<number | bigint>, (v) => Number(v));
  return { name: spec.name, datatype: spec.datatype, shape: tensor.dims.slice(), data };
}

export async function loadOnnxModel(file: string): Promise<LoadedModel> {
  const session = await InferenceSession.create(file, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  const inputs = session.inputMetadata.map(toSpec);
  const outputs = session.outputMetadata.map(toSpec);
  return {
    platform: 'onnxruntime_onnx',
    inputs,
    outputs,
    async infer(given, outputNames) {
      const feeds: Record<string, Tensor> = {};
      for (const input of given) {
        const spec = inputs.find((s) => s.name === input.name);
        if (spec === undefined) throw new Error(`Unknown input '${input.name}'.`);
        feeds[input.name] = toTensor(spec, input);
      }
      // Always fetch every output and pick afterwards: onnxruntime-node 1.22 returns a subset
      // fetch under the wrong names (asking for ['label'] gives the label tensor as 'probabilities').
      const results = await session.run(feeds);
      return outputNames.map((name) => {
        const spec = outputs.find((s) => s.name === name);
        const tensor = results[name];
        if (spec === undefined || tensor === undefined) throw new Error(`The runtime returned no output '${name}'.`);
        return toOutput(spec, tensor);
      });
    },
    release: () => session.release(),
  };
}
