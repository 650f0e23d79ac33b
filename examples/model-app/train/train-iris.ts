// Trains the Iris classifier and renders the two committed artefacts: model/iris.onnx and model/iris.json.
import { createHash } from 'node:crypto';
import { CLASS_NAMES, FEATURE_NAMES, parseIrisCsv } from './iris-dataset.js';
import { INPUT_NAME, LABEL_OUTPUT, ONNX_IR_VERSION, ONNX_OPSET, PROBABILITIES_OUTPUT, toOnnxModel } from './onnx-model.js';
import { DEFAULT_TRAINING, accuracy, crossValidate, train } from './softmax-regression.js';

export const MODEL_FILE = 'iris.onnx';
export const METADATA_FILE = 'iris.json';
const CROSS_VALIDATION = { folds: 5, seed: 20240601 } as const;
const TRAINER_VERSION = '1.0.0';

export interface TrainedArtefacts {
  readonly onnx: Uint8Array;
  readonly metadataJson: string;
  readonly trainingAccuracy: number;
  readonly crossValidatedAccuracy: number;
}

const round = (value: number): number => Math.round(value * 10000) / 10000;

export function trainIris(csv: string): TrainedArtefacts {
  const data = parseIrisCsv(csv);
  const model = train(data, CLASS_NAMES.length, DEFAULT_TRAINING);
  const trainingAccuracy = accuracy(model, data);
  const crossValidatedAccuracy = crossValidate(data, CLASS_NAMES.length, CROSS_VALIDATION.folds, CROSS_VALIDATION.seed, DEFAULT_TRAINING);
  const onnx = toOnnxModel({
    model,
    producerVersion: TRAINER_VERSION,
    metadata: { classes: CLASS_NAMES.join(','), features: FEATURE_NAMES.join(',') },
  });
  const metadata = {
    name: 'iris',
    version: '1',
    platform: 'onnxruntime_onnx',
    file: MODEL_FILE,
    sha256: createHash('sha256').update(onnx).digest('hex'),
    onnx: { irVersion: ONNX_IR_VERSION, opset: ONNX_OPSET },
    inputs: [{ name: INPUT_NAME, datatype: 'FP32', shape: [-1, FEATURE_NAMES.length] }],
    outputs: [
      { name: PROBABILITIES_OUTPUT, datatype: 'FP32', shape: [-1, CLASS_NAMES.length] },
      { name: LABEL_OUTPUT, datatype: 'INT64', shape: [-1] },
    ],
    features: FEATURE_NAMES,
    classes: CLASS_NAMES,
    training: {
      dataset: 'data/iris.csv (Fisher 1936, UCI Machine Learning Repository)',
      rows: data.labels.length,
      algorithm: 'multinomial logistic regression, standardised features, full-batch gradient descent from zero weights',
      ...DEFAULT_TRAINING,
      trainingAccuracy: round(trainingAccuracy),
      crossValidation: { ...CROSS_VALIDATION, meanAccuracy: round(crossValidatedAccuracy) },
    },
  };
  return { onnx, metadataJson: `${JSON.stringify(metadata, null, 2)}\n`, trainingAccuracy, crossValidatedAccuracy };
}
