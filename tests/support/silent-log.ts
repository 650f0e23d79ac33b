import type { TaskLog } from '../../tasks/common/task-runtime';

/** A TaskLog that drops everything, for tests that don't look at the log. */
export const silentLog: TaskLog = {
  info: () => undefined,
  debug: () => undefined,
  warning: () => undefined,
  foreign: () => undefined,
  foreignStream: () => {
    throw new Error('silentLog.foreignStream is not meant to be used');
  },
  group: (_title, body) => body(),
};
