// The example model app (examples/model-app: Iris, ONNX Runtime, Open Inference Protocol v2) as a child
// process on 127.0.0.1, for tests that need the real server rather than a fixture.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const APP_DIR = path.resolve(__dirname, '..', '..', 'examples', 'model-app');

export interface ModelAppProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** What the server printed so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>;
}

/** Starts the app with these settings (MODEL_NAME, MODEL_LOAD_DELAY_SECONDS...); resolves once it listens. */
export async function startModelApp(env: Record<string, string> = {}): Promise<ModelAppProcess> {
  if (!existsSync(path.join(APP_DIR, 'node_modules', 'onnxruntime-node', 'package.json'))) {
    throw new Error('onnxruntime-node is not installed for the example app. Run: npm ci --prefix examples/model-app --no-audit --no-fund');
  }
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(APP_DIR, 'src', 'server.ts')], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
        if (match) resolve(`http://127.0.0.1:${match[1]}`);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then(() => reject(new Error(`the example model app exited before listening:\n${output}`)));
      setTimeout(() => reject(new Error(`the example model app did not listen within 30 s:\n${output}`)), 30_000).unref();
    });
    return { url, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
