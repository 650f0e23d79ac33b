import { strict as assert } from 'node:assert';
import { TaskError } from '../../../tasks/common/errors';
import { retry } from '../../../tasks/common/retry';
import { parseRetryAfterInMs } from '../../../tasks/common/retry';
import { classifyFailure, explainFailure } from '../../../tasks/common/service-failure';
import { fakeClock } from '../../support/fake-clock';

const restError = (statusCode: number, body?: object, headers: Record<string, string> = {}): Error =>
  Object.assign(new Error(`status ${statusCode}`), {
    statusCode,
    response: { headers: { get: (name: string) => headers[name] }, bodyAsText: body ? JSON.stringify(body) : undefined },
  });

describe('service failures (one classification for every task)', () => {
  it('calls throttling, 5xx and resets transient, with the Retry-After', () => {
    assert.deepEqual(classifyFailure(restError(429, undefined, { 'retry-after': '7' })), { kind: 'transient', status: 429, retryAfterInMs: 7000, detail: 'status 429' });
    assert.equal(classifyFailure(restError(503)).kind, 'transient');
    assert.equal(classifyFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).transport, 'ECONNRESET');
    assert.equal(classifyFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })).transport, 'UND_ERR_SOCKET');
  });

  it('calls 400/401/403 refusals, with the service code (ARM, OAuth, registry bodies)', () => {
    assert.deepEqual(classifyFailure(restError(403, { error: { code: 'AuthorizationFailed', message: 'no' } })), { kind: 'refused', status: 403, code: 'AuthorizationFailed', detail: 'no' });
    assert.equal(classifyFailure(restError(401, { error: 'invalid_client', error_description: 'AADSTS7000215: bad secret' })).code, 'invalid_client');
    assert.equal(classifyFailure(restError(401, { errors: [{ code: 'UNAUTHORIZED', message: 'x' }] })).code, 'UNAUTHORIZED');
  });

  it('leaves a TaskError alone: it is explained already', () => {
    const inner = new TaskError('Getting an Azure access token failed: ...', { cause: restError(429) });
    assert.equal(classifyFailure(inner).kind, 'other');
    assert.equal(explainFailure(inner, { action: 'x', service: 'Azure', route: 'GET /' }), inner.message);
  });

  it('explains a transient failure with status, route, attempts and "retry later", never credential advice', async () => {
    const clock = fakeClock();
    const error = await retry(() => Promise.reject(restError(503)), { classify: () => ({ retry: true }), clock, policy: { maxAttempts: 3, initialDelayInMs: 1000 } }).catch((e: unknown) => e);
    const message = explainFailure(error, { action: 'Listing registries', service: 'Azure', route: 'GET https://arm/registries', refusedAdvice: () => 'needs the Reader role' });
    assert.match(message, /^Listing registries failed: Azure answered HTTP 503 on GET https:\/\/arm\/registries \(tried 3 times over 3 s\)\. This is a temporary problem on its side, not a configuration error: retry later\.$/);
  });

  it('says when a Retry-After does not fit in what is left of the deadline', async () => {
    const clock = fakeClock();
    const error = await retry(() => Promise.reject(restError(429, undefined, { 'retry-after': '120' })), {
      classify: () => ({ retry: true, retryAfterInMs: 120_000 }),
      clock,
      policy: { timeoutInMs: 45_000 },
      deadlineName: "'timeoutInMinutes'",
    }).catch((e: unknown) => e);
    const message = explainFailure(error, { action: 'Creating', service: 'Azure', route: 'PUT https://arm/x' });
    assert.match(message, /Azure asked to retry after 120 s; 45 s of 'timeoutInMinutes' were left\. It is throttling requests: retry later\./);
  });

  it('gives the caller\'s advice only for a refusal', () => {
    const advice = (): string => 'Give it the Reader role.';
    assert.match(explainFailure(restError(403, { error: { code: 'AuthorizationFailed', message: 'denied' } }), { action: 'Listing', service: 'Azure', route: 'GET /r', refusedAdvice: advice }), /answered HTTP 403 \(AuthorizationFailed\) on GET \/r: denied\. Give it the Reader role\.$/);
    assert.doesNotMatch(explainFailure(restError(500), { action: 'Listing', service: 'Azure', route: 'GET /r', refusedAdvice: advice }), /Reader/);
    assert.match(explainFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' }), { action: 'Pushing', service: 'the registry', route: 'docker push' }), /the registry closed the connection \(ECONNRESET\) on docker push/);
  });

  it('reads Retry-After in seconds and as an HTTP date', () => {
    assert.equal(parseRetryAfterInMs('2', 0), 2000);
    assert.equal(parseRetryAfterInMs(new Date(10_000).toUTCString(), 4000), 6000);
    assert.equal(parseRetryAfterInMs(new Date(1_000).toUTCString(), 4000), 0);
    assert.equal(parseRetryAfterInMs(['7', '9'], 0), 7000);
    assert.equal(parseRetryAfterInMs('soon', 0), undefined);
    assert.equal(parseRetryAfterInMs('1.5', 0), undefined, 'delay-seconds is digits only (RFC 9110)');
  });
});
