// Where the example app lives, and the precondition the runtime tests share.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const APP_DIR = path.resolve(__dirname, '..', '..', '..', 'examples', 'model-app');
export const MODEL_FILE = path.join(APP_DIR, 'model', 'iris.onnx');
export const METADATA_FILE = path.join(APP_DIR, 'model', 'iris.json');
export const DATA_FILE = path.join(APP_DIR, 'data', 'iris.csv');

/** Fails (never skips) when the app's own dependencies are missing. */
export function requireAppDependencies(): void {
  if (!existsSync(path.join(APP_DIR, 'node_modules', 'onnxruntime-node', 'package.json'))) {
    throw new Error(`onnxruntime-node is not installed for the example app. Run: npm ci --prefix examples/model-app --no-audit --no-fund`);
  }
}
