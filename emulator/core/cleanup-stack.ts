/** Undo actions run in reverse order; every action runs even when an earlier one fails. */
export interface CleanupStack {
  push(description: string, action: () => Promise<void> | void): void;
  /** Runs and forgets every action; the errors are returned (never thrown), so stop always completes. */
  run(): Promise<Error[]>;
}

export function createCleanupStack(): CleanupStack {
  const actions: { description: string; action: () => Promise<void> | void }[] = [];
  return {
    push(description, action) {
      actions.push({ description, action });
    },
    async run() {
      const errors: Error[] = [];
      while (actions.length > 0) {
        const next = actions.pop();
        if (!next) break;
        try {
          await next.action();
        } catch (error) {
          errors.push(new Error(`Could not ${next.description}: ${error instanceof Error ? error.message : String(error)}`));
        }
      }
      return errors;
    },
  };
}
