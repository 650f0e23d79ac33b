import { readinessDelayInMs } from './classify';
import type { Judgement } from './presets/types';
import type { Session } from './session';

export type StageResult<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number; readonly note?: string }
  | { readonly ok: false; readonly message: string; readonly timedOut: boolean };

export interface Attempt<T> {
  readonly judgement: Judgement;
  readonly value?: T;
}

/**
 * Repeats `attempt` with backoff while it says notReady, until the session's one readiness deadline.
 * `name` names what is awaited for messages ("model ready (GET /v2/models/iris/ready)"); a function
 * when that changes between attempts.
 */
export async function pollUntilReady<T>(session: Session, name: string | (() => string), attempt: (attempt: number) => Promise<Attempt<T>>): Promise<StageResult<T>> {
  let lastReason: string | undefined;
  /** The reason before the last, when the last attempt only timed out because the deadline cut it short. */
  let earlierReason: string | undefined;
  for (let number = 1; ; number++) {
    const { judgement, value } = await attempt(number);
    const what = typeof name === 'string' ? name : name();
    if (judgement.state === 'ready') {
      return { ok: true, value: value as T, attempts: number, ...(judgement.note === undefined ? {} : { note: judgement.note }) };
    }
    if (judgement.state === 'failed') return { ok: false, message: `${what}: ${judgement.reason}`, timedOut: false };
    const delayInMs = readinessDelayInMs(number, judgement.retryAfterInMs);
    if (judgement.reason !== lastReason) {
      earlierReason = lastReason;
      session.log.info(`  ${what}: not ready yet: ${judgement.reason}. Retrying until the readiness deadline (${inSeconds(session.deadline.remainingInMs())} left).`);
      lastReason = judgement.reason;
    } else {
      session.log.debug(`${what}: attempt ${number}: ${judgement.reason}; next in ${delayInMs} ms.`);
    }
    if (delayInMs >= session.deadline.remainingInMs()) {
      const timeout = inSeconds(session.deadline.timeoutInMs);
      const cutShort = session.deadline.expired() && /request timeout/.test(judgement.reason) && earlierReason !== undefined;
      const said = cutShort ? `${earlierReason ?? ''} (the last attempt was cut short by the deadline)` : judgement.reason;
      return {
        ok: false,
        timedOut: true,
        message:
          `The model at ${session.inputs.url} was not ready within ${timeout} ('${session.readinessDeadlineInput}'): after ${number} attempts, ${what} still said: ${said}. ` +
          `If the model needs longer to load, raise '${session.readinessDeadlineInput}'; otherwise check the container's logs.`,
      };
    }
    await session.clock.sleep(delayInMs);
  }
}

export function inSeconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}
