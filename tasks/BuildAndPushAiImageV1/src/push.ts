/** Pushing a built image: bounded retries of `docker push` and the sign-in it needs. */
import type { DockerCli } from '../../common/docker/docker-cli';
import { PushFaultError, PushRefusedError } from '../../common/docker/docker-cli';
import type { RegistryLogin } from '../../common/docker/docker-config';
import type { Clock } from '../../common/deadline';
import { TaskError } from '../../common/errors';
import type { RetryPolicy } from '../../common/retry';
import { explainFailure } from '../../common/service-failure';
import type { TaskLog } from '../../common/task-runtime';
import { retryTransient } from '../../common/transient-retry';
import type { RegistrySession } from './registry';

export interface PushDeps {
  log: TaskLog;
  now(): number;
  clock?: Clock;
}

/**
 * A failed push is tried up to 12 times, waiting 1, 2, 4, then 5 s between attempts, and no attempt
 * starts more than 150 s after the first.
 *
 * Why so many short attempts: docker gives up a whole push on the first throttled request (a 429 on
 * the token request, a blob upload or the manifest PUT is never retried by docker, and docker does not
 * show the registry's Retry-After), so every throttled request costs one push attempt. A registry that
 * throttles each of those three routes three times costs up to nine attempts; twelve short ones ride
 * that out in well under a minute (layers already uploaded are not sent again: docker checks them
 * first). A registry that throttles every request still fails in about a minute, naming the route,
 * the status and "retry later". A 5xx or closed connection on a layer upload docker retries itself for
 * about 50 s per attempt, so the 150 s budget, not the count, ends those after about three attempts.
 */
export const PUSH_RETRY_POLICY: RetryPolicy = { maxAttempts: 12, initialDelayInMs: 1000, maxDelayInMs: 5000, timeoutInMs: 150_000 };

/** The registry sign-in of the run's temporary Docker config. */
export interface SignIn {
  current(): RegistryLogin | undefined;
  refreshIfExpiring(): Promise<void>;
}

/** A sign-in that expires within this margin is renewed before the push (pushes of large models take a while). */
export const SIGN_IN_REFRESH_MARGIN_IN_MS = 30 * 60_000;

/**
 * `docker push` is idempotent and docker does not retry a failed manifest PUT or token request, so a
 * push that failed on the registry's side (429, 5xx, a closed connection) is run again, bounded.
 */
export async function pushWithRetries(reference: string, session: RegistrySession, docker: DockerCli, deps: PushDeps, signIn: SignIn): Promise<string | undefined> {
  try {
    return await retryTransient(() => docker.push(reference), {
      policy: PUSH_RETRY_POLICY,
      ...(deps.clock ? { clock: deps.clock } : {}),
      action: `docker push ${reference}`,
      onRetry: (line) => deps.log.warning(line),
    });
  } catch (error) {
    if (error instanceof PushRefusedError) {
      const expiresAt = signIn.current()?.expiresAt;
      if (expiresAt !== undefined && expiresAt <= deps.now()) {
        throw new TaskError(
          `${error.message} The registry sign-in of ${session.identity} expired at ${new Date(expiresAt).toISOString()}, during the push: this is an expiry, not a missing role. Run the pipeline again.`,
        );
      }
      throw new TaskError(`${error.message} The task signed in as ${session.identity}. ${session.pushRefusedHint}`);
    }
    if (error instanceof PushFaultError) {
      throw new TaskError(
        explainFailure(error, { action: `Pushing ${reference}`, service: 'the registry', route: `docker push (${error.dockerSaid || 'no details'})` }),
        { cause: error },
      );
    }
    throw error;
  }
}
