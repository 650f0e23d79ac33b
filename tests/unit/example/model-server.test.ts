// The v2 server in-process, on 127.0.0.1 with an ephemeral port, over the real model and runtime.
import assert from 'node:assert/strict';
import { silentLogger } from '../../../examples/model-app/src/log';
import { createModelServer, type ModelServer } from '../../../examples/model-app/src/model-server';
import { loadOnnxModel } from '../../../examples/model-app/src/onnx-model';
import { MODEL_FILE } from './app-paths';
import { call, IRIS_SAMPLES } from './v2-client';

interface Started {
  readonly server: ModelServer;
  readonly url: string;
  readonly finishDelay: () => void;
}

async function start(options: { loadDelayInMs?: number; failLoad?: boolean; maxBodyBytes?: number } = {}): Promise<Started> {
  let finishDelay: () => void = () => undefined;
  const server = createModelServer({
    modelName: 'iris',
    loadDelayInMs: options.loadDelayInMs ?? 0,
    // The test decides when the "slow load" ends: no timers, no wall-clock assertions.
    delay: (_ms, signal) =>
      new Promise<void>((resolve, reject) => {
        finishDelay = resolve;
        signal.addEventListener('abort', () => reject(new Error('load cancelled')));
      }),
    loadModel: () => (options.failLoad ? Promise.reject(new Error('model file is corrupt')) : loadOnnxModel(MODEL_FILE)),
    log: silentLogger,
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  });
  const address = await server.listen(0, '127.0.0.1');
  return { server, url: `http://127.0.0.1:${address.port}`, finishDelay: () => finishDelay() };
}

describe('example: model server (Open Inference Protocol v2)', () => {
  const running: ModelServer[] = [];
  const track = (started: Started): Started => {
    running.push(started.server);
    return started;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close(1000)));
  });

  describe('once the model is loaded', () => {
    let url: string;
    let loaded: ModelServer | undefined;
    before(async () => {
      const started = await start({ maxBodyBytes: 64 * 1024 });
      loaded = started.server;
      url = started.url;
      await started.server.loaded;
    });
    after(async () => {
      await loaded?.close(1000);
    });

    it('answers health, server metadata and model metadata', async () => {
      assert.deepEqual(await call(url, 'GET', '/v2/health/live').then((a) => [a.status, a.body]), [200, { live: true }]);
      assert.deepEqual(await call(url, 'GET', '/v2/health/ready').then((a) => [a.status, a.body]), [200, { ready: true }]);
      assert.deepEqual(await call(url, 'GET', '/v2/models/iris/ready').then((a) => [a.status, a.body]), [200, { name: 'iris', ready: true }]);
      assert.deepEqual(await call(url, 'GET', '/v2').then((a) => a.body), { name: 'iris-model-app', version: '1.0.0', extensions: [] });
      const metadata = await call(url, 'GET', '/v2/models/iris');
      assert.equal(metadata.status, 200);
      assert.deepEqual(metadata.body, {
        name: 'iris',
        versions: ['1'],
        platform: 'onnxruntime_onnx',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
        outputs: [
          { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
          { name: 'label', datatype: 'INT64', shape: [-1] },
        ],
      });
    });

    it('infers with the exact v2 response shape and echoes the id', async () => {
      const answer = await call(url, 'POST', '/v2/models/iris/infer', { id: 'req-42', inputs: [IRIS_SAMPLES] });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('content-type'), 'application/json');
      const body = answer.body as { model_name: string; model_version: string; id: string; outputs: { name: string; datatype: string; shape: number[]; data: number[] }[] };
      assert.deepEqual(Object.keys(body).sort(), ['id', 'model_name', 'model_version', 'outputs']);
      assert.deepEqual([body.model_name, body.model_version, body.id], ['iris', '1', 'req-42']);
      assert.deepEqual(body.outputs.map((o) => [o.name, o.datatype, o.shape]), [['probabilities', 'FP32', [3, 3]], ['label', 'INT64', [3]]]);
      assert.deepEqual(body.outputs[1]?.data, [0, 1, 2]);
      assert.equal(body.outputs[0]?.data.length, 9);
    });

    it('serves /versions/1/infer and only the outputs asked for', async () => {
      const answer = await call(url, 'POST', '/v2/models/iris/versions/1/infer', { inputs: [{ ...IRIS_SAMPLES, shape: [1, 4], data: [5.9, 3.0, 5.1, 1.8] }], outputs: [{ name: 'label' }] });
      assert.deepEqual(answer.body, { model_name: 'iris', model_version: '1', outputs: [{ name: 'label', datatype: 'INT64', shape: [1], data: [2] }] });
    });

    it('answers 400 {"error"} to bad requests', async () => {
      for (const body of ['{not json', { inputs: [{ ...IRIS_SAMPLES, datatype: 'INT32' }] }, { inputs: [{ ...IRIS_SAMPLES, shape: [3, 5] }] }, { instances: [[1, 2, 3, 4]] }]) {
        const answer = await call(url, 'POST', '/v2/models/iris/infer', body);
        assert.equal(answer.status, 400, JSON.stringify(body));
        assert.equal(typeof (answer.body as { error: unknown }).error, 'string');
      }
    });

    it('answers 404 for unknown models, versions and paths, 405 for a wrong method, 413 for a huge body', async () => {
      assert.equal((await call(url, 'POST', '/v2/models/resnet/infer', { inputs: [IRIS_SAMPLES] })).status, 404);
      assert.match(JSON.stringify((await call(url, 'GET', '/v2/models/iris/versions/2')).body), /no version '2'/);
      assert.equal((await call(url, 'GET', '/v1/models/iris')).status, 404);
      const wrongMethod = await call(url, 'GET', '/v2/models/iris/infer');
      assert.deepEqual([wrongMethod.status, wrongMethod.headers.get('allow')], [405, 'POST']);
      const huge = { inputs: [{ ...IRIS_SAMPLES, shape: [10000, 4], data: new Array<number>(40000).fill(1.5) }] };
      assert.equal((await call(url, 'POST', '/v2/models/iris/infer', huge)).status, 413);
    });
  });

  it('is live but not ready while the model loads (MODEL_LOAD_DELAY_SECONDS), then ready', async () => {
    const { server, url, finishDelay } = track(await start({ loadDelayInMs: 60_000 }));
    assert.equal(server.state(), 'loading');
    assert.equal((await call(url, 'GET', '/v2/health/live')).status, 200);
    assert.deepEqual(await call(url, 'GET', '/v2/health/ready').then((a) => [a.status, a.body]), [503, { ready: false }]);
    assert.equal((await call(url, 'GET', '/v2/models/iris/ready')).status, 503);
    const infer = await call(url, 'POST', '/v2/models/iris/infer', { inputs: [IRIS_SAMPLES] });
    assert.deepEqual([infer.status, infer.headers.get('retry-after'), infer.body], [503, '1', { error: "Model 'iris' is not ready: it is still loading." }]);
    finishDelay();
    await server.loaded;
    assert.equal((await call(url, 'GET', '/v2/health/ready')).status, 200);
    assert.equal((await call(url, 'POST', '/v2/models/iris/infer', { inputs: [IRIS_SAMPLES] })).status, 200);
  });

  it('stays not ready and says why when the model fails to load', async () => {
    const { server, url } = track(await start({ failLoad: true }));
    await assert.rejects(server.loaded, /model file is corrupt/);
    assert.equal(server.state(), 'failed');
    assert.equal((await call(url, 'GET', '/v2/health/ready')).status, 503);
    assert.deepEqual((await call(url, 'POST', '/v2/models/iris/infer', { inputs: [IRIS_SAMPLES] })).body, { error: "Model 'iris' is not ready: it failed to load: model file is corrupt." });
  });

  it('stops cleanly while the model is still loading', async () => {
    const { server } = await start({ loadDelayInMs: 60_000 });
    await server.close(1000);
    assert.equal(server.state(), 'stopping');
    await assert.rejects(server.loaded, /load cancelled/);
  });
});
