/**
 * Cancellation as the agent does it (azure-pipelines-agent, ProcessInvoker.cs `CancelAndKillProcessTree`):
 * SIGINT to the task's node process, 7.5 s, SIGTERM, 2.5 s, then SIGKILL. On the first signal the task
 * aborts what runs (sleeps reject, docker children get SIGINT), its `finally` blocks clean up, and it logs
 * one line saying what was cancelled and what is left in which state. If it has not ended within
 * FORCED_EXIT_AFTER_IN_MS, or at SIGTERM after SIGINT, the registered clean-ups run synchronously and the
 * process exits, well before the agent's SIGKILL.
 */
import type { Clock } from './deadline';
import { TaskError } from './errors';

/** Before the agent's SIGTERM (7.5 s after SIGINT), with room to write the last line. */
export const FORCED_EXIT_AFTER_IN_MS = 6000;

/** What a cancelled wait or child process throws; runTask turns it into the one cancellation line. */
export class CancelledError extends TaskError {
  override readonly name = 'CancelledError';
}

export interface Cancellation {
  /** Aborted at the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /**
   * What the task is doing and, when it is cancelled now, what is left in which state: e.g.
   * "pushing r/m:1 (nothing pushed yet)". `state` is asked at cancellation time.
   */
  setPhase(phase: string, state?: () => string): void;
  /** A note for the cancellation line once a clean-up has happened, e.g. "the temporary Docker sign-in was deleted". */
  noteCleanup(note: string): void;
  /** A synchronous clean-up that must happen even when the task is forced to exit; returns its unregistration. */
  onForcedExit(cleanup: () => void): () => void;
  /** `clock` whose sleeps reject with CancelledError once cancelled (and at once when already cancelled). */
  wrapClock(clock: Clock): Clock;
  /** The one line: what was cancelled and what is left in which state. */
  describe(): string;
}

/** A cancellation that never happens (tests, and code paths that run without the agent). */
export function uncancellable(): Cancellation {
  return createCancellation().cancellation;
}

export interface CancellationController {
  cancellation: Cancellation;
  cancel: (signal: NodeJS.Signals) => void;
  /** Runs the registered clean-ups now (synchronously), once. */
  runForcedCleanups: () => void;
}

export function createCancellation(): CancellationController {
  const controller = new AbortController();
  let phase = 'starting';
  let state: (() => string) | undefined;
  let received: NodeJS.Signals | undefined;
  const notes: string[] = [];
  const cleanups = new Set<() => void>();
  const cancelledError = (): CancelledError => new CancelledError(`The step was cancelled (${received ?? 'signal'}).`);
  const cancellation: Cancellation = {
    signal: controller.signal,
    setPhase(next, nextState) {
      phase = next;
      state = nextState;
    },
    noteCleanup(note) {
      if (!notes.includes(note)) notes.push(note);
    },
    onForcedExit(cleanup) {
      cleanups.add(cleanup);
      return () => cleanups.delete(cleanup);
    },
    wrapClock(clock) {
      return {
        now: () => clock.now(),
        sleep: (ms) =>
          new Promise<void>((resolve, reject) => {
            if (controller.signal.aborted) return reject(cancelledError());
            const onAbort = (): void => reject(cancelledError());
            controller.signal.addEventListener('abort', onAbort, { once: true });
            const settle = (): void => controller.signal.removeEventListener('abort', onAbort);
            clock.sleep(ms).then(
              () => {
                settle();
                resolve();
              },
              (error: unknown) => {
                settle();
                reject(error instanceof Error ? error : new Error(String(error)));
              },
            );
          }),
      };
    },
    describe() {
      const left = state?.();
      return [
        `The step was cancelled (${received ?? 'signal'}) while ${phase}.`,
        ...(left ? [left.endsWith('.') ? left : `${left}.`] : []),
        ...notes.map((note) => `${note.charAt(0).toUpperCase()}${note.slice(1)}${note.endsWith('.') ? '' : '.'}`),
      ].join(' ');
    },
  };
  return {
    cancellation,
    cancel(signal) {
      if (received !== undefined) return;
      received = signal;
      controller.abort(cancelledError());
    },
    runForcedCleanups() {
      for (const cleanup of [...cleanups]) {
        cleanups.delete(cleanup);
        try {
          cleanup();
        } catch {
          // Best effort: the process is about to exit.
        }
      }
    },
  };
}

export interface SignalListenerOptions {
  /** Writes the one cancellation line as the task's result, and exits the process. */
  finish(line: string): void;
  forcedExitAfterInMs?: number;
}

/**
 * Listens for SIGINT and SIGTERM (index.ts, through runTask). The first aborts the task; if it has not
 * ended FORCED_EXIT_AFTER_IN_MS later, or at a further signal, the clean-ups run and the process exits.
 */
export function listenForCancellation(target: NodeJS.Process, options: SignalListenerOptions): CancellationController {
  const controller = createCancellation();
  let forced = false;
  const force = (): void => {
    if (forced) return;
    forced = true;
    controller.runForcedCleanups();
    options.finish(controller.cancellation.describe());
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.cancellation.signal.aborted) {
      force();
      return;
    }
    controller.cancel(signal);
    setTimeout(force, options.forcedExitAfterInMs ?? FORCED_EXIT_AFTER_IN_MS).unref();
  };
  target.on('SIGINT', onSignal);
  target.on('SIGTERM', onSignal);
  return controller;
}
