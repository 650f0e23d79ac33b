// SmokeTestModel (bundled, as the agent runs it) against the real example model app, with protocol auto
// and no request body: it detects the Open Inference Protocol and builds the request from the model's metadata.
import { strict as assert } from 'node:assert';
import { type ModelAppProcess, startModelApp } from '../../support/model-app-process';
import { assertFailed, assertSucceeded, runSmokeTest } from './harness';

describe('SmokeTestModel (bundled) against the example model app (Open Inference Protocol, ONNX Runtime)', function () {
  this.timeout(120_000);
  const apps: ModelAppProcess[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
  });

  it('detects the protocol, waits out the model load, builds the request from the metadata and passes', async () => {
    const app = await startModelApp({ MODEL_NAME: 'iris', MODEL_LOAD_DELAY_SECONDS: '2' });
    apps.push(app);
    const run = await runSmokeTest({
      url: app.url,
      modelName: 'iris',
      assertions: ["$.model_name == 'iris'", "$.outputs[*].name in ['probabilities', 'label']", '$.outputs[0].shape == [1, 3]', '$.outputs[1].data[0] in [0, 1, 2]'].join('\n'),
      requests: '12',
      concurrency: '3',
      readinessTimeoutInSeconds: '60',
    });
    assertSucceeded(run);
    assert.match(run.log, /Detected Open Inference Protocol v2: GET \/v2 answered Open Inference Protocol server metadata/);
    assert.match(run.log, /not ready yet: the server answered 503 Service Unavailable/, 'it saw the model loading and waited');
    assert.match(run.log, /No request body given: built a request from the model's metadata/);
    assert.match(run.log, /Request: \{"inputs":\[\{"name":"input","shape":\[1,4\],"datatype":"FP32","data":\[1,1,1,1\]\}\]\}/);
    assert.equal(run.variables.protocol?.value, 'openInference');
    assert.equal(run.variables.successRate?.value, '1');
    const junit = run.testResults[0]?.contents[0] ?? '';
    assert.match(junit, /<testsuite [^>]*tests="10" failures="0"/);
  });

  it('fails at once, asking for modelName, when the server cannot list its models (no model repository extension)', async () => {
    const app = await startModelApp({ MODEL_NAME: 'flowers' });
    apps.push(app);
    const run = await runSmokeTest({ url: app.url, readinessTimeoutInSeconds: '600' });
    assertFailed(run, /model list \(POST \/v2\/repository\/index\): the server does not list its models \(answered 404 Not Found\)\. Set 'modelName'\./);
  });
});
