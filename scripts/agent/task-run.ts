/** What a task said to the agent during one run, as the local agent collected it. */
export type TaskName = 'BuildAndPushAiImageV1' | 'DeployToAciV1' | 'DeployToAksV1' | 'SmokeTestModelV1';

export type TaskRunResult = 'Succeeded' | 'SucceededWithIssues' | 'Failed';

export interface TaskVariable {
  value: string;
  isOutput: boolean;
  isSecret: boolean;
}

export interface TaskIssue {
  type: 'error' | 'warning';
  message: string;
}

export interface TaskSummary {
  name: string;
  content: string;
}

export interface TaskTestResults {
  type: string;
  files: string[];
  title?: string;
  /** The files' contents, read when the command was seen (the files may live in the agent's temp folder). */
  contents: string[];
}

export interface TaskRun {
  /** From the last task.complete; undefined when the task never said. */
  result: TaskRunResult | undefined;
  message?: string;
  exitCode: number;
  /** True when the harness killed the task at its timeout. */
  timedOut: boolean;
  variables: Record<string, TaskVariable>;
  issues: TaskIssue[];
  summaries: TaskSummary[];
  testResults: TaskTestResults[];
  /** Files attached with task.addattachment other than summaries: type, name and content. */
  attachments: { type: string; name: string; content: string }[];
  /** What the agent would show: commands consumed, debug lines hidden unless system.debug, secrets masked. */
  log: string;
  /** Everything the task wrote to stdout, unmasked (stderr is in `stderr`). */
  stdout: string;
  stderr: string;
  /** Every value the agent masks: secret variables, connection secrets and values the task registered. */
  secrets: string[];
}
