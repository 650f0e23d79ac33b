// Writes the trained classifier as an ONNX ModelProto (IR version 7, opset 13):
//   input float32 [N,4] -> Sub(mean) -> Div(scale) -> MatMul(W) -> Add(B) = logits
//   logits -> Softmax(axis=1) -> 'probabilities' float32 [N,3]
//   logits -> ArgMax(axis=1, keepdims=0) -> 'label' int64 [N]
// Field numbers are those of onnx/onnx.proto.
import { ProtoMessage } from './protobuf-writer.js';
import type { SoftmaxModel } from './softmax-regression.js';

export const ONNX_IR_VERSION = 7;
export const ONNX_OPSET = 13;
export const INPUT_NAME = 'input';
export const PROBABILITIES_OUTPUT = 'probabilities';
export const LABEL_OUTPUT = 'label';

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;

export interface OnnxExport {
  readonly model: SoftmaxModel;
  readonly producerVersion: string;
  readonly metadata: Readonly<Record<string, string>>;
}

function floatTensor(name: string, dims: readonly number[], values: readonly number[]): ProtoMessage {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true)); // ONNX raw_data is little-endian
  const tensor = new ProtoMessage();
  dims.forEach((d) => tensor.int(1, d));
  return tensor.int(2, FLOAT).string(8, name).bytes(9, raw);
}

function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of dims) {
    shape.message(1, typeof d === 'number' ? new ProtoMessage().int(1, d) : new ProtoMessage().string(2, d));
  }
  const tensorType = new ProtoMessage().int(1, elemType).message(2, shape);
  return new ProtoMessage().string(1, name).message(2, new ProtoMessage().message(1, tensorType));
}

function node(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: Readonly<Record<string, number>> = {}): ProtoMessage {
  const message = new ProtoMessage();
  inputs.forEach((input) => message.string(1, input));
  outputs.forEach((output) => message.string(2, output));
  message.string(3, `${opType.toLowerCase()}_${outputs[0] ?? ''}`).string(4, opType);
  for (const [name, value] of Object.entries(attributes)) {
    message.message(5, new ProtoMessage().string(1, name).int(3, value).int(20, ATTRIBUTE_INT));
  }
  return message;
}

export function toOnnxModel({ model, producerVersion, metadata }: OnnxExport): Uint8Array {
  const features = model.mean.length;
  const classes = model.bias.length;
  const graph = new ProtoMessage()
    .message(1, node('Sub', [INPUT_NAME, 'mean'], ['centered']))
    .message(1, node('Div', ['centered', 'scale'], ['standardized']))
    .message(1, node('MatMul', ['standardized', 'weights'], ['scores']))
    .message(1, node('Add', ['scores', 'bias'], ['logits']))
    .message(1, node('Softmax', ['logits'], [PROBABILITIES_OUTPUT], { axis: 1 }))
    .message(1, node('ArgMax', ['logits'], [LABEL_OUTPUT], { axis: 1, keepdims: 0 }))
    .string(2, 'iris_softmax_regression')
    .message(5, floatTensor('mean', [features], model.mean))
    .message(5, floatTensor('scale', [features], model.scale))
    .message(5, floatTensor('weights', [features, classes], model.weights.flat()))
    .message(5, floatTensor('bias', [classes], model.bias))
    .message(11, valueInfo(INPUT_NAME, FLOAT, ['N', features]))
    .message(12, valueInfo(PROBABILITIES_OUTPUT, FLOAT, ['N', classes]))
    .message(12, valueInfo(LABEL_OUTPUT, INT64, ['N']));
  const proto = new ProtoMessage()
    .int(1, ONNX_IR_VERSION)
    .string(2, 'ai-model-deploy-example-trainer')
    .string(3, producerVersion)
    .int(5, 1)
    .string(6, 'Iris species classifier: multinomial logistic regression on standardised features.')
    .message(7, graph)
    .message(8, new ProtoMessage().string(1, '').int(2, ONNX_OPSET));
  for (const [key, value] of Object.entries(metadata)) {
    proto.message(14, new ProtoMessage().string(1, key).string(2, value));
  }
  return proto.toBytes();
}
