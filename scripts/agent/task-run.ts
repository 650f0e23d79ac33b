/** What a task said to the agent during one run, as the local agent collected it. */
export type TaskName = 'BuildAndPushAiImageV1' | 'DeployToAciV1' | 'DeployToAksV1' | 'SmokeTestModelV1';

/** The agent's TaskResult values a step can end with (src/Agent.Worker/StepsRunner.cs). */
export type TaskRunResult = 'Succeeded' | 'SucceededWithIssues' | 'Failed' | 'Canceled';

export interface TaskVariable {
  value: string;
  isOutput: boolean;
  isSecret: boolean;
  /** Set with `isreadonly=true`: later steps may not overwrite it. */
  isReadOnly?: true;
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
  /** The `runTitle` property, the one the agent reads (ResultsCommandExtension.cs). */
  title?: string;
  /** The files' contents, read when the command was seen (the files may live in the agent's temp folder). */
  contents: string[];
}

/** A process the task left running when its step ended. */
export interface LeftProcess {
  pid: number;
  command: string;
  /** True when it kept VSTS_PROCESS_LOOKUP_ID, so the agent's orphan clean-up would have ended it. */
  tracked: boolean;
}

export interface TaskRun {
  /**
   * The step's result as the agent decides it: the worst task.complete result, merged with Failed for each
   * command the agent refused; Failed on a non-zero exit code or a timeout; Canceled when cancelled;
   * Succeeded when the task never said.
   */
  result: TaskRunResult;
  /** What the task itself said with task.complete (worst result), undefined when it never said. */
  taskResult: TaskRunResult | undefined;
  message?: string;
  exitCode: number;
  /** True when the step's timeout cancelled the task. */
  timedOut: boolean;
  /** True when the job was cancelled (Ctrl+C in the runner, or the caller's cancellation signal). */
  cancelled: boolean;
  /** For a cancelled or timed-out task: the last signal the agent had to send (SIGINT when the task stopped within 7.5 s of it). */
  stoppedBy?: 'SIGINT' | 'SIGTERM' | 'SIGKILL';
  /** Each logging command the agent refused, with its reason ('Unable to process command ...'). */
  commandErrors: string[];
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
  /** The values the task itself registered as secrets (task.setsecret, setvariable issecret=true). */
  registeredSecrets: string[];
  /** The folders the task prepended to PATH (task.prependpath), in order: later steps of the job get them. */
  prependPath: string[];
  /** Processes of the task still running when it ended (killed by the local agent afterwards). */
  leftProcesses: LeftProcess[];
  /** The Node binary the task ran with, and its handler. */
  node: { handler: string; path: string; version: string };
}
