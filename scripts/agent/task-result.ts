import type { TaskRunResult } from './task-run';

/** Every TaskResult the agent knows, in its enum order (worse results have higher values). */
const TASK_RESULTS = ['Succeeded', 'SucceededWithIssues', 'Failed', 'Canceled', 'Skipped', 'Abandoned'] as const;
export type TaskResultValue = (typeof TASK_RESULTS)[number];

/**
 * TaskCompleteCommand's `Enum.TryParse<TaskResult>(resultText, out result)`: exact-case names (white
 * space around them allowed) or the enum's numbers; anything else is undefined (the command fails).
 */
export function parseTaskResult(text: string | undefined): TaskResultValue | undefined {
  const trimmed = (text ?? '').trim();
  if (/^\d$/.test(trimmed)) return TASK_RESULTS[Number(trimmed)];
  return TASK_RESULTS.find((name) => name === trimmed);
}

/**
 * TaskResultUtil.MergeTaskResults (src/Microsoft.VisualStudio.Services.Agent/Util/TaskResultUtil.cs): the
 * worse of the two; once Canceled, Skipped or Abandoned, it stays.
 */
export function worstResult(current: TaskResultValue | undefined, coming: TaskResultValue): TaskResultValue {
  if (current === undefined) return coming;
  const currentRank = TASK_RESULTS.indexOf(current);
  if (currentRank > TASK_RESULTS.indexOf('Failed')) return current;
  return TASK_RESULTS.indexOf(coming) >= currentRank ? coming : current;
}

/** What a step's result reads as in a TaskRun (Skipped and Abandoned do not occur for a task that ran). */
export function asRunResult(result: TaskResultValue): TaskRunResult {
  return result === 'Skipped' || result === 'Abandoned' ? 'Canceled' : result;
}
