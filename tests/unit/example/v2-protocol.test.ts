import assert from 'node:assert/strict';
import { matchRoute } from '../../../examples/model-app/src/routes';
import { BadRequestError, parseInferRequest, toInferResponse, type ModelSignature } from '../../../examples/model-app/src/v2-protocol';

const iris: ModelSignature = {
  name: 'iris',
  version: '1',
  inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
  outputs: [
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
    { name: 'label', datatype: 'INT64', shape: [-1] },
  ],
};
const input = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'input', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2], ...over });
const rejects = (body: unknown, message: RegExp): void => {
  assert.throws(() => parseInferRequest(body, iris), (e: unknown) => e instanceof BadRequestError && message.test(e.message));
};

describe('example: Open Inference Protocol v2 requests', () => {
  it('reads a minimal request, with all outputs by default', () => {
    assert.deepEqual(parseInferRequest({ inputs: [input()] }, iris), {
      inputs: [{ name: 'input', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }],
      outputNames: ['probabilities', 'label'],
    });
  });

  it('accepts nested (row-major) data, an id and a chosen output', () => {
    const request = parseInferRequest({ id: 'r-1', inputs: [input({ shape: [2, 4], data: [[1, 2, 3, 4], [5, 6, 7, 8]] })], outputs: [{ name: 'label' }] }, iris);
    assert.deepEqual(request, { id: 'r-1', inputs: [{ name: 'input', shape: [2, 4], data: [1, 2, 3, 4, 5, 6, 7, 8] }], outputNames: ['label'] });
  });

  it('answers with model_name, model_version, the id and the outputs', () => {
    const outputs = [{ name: 'label', datatype: 'INT64' as const, shape: [1], data: [0] }];
    assert.deepEqual(toInferResponse(iris, { id: 'x', inputs: [], outputNames: ['label'] }, outputs), { model_name: 'iris', model_version: '1', id: 'x', outputs });
    assert.deepEqual(toInferResponse(iris, { inputs: [], outputNames: ['label'] }, outputs), { model_name: 'iris', model_version: '1', outputs });
  });

  it('rejects bad requests with a message that says what is wrong', () => {
    rejects([], /JSON object/);
    rejects({}, /'inputs' must be a non-empty array/);
    rejects({ inputs: [] }, /'inputs' must be a non-empty array/);
    rejects({ inputs: [input({ name: 'x' })] }, /Unexpected input 'x'.*expects 'input'/);
    rejects({ inputs: [input({ datatype: 'FP64' })] }, /datatype 'FP64', but model 'iris' expects 'FP32'/);
    rejects({ inputs: [input({ shape: [4] })] }, /shape \[4\], but model 'iris' expects \[N,4\]/);
    rejects({ inputs: [input({ shape: [1, 3], data: [1, 2, 3] })] }, /expects \[N,4\]/);
    rejects({ inputs: [input({ shape: [2, 4] })] }, /has 4 values, but shape \[2,4\] needs 8/);
    rejects({ inputs: [input({ shape: [0, 4], data: [] })] }, /empty/);
    rejects({ inputs: [input({ shape: [1, -4] })] }, /non-negative integers/);
    rejects({ inputs: [input({ data: [1, 2, 'three', 4] })] }, /finite numbers/);
    rejects({ inputs: [input({ data: 'abc' })] }, /finite numbers/);
    rejects({ inputs: [input(), input()] }, /exactly once; got it 2 times/);
    rejects({ inputs: [input()], outputs: [{ name: 'nope' }] }, /Unknown output 'nope'/);
    rejects({ inputs: [input()], outputs: [{ name: 'label', parameters: { binary_data: true } }] }, /binary/);
    rejects({ inputs: [input({ parameters: { binary_data_size: 16 } })] }, /binary tensor data extension/);
    rejects({ id: 7, inputs: [input()] }, /'id' must be a string/);
  });
});

describe('example: v2 routes', () => {
  const found = (method: string, path: string): unknown => matchRoute(method, path);
  it('maps each endpoint', () => {
    assert.deepEqual(found('GET', '/v2'), { kind: 'found', route: { kind: 'server-metadata' } });
    assert.deepEqual(found('GET', '/v2/health/live'), { kind: 'found', route: { kind: 'live' } });
    assert.deepEqual(found('GET', '/v2/health/ready/'), { kind: 'found', route: { kind: 'ready' } });
    assert.deepEqual(found('GET', '/v2/models/iris'), { kind: 'found', route: { kind: 'model-metadata', model: 'iris' } });
    assert.deepEqual(found('GET', '/v2/models/iris/versions/1/ready'), { kind: 'found', route: { kind: 'model-ready', model: 'iris', version: '1' } });
    assert.deepEqual(found('POST', '/v2/models/iris/infer'), { kind: 'found', route: { kind: 'infer', model: 'iris' } });
    assert.deepEqual(found('POST', '/v2/models/iris/versions/1/infer'), { kind: 'found', route: { kind: 'infer', model: 'iris', version: '1' } });
  });
  it('refuses other methods and paths', () => {
    assert.deepEqual(found('GET', '/v2/models/iris/infer'), { kind: 'method-not-allowed', allow: 'POST' });
    assert.deepEqual(found('POST', '/v2/health/ready'), { kind: 'method-not-allowed', allow: 'GET, HEAD' });
    assert.deepEqual(found('GET', '/v1/models/iris'), { kind: 'not-found' });
    assert.deepEqual(found('GET', '/v2/models/%E0%A4%A'), { kind: 'not-found' });
  });
});
