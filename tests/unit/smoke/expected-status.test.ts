// What 'expectedStatus' asks of readiness and of the answers (pure planning): an expected 401/403 is the
// answer, not a wrong key; without an expected 2xx only the server must be up; a mix of 2xx and 401/403 is refused.
import { strict as assert } from 'node:assert';
import { InputError } from '../../../tasks/common/errors';
import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import { parseAssertion } from '../../../tasks/SmokeTestModelV1/src/assertions/parse';
import { type AnswerRules, classifyAnswer } from '../../../tasks/SmokeTestModelV1/src/classify';
import { checkExpectedStatuses, expectsModelAnswer } from '../../../tasks/SmokeTestModelV1/src/expectation';
import { readInputs, type InputName, type SmokeTestInputs } from '../../../tasks/SmokeTestModelV1/src/inputs';
import { inferenceRequest, plannedAssertions, presetOf, readinessLayers, type PlannedAssertion } from '../../../tasks/SmokeTestModelV1/src/plan';
import { torchServeTokenRefusal } from '../../../tasks/SmokeTestModelV1/src/presets/torchserve';
import type { Judgement, ProbeAnswer, Protocol } from '../../../tasks/SmokeTestModelV1/src/presets/types';
import { assertionChecks, judgeAnswer } from '../../../tasks/SmokeTestModelV1/src/verdicts';

const answer = (status: number, json?: unknown): ProbeAnswer => ({
  status, headers: {}, bodyText: json === undefined ? '' : JSON.stringify(json), ...(json === undefined ? {} : { json }),
});
const TORCH_REFUSAL = answer(400, { code: 400, type: 'InvalidKeyException', message: 'Token Authorization failed.' });

function rules(stage: AnswerRules['stage'], expected: number[], extra: Partial<AnswerRules> = {}): AnswerRules {
  return { stage, expected, authHint: 'Check the key.', nowInMs: 0, ...extra };
}

function read(values: Partial<Record<InputName, string>>): SmokeTestInputs {
  return readInputs(inputSourceFromRecord({ url: 'http://127.0.0.1:8080', ...values }), { setSecret: () => undefined });
}

function failedWith(judgement: Judgement, pattern: RegExp): void {
  assert.ok(judgement.state === 'failed', JSON.stringify(judgement));
  assert.match(judgement.reason, pattern);
}

describe('SmokeTestModel expected status: refusals of the credentials', () => {
  it('fails at once on 401/403 when no refusal is expected, with the protocol hint (a wrong key or a missing role)', () => {
    for (const stage of ['readiness', 'inference'] as const) {
      for (const status of [401, 403]) failedWith(classifyAnswer(answer(status), rules(stage, [200])), new RegExp(`answered ${status} .*Check the key\\.`));
    }
  });

  it('takes an expected 401/403 as the answer: during readiness the server is up, and says so', () => {
    for (const expected of [[401], [403], [401, 403]]) {
      for (const status of expected) {
        const verdict = classifyAnswer(answer(status), rules('readiness', expected));
        assert.ok(verdict.state === 'ready', JSON.stringify(verdict));
        assert.match(verdict.note ?? '', /refuses the credentials \(40[13] (Unauthorized|Forbidden)\), as expected/);
        assert.equal(classifyAnswer(answer(status), rules('inference', expected)).state, 'ready');
      }
    }
  });

  it('names the refusal to expect when the server refuses with another status than the expected one', () => {
    failedWith(classifyAnswer(answer(403), rules('readiness', [401])), /refused the credentials with 403 Forbidden, not 401: .*set 'expectedStatus' to 403/);
    const torch = rules('readiness', [401], { authRefusal: torchServeTokenRefusal });
    failedWith(classifyAnswer(TORCH_REFUSAL, torch), /with 400 Bad Request: InvalidKeyException: Token Authorization failed\., not 401: .*'expectedStatus' to 400/);
  });

  it("takes a protocol's own refusal (TorchServe's 400 InvalidKeyException) as the answer when its status is expected", () => {
    const verdict = classifyAnswer(TORCH_REFUSAL, rules('readiness', [400], { authRefusal: torchServeTokenRefusal }));
    assert.ok(verdict.state === 'ready' && /InvalidKeyException.*as expected/.test(verdict.note ?? ''), JSON.stringify(verdict));
    // Not expected: the refusal hint, as before.
    failedWith(classifyAnswer(TORCH_REFUSAL, rules('readiness', [200], { authRefusal: torchServeTokenRefusal })), /refused the credentials \(400 .*Check the key\./);
  });

  it('says that an endpoint which served a request where a refusal was expected does not enforce authentication', () => {
    failedWith(classifyAnswer(answer(200), rules('inference', [401])), /answered 200 OK: it served the request instead of refusing the credentials/);
    failedWith(classifyAnswer(answer(200), rules('inference', [201])), /^the server answered 200 OK$/);
  });

  it('refuses a mix of 2xx and 401/403 (a test that passes either way), before any request', () => {
    assert.throws(
      () => read({ expectedStatus: '200, 401' }),
      (error: unknown) => error instanceof InputError && error.input === 'expectedStatus' && /mixes a success \(200\) with a refusal of the credentials \(401\)/.test(error.message),
    );
    assert.throws(() => checkExpectedStatuses('expectedStatus', [204, 403]), InputError);
    for (const fine of [[401, 403], [200, 201], [200, 404], [401, 404], [503]]) checkExpectedStatuses('expectedStatus', fine);
  });
});

describe('SmokeTestModel expected status: other statuses during readiness and for the canary', () => {
  it('an expected error status ends the wait during readiness; unexpected, it is retried or fails as before', () => {
    for (const status of [404, 429, 503]) {
      const verdict = classifyAnswer(answer(status), rules('readiness', [status]));
      assert.ok(verdict.state === 'ready' && verdict.note === `the server answered ${status} ${{ 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status] ?? ''}, an expected status`, JSON.stringify(verdict));
      assert.equal(classifyAnswer(answer(status), rules('readiness', [200])).state, 'notReady');
    }
    assert.equal(classifyAnswer(answer(500), rules('readiness', [500])).state, 'ready');
    assert.equal(classifyAnswer(answer(500), rules('readiness', [200])).state, 'failed');
  });

  it("the protocol's own not-ready answers are still waited out (Triton's 400 while loading, with 400 expected)", () => {
    const [serverReady] = presetOf(read({ protocol: 'openInference', modelName: 'iris' }), 'openInference').readiness({ modelName: 'iris' });
    const verdict = classifyAnswer(answer(400), rules('readiness', [400], { judge: (a) => serverReady?.judge(a) }));
    assert.equal(verdict.state, 'notReady');
  });

  it('an expected 415 or 404 is the canary\'s answer, not a Content-Type error or a retry', () => {
    assert.equal(classifyAnswer(answer(415), rules('inference', [415])).state, 'ready');
    failedWith(classifyAnswer(answer(415), rules('inference', [200])), /Content-Type/);
    assert.equal(classifyAnswer(answer(404), rules('inference', [404])).state, 'ready');
    assert.equal(classifyAnswer(answer(404), rules('inference', [200])).state, 'notReady');
  });

  it("an expected status wins over the protocol's reading of the inference status (Azure ML's 424)", () => {
    const azureml = presetOf(read({ protocol: 'azureml', requestBody: '{"data": [1]}' }), 'azureml');
    const judge = (a: ProbeAnswer): Judgement | undefined => azureml.inferenceStatus?.(a.status);
    assert.equal(classifyAnswer(answer(424), rules('inference', [424], { judge })).state, 'ready');
    failedWith(classifyAnswer(answer(424), rules('inference', [200], { judge })), /container logs/);
  });
});

describe('SmokeTestModel expected status: what readiness waits for', () => {
  const layersOf = (protocol: Protocol, expectedStatus: string, extra: Partial<Record<InputName, string>> = {}): string[] => {
    const inputs = read({ protocol, modelName: 'm', requestBody: '{"instances": [[1]], "data": [1]}', expectedStatus, ...extra });
    return readinessLayers(inputs, presetOf(inputs, protocol), { modelName: 'm' }).map((layer) => `${layer.name}: ${layer.requests.map((r) => r.path).join(' | ')}`);
  };

  it('an expected 2xx waits for every layer: the model must serve', () => {
    assert.deepEqual(layersOf('openInference', '200'), ['server ready: /v2/health/ready', 'model ready: /v2/models/m/ready']);
    assert.deepEqual(layersOf('tfServing', '200'), ['model AVAILABLE: /v1/models/m']);
    assert.ok(expectsModelAnswer([200, 404]));
  });

  it('no expected 2xx waits for the server only: the layers that name no model (the canary stands for the model)', () => {
    for (const expected of ['401', '403', '401, 403', '404', '400', '503']) {
      assert.deepEqual(layersOf('openInference', expected), ['server ready: /v2/health/ready'], expected);
      assert.deepEqual(layersOf('tfServing', expected), [], expected);
      assert.deepEqual(layersOf('kserveV1', expected), [], expected);
    }
    assert.deepEqual(layersOf('torchServe', '400'), ['healthy: /ping']);
    assert.deepEqual(layersOf('openai', '401'), ['model loaded: /health | /v1/models']);
    assert.deepEqual(layersOf('azureml', '401'), ['live: /']);
    assert.deepEqual(layersOf('mlflow', '401', { requestBody: '{"inputs": [1]}' }), ['healthy: /ping | /health']);
  });

  it("a readinessPath is always the one check, whatever is expected", () => {
    for (const expected of ['200', '401', '404']) assert.deepEqual(layersOf('openInference', expected, { readinessPath: '/healthz' }), ['ready: /healthz']);
  });
});

describe('SmokeTestModel expected status: which assertions hold for which answers', () => {
  const assertionsFor = (expectedStatus: string, userAssertions: string[] = []): PlannedAssertion[] => {
    const inputs = read({ protocol: 'openInference', modelName: 'iris', requestBody: '{"inputs": []}', expectedStatus, assertions: userAssertions.join('\n') });
    const preset = presetOf(inputs, 'openInference');
    return plannedAssertions(inputs, preset, inferenceRequest(inputs, preset, { modelName: 'iris' }));
  };

  it("checks the protocol's own assertions only when a 2xx (the model's answer) is expected", () => {
    assert.ok(assertionsFor('200').some((a) => a.origin === 'protocol'));
    assert.deepEqual(assertionsFor('401', ["$.error == 'Unauthorized'"]).map((a) => `${a.origin}: ${a.assertion.source}`), ["input: $.error == 'Unauthorized'"]);
  });

  it("checks the user's assertions on expected error answers too (the refusal's body)", () => {
    const planned = assertionsFor('401', ["$.error == 'Unauthorized'"]);
    assert.deepEqual(judgeAnswer(answer(401, { error: 'Unauthorized' }), [401], planned).failedAssertions, []);
    const wrong = judgeAnswer(answer(401, { error: 'nope' }), [401], planned);
    assert.equal(wrong.failedAssertions.length, 1);
    const [check] = assertionChecks(planned, wrong, []);
    assert.equal(check?.status, 'failed');
  });

  it("with 2xx and an error status both expected, checks the protocol's assertions on the 2xx answers only and counts only those", () => {
    const planned: PlannedAssertion[] = [
      { assertion: parseAssertion('$.outputs length >= 1'), origin: 'protocol' },
      { assertion: parseAssertion('body exists'), origin: 'input' },
    ];
    const ok = judgeAnswer(answer(200, { outputs: [1] }), [200, 404], planned);
    const notFound = judgeAnswer(answer(404, { error: 'no such model' }), [200, 404], planned);
    assert.deepEqual(notFound.failedAssertions, [], 'the protocol assertion is not checked on a 404');
    const checks = assertionChecks(planned, ok, [{ answered: true, status: 404, latencyInMs: 1, verdict: notFound }]);
    assert.deepEqual(checks.map((c) => [c.status, c.output]), [['passed', 'held on 1 of 1 answers'], ['passed', 'held on 2 of 2 answers']]);
    const onlyErrors = assertionChecks(planned, notFound, []);
    assert.equal(onlyErrors[0]?.status, 'skipped');
    assert.match(onlyErrors[0]?.message ?? '', /no 2xx answer/);
  });
});
