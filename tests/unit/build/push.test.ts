/**
 * The push's retry contract (push.ts): docker gives up a whole push on one throttled request, so a
 * registry that throttles each route docker calls (token, blob upload, manifest PUT) three times costs
 * up to nine attempts; these must be ridden out within the budget, and a registry that throttles
 * forever must fail within it, naming the route, the status and "retry later".
 */
import * as assert from 'node:assert/strict';
import { type DockerCli, PushFaultError } from '../../../tasks/common/docker/docker-cli';
import { PUSH_RETRY_POLICY, pushWithRetries } from '../../../tasks/BuildAndPushAiImageV1/src/push';
import { fakeClock } from '../../support/fake-clock';
import { silentLog } from '../../support/silent-log';

const DIGEST = `sha256:${'1'.repeat(64)}`;
const session = { loginServer: 'r', identity: 'service principal (client id c1)', pushRefusedHint: 'Give it the AcrPush role.', dockerLogin: () => Promise.reject(new Error('not used')), manifests: () => ({ description: 'not used', manifest: () => Promise.reject(new Error('not used')) }) };
const signIn = { current: () => undefined, refreshIfExpiring: () => Promise.resolve() };
const throttled = (): Error => new PushFaultError('docker push r/app:1 failed: 429', 'r/app:1', { statusCode: 429 }, 'error parsing HTTP 429 response body: no error details found');
const serverError = (): Error => new PushFaultError('docker push r/app:1 failed: 500', 'r/app:1', { statusCode: 500 }, 'received unexpected HTTP status: 500 Internal Server Error');

/** A docker whose push fails with `failures` (one per attempt, `always` when it never stops), each attempt taking `attemptInMs`. */
function fakeDocker(clock: ReturnType<typeof fakeClock>, failures: { next(): Error | undefined }, attemptInMs: number): DockerCli & { starts: number[] } {
  const starts: number[] = [];
  const notUsed = () => Promise.reject(new Error('not used'));
  return {
    starts,
    checkEngine: notUsed,
    hasBuildx: notUsed,
    build: notUsed,
    pull: notUsed,
    repoDigest: notUsed,
    manifestInspect: notUsed,
    push: async () => {
      starts.push(clock.now());
      await clock.sleep(attemptInMs);
      const error = failures.next();
      if (error) throw error;
      return DIGEST;
    },
  };
}

const times = (count: number, make: () => Error) => ({ next: () => (count-- > 0 ? make() : undefined) });
const always = (make: () => Error) => ({ next: make });

describe('BuildAndPushAiImage push retries', () => {
  it('rides out a registry that throttles each of the three routes docker calls three times (nine failed pushes), in well under a minute', async () => {
    const clock = fakeClock(0);
    const docker = fakeDocker(clock, times(9, throttled), 2000);
    const warnings: string[] = [];
    const digest = await pushWithRetries('r/app:1', session, docker, { log: { ...silentLog, warning: (line: string) => warnings.push(line) }, now: () => clock.now(), clock }, signIn);
    assert.equal(digest, DIGEST);
    assert.equal(docker.starts.length, 10);
    assert.ok(clock.now() < 60_000, `took ${clock.now()} ms`);
    assert.match(warnings[0] ?? '', /docker push r\/app:1: answered HTTP 429; retrying in 1 s \(attempt 2 of 12\)/);
  });

  it('fails a registry that always throttles within the budget, naming the route, the status and "retry later"', async () => {
    const clock = fakeClock(0);
    const docker = fakeDocker(clock, always(throttled), 2000);
    await assert.rejects(
      pushWithRetries('r/app:1', session, docker, { log: silentLog, now: () => clock.now(), clock }, signIn),
      /Pushing r\/app:1 failed: the registry answered HTTP 429 on docker push \(error parsing HTTP 429 .*\) \(tried 12 times over \d+ s\)\. It is throttling requests: retry later\./,
    );
    assert.equal(docker.starts.length, PUSH_RETRY_POLICY.maxAttempts);
    assert.ok(clock.now() < PUSH_RETRY_POLICY.timeoutInMs, `took ${clock.now()} ms`);
  });

  it('starts no attempt after 150 s when docker spends about 50 s retrying a failing layer upload itself', async () => {
    const clock = fakeClock(0);
    const docker = fakeDocker(clock, always(serverError), 50_000);
    await assert.rejects(pushWithRetries('r/app:1', session, docker, { log: silentLog, now: () => clock.now(), clock }, signIn), /answered HTTP 500 on docker push .*tried 3 times.*retry later/);
    assert.ok(docker.starts.every((start) => start <= PUSH_RETRY_POLICY.timeoutInMs), docker.starts.join(', '));
  });
});
