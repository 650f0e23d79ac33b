// The server's life: listen at once (live), load the model (ready), drain and stop on shutdown.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './log.js';
import type { ModelLoader } from './model.js';
import { createRequestHandler, type ModelState } from './request-handler.js';

export const SERVER_INFO = { name: 'iris-model-app', version: '1.0.0' } as const;

export interface ModelServerOptions {
  readonly modelName: string;
  readonly modelVersion?: string;
  /** MODEL_LOAD_DELAY_SECONDS: simulates a slow model load (the wait happens before the real load). */
  readonly loadDelayInMs: number;
  readonly loadModel: ModelLoader;
  readonly log: Logger;
  readonly maxBodyBytes?: number;
  /** How the load delay waits; tests pass a promise they resolve themselves. */
  readonly delay?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface ModelServer {
  /** Starts listening, then loads the model in the background. */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Settles when the model is loaded (or failed to load: rejects). */
  readonly loaded: Promise<void>;
  state(): ModelState['kind'];
  /** Stops accepting connections, lets in-flight requests finish (up to timeoutInMs), releases the model. */
  close(timeoutInMs: number): Promise<void>;
}

export function createModelServer(options: ModelServerOptions): ModelServer {
  const modelVersion = options.modelVersion ?? '1';
  const abort = new AbortController();
  const delay = options.delay ?? ((ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal }));
  let state: ModelState = { kind: 'loading' };
  let markLoaded: (outcome: Error | undefined) => void = () => undefined;
  const loaded = new Promise<void>((resolve, reject) => {
    markLoaded = (outcome) => (outcome === undefined ? resolve() : reject(outcome));
  });
  loaded.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection

  const server: Server = createServer(
    createRequestHandler({
      modelName: options.modelName,
      modelVersion,
      server: SERVER_INFO,
      maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
      state: () => state,
      log: options.log,
    }),
  );
  server.keepAliveTimeout = 65_000; // longer than common load-balancer idle timeouts

  async function load(): Promise<void> {
    const started = Date.now();
    try {
      if (options.loadDelayInMs > 0) {
        options.log.info(`MODEL_LOAD_DELAY_SECONDS: waiting ${options.loadDelayInMs / 1000} s before loading the model`);
        await delay(options.loadDelayInMs, abort.signal);
      }
      const model = await options.loadModel();
      if (abort.signal.aborted) {
        await model.release();
        return;
      }
      state = { kind: 'ready', model, signature: { name: options.modelName, version: modelVersion, inputs: model.inputs, outputs: model.outputs } };
      options.log.info(`model '${options.modelName}' version ${modelVersion} is ready (${Date.now() - started} ms)`);
      markLoaded(undefined);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      if (!abort.signal.aborted) {
        state = { kind: 'failed', reason };
        options.log.error(`model '${options.modelName}' failed to load: ${reason}`);
      }
      markLoaded(cause instanceof Error ? cause : new Error(reason));
    }
  }

  return {
    loaded,
    state: () => state.kind,
    listen: (port, host) =>
      new Promise<AddressInfo>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          options.log.info(`listening on ${address.address}:${address.port} (Open Inference Protocol v2, model '${options.modelName}')`);
          void load();
          resolve(address);
        });
      }),
    async close(timeoutInMs) {
      const previous = state;
      state = { kind: 'stopping' };
      abort.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), timeoutInMs);
      await closed;
      clearTimeout(timer);
      if (previous.kind === 'ready') await previous.model.release();
    },
  };
}
