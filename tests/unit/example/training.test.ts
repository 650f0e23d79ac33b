import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { encodeVarint, ProtoMessage } from '../../../examples/model-app/train/protobuf-writer';
import { seededRandom } from '../../../examples/model-app/train/softmax-regression';
import { trainIris } from '../../../examples/model-app/train/train-iris';
import { DATA_FILE, METADATA_FILE, MODEL_FILE } from './app-paths';

describe('example: training and ONNX export', () => {
  const artefacts = trainIris(readFileSync(DATA_FILE, 'utf8'));

  it('reproduces the committed model/iris.onnx byte for byte', () => {
    assert.ok(Buffer.from(artefacts.onnx).equals(readFileSync(MODEL_FILE)),
      'model/iris.onnx differs from what train/train.ts produces: retrain with `npx tsx examples/model-app/train/train.ts` and commit both files');
  });

  it('reproduces the committed model/iris.json', () => {
    assert.equal(artefacts.metadataJson, readFileSync(METADATA_FILE, 'utf8'));
  });

  it('fits the data: training accuracy >= 0.95 and 5-fold cross-validated accuracy >= 0.93', () => {
    assert.ok(artefacts.trainingAccuracy >= 0.95, `training accuracy ${artefacts.trainingAccuracy}`);
    assert.ok(artefacts.crossValidatedAccuracy >= 0.93, `cross-validated accuracy ${artefacts.crossValidatedAccuracy}`);
  });

  it('encodes protobuf varints and fields as the wire format says', () => {
    assert.deepEqual([...encodeVarint(0n)], [0]);
    assert.deepEqual([...encodeVarint(1n)], [1]);
    assert.deepEqual([...encodeVarint(300n)], [0xac, 0x02]);
    assert.deepEqual([...new ProtoMessage().int(1, 150).toBytes()], [0x08, 0x96, 0x01]);
    assert.deepEqual([...new ProtoMessage().string(2, 'testing').toBytes()], [0x12, 0x07, ...Buffer.from('testing')]);
    assert.deepEqual([...new ProtoMessage().int(20, 2).toBytes()], [0xa0, 0x01, 0x02]);
    assert.throws(() => encodeVarint(-1n), /Negative/);
  });

  it('draws the same cross-validation folds from the same seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const first = [a(), a(), a()];
    assert.deepEqual(first, [b(), b(), b()]);
    assert.ok(first.every((v) => v >= 0 && v < 1));
    assert.notDeepEqual(first, [seededRandom(8)(), 0, 0].slice(0, 3));
  });
});
