// Entry point: `node dist/server.js` in the image, `tsx src/server.ts` in development.
import path from 'node:path';
import { readConfig } from './config.js';
import { createLogger } from './log.js';
import { createModelServer } from './model-server.js';
import { loadOnnxModel } from './onnx-model.js';

async function start(): Promise<void> {
  const config = readConfig(process.env, path.join(__dirname, '..', 'model'));
  const log = createLogger(config.logLevel);
  const modelFile = path.join(config.modelDir, 'iris.onnx');
  const server = createModelServer({
    modelName: config.modelName,
    loadDelayInMs: config.loadDelayInMs,
    loadModel: () => {
      log.info(`loading ${modelFile} with onnxruntime-node`);
      return loadOnnxModel(modelFile);
    },
    log,
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: draining connections and stopping`);
    server.close(config.shutdownTimeoutInMs).then(
      () => process.exit(0),
      (cause: unknown) => {
        log.error(`shutdown failed: ${String(cause)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await server.listen(config.port, config.host);
  // A model that cannot load makes the container exit non-zero, so the platform restarts or reports it.
  await server.loaded.catch(() => {
    if (!stopping) process.exit(1);
  });
}

start().catch((cause: unknown) => {
  process.stderr.write(`iris-model-app failed to start: ${cause instanceof Error ? cause.message : String(cause)}\n`);
  process.exit(1);
});
