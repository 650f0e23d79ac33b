import * as assert from 'node:assert/strict';
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { Deadline } from '../../../tasks/common/deadline';
import { TaskError } from '../../../tasks/common/errors';
import { type AciSdk, aciClientOver } from '../../../tasks/DeployToAciV1/src/aci-client';
import { classifyArmError, retryAfterOf } from '../../../tasks/DeployToAciV1/src/arm-errors';
import { recordingLog } from './fixtures';
import { fakeClock } from './fakes';

function restError(statusCode: number | undefined, body?: unknown, headers: Record<string, string> = {}, code?: string): Error {
  const error = new Error(`status ${statusCode ?? 'none'}`) as Error & Record<string, unknown>;
  error.statusCode = statusCode;
  if (code) error.code = code;
  error.response = { headers: { get: (name: string) => headers[name.toLowerCase()] }, bodyAsText: body === undefined ? undefined : JSON.stringify(body) };
  return error;
}

const GROUP: ContainerGroup = { name: 'g', containers: [], osType: 'Linux' };

function sdkFailing(failures: Error[]): AciSdk & { attempts: number } {
  const sdk = {
    attempts: 0,
    getGroup: () => {
      sdk.attempts += 1;
      const failure = failures.shift();
      return failure ? Promise.reject(failure) : Promise.resolve(GROUP);
    },
    putGroup: () => Promise.resolve(),
    deleteGroup: () => Promise.reject(restError(404)),
    listLogs: () => Promise.resolve({ content: 'log' }),
    listCapabilities: () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true as const, value: undefined }) }),
    }),
    getResourceGroup: () => Promise.resolve({ location: 'westeurope' }),
  };
  return sdk;
}

describe('DeployToAci AciClient', () => {
  it('cancels a request that hangs and retries it, so a hung connection never outlives the timeout', async () => {
    const sdk = sdkFailing([]);
    let hung = 0;
    sdk.getGroup = (_rg: string, _name: string, signal: AbortSignal) => {
      sdk.attempts += 1;
      if (sdk.attempts === 1) {
        return new Promise<ContainerGroup>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            hung += 1;
            reject(new Error('The operation was aborted.'));
          });
        });
      }
      return Promise.resolve(GROUP);
    };
    const log = recordingLog();
    const client = aciClientOver(sdk, { log, clock: fakeClock(), requestTimeoutInMs: 20 });
    assert.deepEqual(await client.get('rg', 'g'), GROUP);
    assert.equal(hung, 1, 'the hung request was cancelled');
    assert.equal(sdk.attempts, 2);
    assert.match(log.lines.join('\n'), /did not answer within 0 s; retrying/);
  });

  it('retries 429 honouring Retry-After, then 500, 503 and resets', async () => {
    const clock = fakeClock();
    const sdk = sdkFailing([
      restError(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '7' }),
      restError(500),
      restError(503),
      restError(undefined, undefined, {}, 'ECONNRESET'),
    ]);
    const log = recordingLog();
    const client = aciClientOver(sdk, { log, clock });
    assert.deepEqual(await client.get('rg', 'g'), GROUP);
    assert.equal(sdk.attempts, 5);
    assert.equal(clock.slept[0], 7000);
    assert.deepEqual(clock.slept.slice(1), [2000, 4000, 8000]);
    assert.match(log.lines[0] ?? '', /HTTP 429 TooManyRequests: slow down; retrying in 7 s \(attempt 2 of 6\)/);
  });

  it('gives up after a bounded number of attempts with a clear message', async () => {
    const sdk = sdkFailing(Array.from({ length: 10 }, () => restError(503)));
    const client = aciClientOver(sdk, { log: recordingLog(), clock: fakeClock() });
    await assert.rejects(client.get('rg', 'g'), (error: Error) => error instanceof TaskError && /Reading container group 'g' failed: Azure answered HTTP 503 on .*\(tried 6 times over \d+ s\).*retry later/.test(error.message));
    assert.equal(sdk.attempts, 6);
  });

  it("does not wait past the deployment's deadline for a retry", async () => {
    const clock = fakeClock();
    const sdk = sdkFailing([restError(429, undefined, { 'retry-after': '20' }), restError(429, undefined, { 'retry-after': '20' })]);
    const deadline = new Deadline(clock, 30_000);
    const client = aciClientOver(sdk, { log: recordingLog(), clock, deadline });
    await assert.rejects(client.get('rg', 'g'), /Reading container group 'g' failed: Azure answered HTTP 429 .*Azure asked to retry after 20 s; 10 s of 'timeoutInMinutes' were left\. It is throttling requests: retry later\./);
    assert.equal(sdk.attempts, 2, 'the second Retry-After of 20 s would end after the 30 s deadline');
    assert.deepEqual(clock.slept, [20_000]);
  });

  it('does not retry client errors, and explains them', async () => {
    const sdk = sdkFailing([restError(403, { error: { code: 'AuthorizationFailed', message: 'no access' } })]);
    const client = aciClientOver(sdk, { log: recordingLog(), clock: fakeClock() });
    await assert.rejects(client.get('rg', 'g'), /AuthorizationFailed: no access The service connection's identity needs the Contributor role/);
    assert.equal(sdk.attempts, 1);
  });

  it('reads a missing group as undefined, but not a missing resource group', async () => {
    const client = aciClientOver(sdkFailing([restError(404, { error: { code: 'ResourceNotFound', message: 'x' } })]), { log: recordingLog(), clock: fakeClock() });
    assert.equal(await client.get('rg', 'g'), undefined);
    const missingRg = aciClientOver(sdkFailing([restError(404, { error: { code: 'ResourceGroupNotFound', message: "Resource group 'rg' could not be found." } })]), {
      log: recordingLog(),
      clock: fakeClock(),
    });
    await assert.rejects(missingRg.get('rg', 'g'), /ResourceGroupNotFound.*Check 'resourceGroup'/);
  });

  it('treats deleting a group that is already gone as done', async () => {
    const client = aciClientOver(sdkFailing([]), { log: recordingLog(), clock: fakeClock() });
    await client.delete('rg', 'g');
  });

  it('classifies errors and reads Retry-After as seconds or a date', () => {
    assert.deepEqual(classifyArmError(restError(409, { error: { code: 'ContainerGroupTransitioning', message: '' } })), { retry: true });
    assert.deepEqual(classifyArmError(restError(400, { error: { code: 'InaccessibleImage', message: '' } })), { retry: false });
    assert.equal(retryAfterOf(restError(429, undefined, { 'retry-after': new Date(10_000).toUTCString() }), 4_000), 6_000);
    assert.equal(retryAfterOf(restError(429, undefined, { 'retry-after': '99999' })), 300_000);
    assert.equal(retryAfterOf(restError(429)), undefined);
  });
});
