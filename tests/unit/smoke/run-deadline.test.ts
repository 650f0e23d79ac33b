/**
 * SmokeTestModel's whole-run deadline ('timeoutInMinutes') in the measured requests (load.ts), with a
 * zero-delay clock and a server that answers every request whole but slowly: never three in a row
 * without an answer, so only the deadline stops it. No request is sent after it, and the one it cuts
 * short is neither an answer nor a failure of the server.
 */
import * as assert from 'node:assert/strict';
import { Deadline } from '../../../tasks/common/deadline';
import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import { type HttpClient, HttpTransportError } from '../../../tasks/SmokeTestModelV1/src/http-client';
import { readInputs } from '../../../tasks/SmokeTestModelV1/src/inputs';
import { measure } from '../../../tasks/SmokeTestModelV1/src/load';
import { presetOf } from '../../../tasks/SmokeTestModelV1/src/plan';
import type { Session } from '../../../tasks/SmokeTestModelV1/src/session';
import { fakeClock } from '../../support/fake-clock';
import { silentLog } from '../../support/silent-log';

describe("SmokeTestModel's whole-run deadline", () => {
  it('stops the measured requests at the deadline, naming it, and does not count the request it cut short', async () => {
    const clock = fakeClock(0);
    const inputs = readInputs(
      inputSourceFromRecord({ url: 'http://127.0.0.1:9', protocol: 'kserveV1', modelName: 'iris', requestBody: '{"instances": [[1]]}', requests: '100', warmupRequests: '0', timeoutInMinutes: '0.25' }),
      { files: { isDirectory: () => false, read: () => Buffer.alloc(0) }, setSecret: () => undefined },
    );
    const sent: number[] = [];
    // Every answer takes 4 s (a request may take 30 s); one still in flight when its timeout ends is cut.
    const http: HttpClient = {
      close: () => undefined,
      send: async (request) => {
        sent.push(clock.now());
        if (request.timeoutInMs < 4000) {
          await clock.sleep(request.timeoutInMs);
          throw new HttpTransportError('REQUEST_TIMEOUT', `no whole answer within ${request.timeoutInMs} ms`);
        }
        await clock.sleep(4000);
        return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"predictions":[1]}'), truncated: false, bodyBytes: 19, latencyInMs: 4000 };
      },
    };
    const session: Session = {
      inputs, http, clock, log: silentLog,
      deadline: new Deadline(clock, inputs.readinessTimeoutInMs), readinessDeadlineInput: 'readinessTimeoutInSeconds', runDeadline: new Deadline(clock, inputs.timeoutInMs),
      authHeaders: () => Promise.resolve({}),
    };
    const target = { protocol: 'kserveV1' as const, preset: presetOf(inputs, 'kserveV1'), model: { modelName: 'iris' }, request: { method: 'POST' as const, path: '/v1/models/iris:predict', body: Buffer.from('{"instances":[[1]]}'), contentType: 'application/json', origin: 'input' as const } };
    const measurement = await measure(session, target, [], 5);
    // 15 s at 4 s an answer: three whole answers, the fourth cut at 15 s and not counted, no fifth sent.
    assert.equal(measurement.records.length, 3);
    assert.ok(measurement.records.every((record) => record.answered));
    assert.deepEqual(sent, [0, 4000, 8000, 12_000]);
    assert.equal(clock.now(), 15_000);
    assert.equal(measurement.stoppedAtDeadline, true);
    assert.match(measurement.stoppedBecause ?? '', /^stopped after 3 of 100 measured requests \(3 answered, median 4000 ms\): the whole run's deadline of 15 s \('timeoutInMinutes'\) passed\. .*raise 'timeoutInMinutes', lower 'requests'/);
  });
});
