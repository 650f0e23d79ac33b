import { strict as assert } from 'node:assert';
import { parseRetryAfterInMs } from '../../../tasks/common/retry';
import { classifyAnswer, classifyTransportError, readinessDelayInMs } from '../../../tasks/SmokeTestModelV1/src/classify';
import { detectionProbes, detectProtocol, type ProbeId, type ProbeOutcome } from '../../../tasks/SmokeTestModelV1/src/detect';
import { presetFor } from '../../../tasks/SmokeTestModelV1/src/presets';
import { checkMlflowBody } from '../../../tasks/SmokeTestModelV1/src/presets/mlflow';
import { openInferenceRequestFromMetadata } from '../../../tasks/SmokeTestModelV1/src/presets/open-inference';
import { judgeTfServingStatus, tfServingRequestFromMetadata } from '../../../tasks/SmokeTestModelV1/src/presets/tf-serving';
import { PROTOCOLS, type ProbeAnswer } from '../../../tasks/SmokeTestModelV1/src/presets/types';

const answer = (status: number, json?: unknown, text?: string): ProbeAnswer => ({
  status, headers: {}, bodyText: text ?? (json === undefined ? '' : JSON.stringify(json)), ...(json === undefined ? {} : { json }),
});
const HTTP = { method: 'POST' as const, requestPath: '/predict' };

describe('SmokeTestModel presets (DESIGN.md section 6)', () => {
  it('Open Inference Protocol: server then model readiness, versioned paths, Triton 400 = not ready', () => {
    const preset = presetFor('openInference', HTTP);
    const layers = preset.readiness({ modelName: 'iris', modelVersion: '2' });
    assert.deepEqual(layers.map((l) => l.requests.map((r) => `${r.method} ${r.path}`)), [['GET /v2/health/ready'], ['GET /v2/models/iris/versions/2/ready']]);
    assert.equal(layers[1]?.judge(answer(400))?.state, 'notReady');
    assert.equal(layers[1]?.judge(answer(200)), undefined);
    assert.deepEqual(preset.inference({ modelName: 'my model' }), { method: 'POST', path: '/v2/models/my%20model/infer' });
    assert.deepEqual(preset.metadata?.({ modelName: 'iris' }), { method: 'GET', path: '/v2/models/iris' });
  });

  it('builds an OIP request from metadata: -1 dims become 1, values by datatype', () => {
    const built = openInferenceRequestFromMetadata({
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }, { name: 'flag', datatype: 'BOOL', shape: [1] }, { name: 'text', datatype: 'BYTES', shape: [-1] }],
    });
    assert.deepEqual(built, {
      ok: true,
      body: { inputs: [
        { name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 1, 1] },
        { name: 'flag', shape: [1], datatype: 'BOOL', data: [true] },
        { name: 'text', shape: [1], datatype: 'BYTES', data: ['smoke test'] },
      ] },
    });
    assert.deepEqual(openInferenceRequestFromMetadata({ inputs: [] }), { ok: false, reason: 'the model metadata lists no inputs' });
    assert.equal(openInferenceRequestFromMetadata({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1000, 1000] }] }).ok, false);
    assert.equal(openInferenceRequestFromMetadata({ inputs: [{ name: 'x', datatype: 'COMPLEX', shape: [1] }] }).ok, false);
  });

  it('KServe V1: ready only with {"ready": true}; :predict path', () => {
    const preset = presetFor('kserveV1', HTTP);
    const [layer] = preset.readiness({ modelName: 'm' });
    assert.equal(layer?.judge(answer(200, { name: 'm', ready: true }))?.state, 'ready');
    assert.equal(layer?.judge(answer(200, { name: 'm', ready: false }))?.state, 'notReady');
    assert.equal(preset.inference({ modelName: 'm' }).path, '/v1/models/m:predict');
    assert.deepEqual(preset.discovery?.names({ models: ['a', 'b'] }), ['a', 'b']);
  });

  it('TensorFlow Serving: AVAILABLE is ready, LOADING is not, END with an error fails', () => {
    assert.deepEqual(judgeTfServingStatus({ model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK' } }] }, undefined), { state: 'ready' });
    assert.equal(judgeTfServingStatus({ model_version_status: [{ version: '1', state: 'LOADING', status: { error_code: 'OK' } }] }, undefined).state, 'notReady');
    assert.equal(judgeTfServingStatus({ model_version_status: [{ version: '1', state: 'AVAILABLE' }] }, '2').state, 'notReady');
    const failed = judgeTfServingStatus({ model_version_status: [{ version: '1', state: 'END', status: { error_code: 'NOT_FOUND', error_message: 'no servable' } }] }, undefined);
    assert.deepEqual(failed, { state: 'failed', reason: 'TensorFlow Serving could not load version 1: NOT_FOUND no servable' });
  });

  it('TensorFlow Serving: builds a columnar request from the serving_default signature; the answer key follows the format', () => {
    const metadata = { metadata: { signature_def: { signature_def: { serving_default: { inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '-1' }, { size: '2' }] } } } } } } } };
    assert.deepEqual(tfServingRequestFromMetadata(metadata), { ok: true, body: { signature_name: 'serving_default', inputs: { x: [[1, 1]] } } });
    const preset = presetFor('tfServing', HTTP);
    assert.deepEqual(preset.protocolAssertions({ inputs: {} }), ['$.outputs exists']);
    assert.deepEqual(preset.protocolAssertions({ instances: [] }), ['$.predictions exists']);
    assert.equal(preset.inference({ modelName: 'm', modelVersion: '3' }).path, '/v1/models/m/versions/3:predict');
  });

  it('TorchServe: Healthy only; token auth hint', () => {
    const [layer] = presetFor('torchServe', HTTP).readiness({});
    assert.equal(layer?.judge(answer(200, { status: 'Healthy' }))?.state, 'ready');
    assert.equal(layer?.judge(answer(500, { status: 'Unhealthy' }))?.state, 'notReady');
    assert.equal(layer?.judge(answer(200, { status: 'Partial Healthy' }))?.state, 'notReady');
    assert.match(presetFor('torchServe', HTTP).authHint, /key_file\.json/);
  });

  it("TorchServe: 400 InvalidKeyException is a refused token, failed at once with the token hint; other 400s are not", () => {
    const preset = presetFor('torchServe', HTTP);
    const refused = answer(400, { code: 400, type: 'InvalidKeyException', message: 'Token Authorization failed. Token either incorrect, expired, or not provided correctly' });
    const rules = { stage: 'readiness' as const, expected: [200], authHint: preset.authHint, nowInMs: 0, ...(preset.authRefusal ? { authRefusal: preset.authRefusal } : {}) };
    const verdict = classifyAnswer(refused, { ...rules, judge: (a) => preset.readiness({})[0]?.judge(a) });
    assert.ok(verdict.state === 'failed', JSON.stringify(verdict));
    assert.match(verdict.reason, /refused the credentials \(400 Bad Request: InvalidKeyException: Token Authorization failed.*bearerToken.*key_file\.json/);
    const other = classifyAnswer(answer(400, { code: 400, type: 'BadRequestException', message: 'Parameter data is required.' }), rules);
    assert.ok(other.state === 'failed' && !/credentials/.test(other.reason));
  });

  it('MLflow: exactly one of the four input formats', () => {
    assert.equal(checkMlflowBody({ dataframe_split: {} }), undefined);
    assert.match(checkMlflowBody({}) ?? '', /one of 'dataframe_split'/);
    assert.match(checkMlflowBody({ instances: [], inputs: [] }) ?? '', /exactly one .* it has 'instances' and 'inputs'/);
  });

  it('Azure ML: 424 fails, 429 backs off', () => {
    const preset = presetFor('azureml', HTTP);
    assert.equal(preset.inferenceStatus?.(424)?.state, 'failed');
    assert.equal(preset.inferenceStatus?.(429)?.state, 'notReady');
  });

  it('OpenAI-compatible: /health then /v1/models, 503 while loading, default chat request', () => {
    const preset = presetFor('openai', HTTP);
    const [layer] = preset.readiness({});
    assert.deepEqual(layer?.requests.map((r) => r.path), ['/health', '/v1/models']);
    assert.equal(layer?.judge(answer(503))?.state, 'notReady');
    assert.equal(layer?.judge(answer(200, { object: 'list', data: [] }))?.state, 'notReady');
    const built = preset.defaultBody?.({ modelName: 'llama' }, undefined);
    assert.ok(built?.ok);
    assert.deepEqual((built.body as { model: string }).model, 'llama');
  });

  it('every preset has an auth hint and a body example', () => {
    for (const protocol of PROTOCOLS) {
      const preset = presetFor(protocol, HTTP);
      assert.ok(preset.authHint.length > 10 && preset.bodyExample.length > 0, protocol);
    }
  });
});

describe('SmokeTestModel protocol detection', () => {
  const probes = detectionProbes({ modelName: 'm' });
  const detect = (answers: Partial<Record<ProbeId, ProbeAnswer>>): ReturnType<typeof detectProtocol> => {
    const outcomes = new Map<ProbeId, ProbeOutcome>();
    for (const probe of probes) outcomes.set(probe.id, answers[probe.id] ? { answer: answers[probe.id] as ProbeAnswer } : { answer: answer(404) });
    return detectProtocol(probes, outcomes);
  };

  it('recognises each protocol by the shape of its answer', () => {
    assert.equal(detect({ oipServer: answer(200, { name: 'triton', version: '2' }) }).protocol, 'openInference');
    assert.equal(detect({ v1Models: answer(200, { object: 'list', data: [] }) }).protocol, 'openai');
    assert.equal(detect({ v1Models: answer(503, { error: { type: 'unavailable_error' } }) }).protocol, 'openai');
    assert.equal(detect({ v1Models: answer(200, { models: ['m'] }) }).protocol, 'kserveV1');
    assert.equal(detect({ v1Model: answer(200, { model_version_status: [] }) }).protocol, 'tfServing');
    assert.equal(detect({ v1Model: answer(503, { name: 'm', ready: false }) }).protocol, 'kserveV1');
    assert.equal(detect({ ping: answer(500, { status: 'Unhealthy' }) }).protocol, 'torchServe');
    assert.equal(detect({ ping: answer(400, { code: 400, type: 'InvalidKeyException', message: 'Token Authorization failed.' }) }).protocol, 'torchServe');
    assert.equal(detect({ ping: answer(200, undefined, '\n') }).protocol, 'mlflow');
    assert.equal(detect({ root: answer(200, undefined, 'Healthy') }).protocol, 'azureml');
  });

  it('never decides on a status alone, and reports what it saw', () => {
    const result = detect({ root: answer(200, undefined, '<html>welcome</html>'), oipServer: answer(200, undefined, 'ok') });
    assert.equal(result.protocol, undefined);
    assert.ok(result.protocol === undefined && result.reachable && /GET \/v2 -> 200/.test(result.summary));
    const unreachable = detectProtocol(probes, new Map(probes.map((p) => [p.id, { error: 'connection refused' }])));
    assert.ok(unreachable.protocol === undefined && !unreachable.reachable);
  });

  it('skips the model probe without a model name', () => {
    assert.ok(!detectionProbes({}).some((p) => p.id === 'v1Model'));
  });
});

describe('SmokeTestModel retry classification', () => {
  const rules = { stage: 'readiness' as const, expected: [200], authHint: 'Use a token.', nowInMs: 0 };
  it('retries connection and DNS errors, fails TLS errors with the caCertificate hint', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'REQUEST_TIMEOUT']) assert.equal(classifyTransportError(code, 'x').state, 'notReady', code);
    const tls = classifyTransportError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify');
    assert.ok(tls.state === 'failed' && /caCertificate/.test(tls.reason));
  });
  it('retries 404, 502, 503, 504 and 429; fails at once on 401, 403, 415 and others', () => {
    for (const status of [404, 502, 503, 504, 429]) assert.equal(classifyAnswer(answer(status), rules).state, 'notReady', String(status));
    for (const status of [401, 403]) {
      const verdict = classifyAnswer(answer(status), rules);
      assert.ok(verdict.state === 'failed' && verdict.reason.includes('Use a token.'));
    }
    const media = classifyAnswer(answer(415), rules);
    assert.ok(media.state === 'failed' && /Content-Type/.test(media.reason));
    assert.equal(classifyAnswer(answer(500), rules).state, 'failed');
    assert.equal(classifyAnswer(answer(200), rules).state, 'ready');
  });
  it("honours Retry-After and backs off 250 ms doubling to 5 s", () => {
    assert.equal(parseRetryAfterInMs('3', 0), 3000);
    assert.equal(parseRetryAfterInMs(new Date(10_000).toUTCString(), 4000), 6000);
    assert.equal(parseRetryAfterInMs('soon', 0), undefined);
    const verdict = classifyAnswer({ ...answer(503), headers: { 'retry-after': '2' } }, rules);
    assert.ok(verdict.state === 'notReady' && verdict.retryAfterInMs === 2000);
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => readinessDelayInMs(n)), [250, 500, 1000, 2000, 4000, 5000, 5000]);
    assert.equal(readinessDelayInMs(1, 1500), 1500);
  });
});
