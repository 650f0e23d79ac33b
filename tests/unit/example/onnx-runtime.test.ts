// The committed model through the real inference runtime (onnxruntime-node).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseIrisCsv } from '../../../examples/model-app/train/iris-dataset';
import type { LoadedModel } from '../../../examples/model-app/src/model';
import { loadOnnxModel } from '../../../examples/model-app/src/onnx-model';
import { predict, train } from '../../../examples/model-app/train/softmax-regression';
import { DATA_FILE, METADATA_FILE, MODEL_FILE } from './app-paths';

describe('example: the ONNX model in onnxruntime-node', () => {
  let model: LoadedModel;
  const data = parseIrisCsv(readFileSync(DATA_FILE, 'utf8'));

  before(async () => {
    model = await loadOnnxModel(MODEL_FILE);
  });
  after(async () => {
    await model?.release();
  });

  it('has the signature that model/iris.json declares', () => {
    const metadata = JSON.parse(readFileSync(METADATA_FILE, 'utf8')) as { inputs: unknown; outputs: unknown };
    assert.deepEqual(model.inputs, metadata.inputs);
    assert.deepEqual(model.outputs, metadata.outputs);
    assert.deepEqual(model.inputs, [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }]);
  });

  it('classifies known samples of each species', async () => {
    // Rows 1, 51 and 101 of the dataset: the first setosa, versicolor and virginica.
    const [probabilities, label] = await model.infer(
      [{ name: 'input', shape: [3, 4], data: [5.1, 3.5, 1.4, 0.2, 7.0, 3.2, 4.7, 1.4, 6.3, 3.3, 6.0, 2.5] }],
      ['probabilities', 'label'],
    );
    assert.deepEqual(label, { name: 'label', datatype: 'INT64', shape: [3], data: [0, 1, 2] });
    assert.equal(probabilities?.datatype, 'FP32');
    assert.deepEqual(probabilities?.shape, [3, 3]);
    for (let row = 0; row < 3; row++) {
      const p = probabilities?.data.slice(3 * row, 3 * row + 3) ?? [];
      assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-5, `row ${row} probabilities sum to ${p.reduce((s, v) => s + v, 0)}`);
      assert.ok((p[row] ?? 0) > 0.9, `row ${row}: ${p.join(', ')}`);
    }
  });

  it('predicts the whole dataset with accuracy >= 0.95', async () => {
    const [label] = await model.infer([{ name: 'input', shape: [150, 4], data: data.features.flat() }], ['label']);
    const correct = (label?.data ?? []).filter((predicted, i) => predicted === data.labels[i]).length;
    assert.ok(correct / 150 >= 0.95, `accuracy ${correct}/150`);
  });

  it('agrees with the TypeScript model it was exported from', async () => {
    const reference = train(data, 3);
    const [label] = await model.infer([{ name: 'input', shape: [150, 4], data: data.features.flat() }], ['label']);
    assert.deepEqual(label?.data, data.features.map((row) => predict(reference, row)));
  });
});
