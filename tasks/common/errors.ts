/**
 * Errors a task throws. `runTask` is the only place that catches them and fails the task.
 * A TaskError's message is shown to the user as is: say what happened, why, and how to fix it.
 */
export class TaskError extends Error {
  override readonly name: string = 'TaskError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A bad input value, detected before any call to Azure. */
export class InputError extends TaskError {
  override readonly name = 'InputError';
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
  }
}

/** `Input 'cpu' must be a number from 0.1 to 4; got 'abc'.` */
export function invalidInput(input: string, accepts: string, got: string): InputError {
  return new InputError(input, `Input '${input}' must be ${accepts}; got '${truncate(got, 200)}'.`);
}

export function missingInput(input: string, hint?: string): InputError {
  return new InputError(input, `Input '${input}' is required but was not set.${hint ? ` ${hint}` : ''}`);
}

/** The message of anything thrown, without dumping whole objects into the log. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'unknown error';
}

export function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength)}... (${text.length - maxLength} more characters)`;
}
