// Usage: tsx examples/model-app/train/train.ts [--out <folder>]
// Trains on data/iris.csv and writes iris.onnx and iris.json (default folder: model/ next to this app).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { METADATA_FILE, MODEL_FILE, trainIris } from './train-iris.js';

const appRoot = path.resolve(__dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: path.join(appRoot, 'model') } } });
const outDir = path.resolve(values.out);
const artefacts = trainIris(readFileSync(path.join(appRoot, 'data', 'iris.csv'), 'utf8'));
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, MODEL_FILE), artefacts.onnx);
writeFileSync(path.join(outDir, METADATA_FILE), artefacts.metadataJson);
console.log(`training accuracy ${artefacts.trainingAccuracy.toFixed(4)}, 5-fold cross-validated accuracy ${artefacts.crossValidatedAccuracy.toFixed(4)}`);
console.log(`wrote ${path.join(outDir, MODEL_FILE)} (${artefacts.onnx.length} bytes) and ${METADATA_FILE}`);
