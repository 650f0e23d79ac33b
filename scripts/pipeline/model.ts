/** The subset of azure-pipelines.yml that the local runner executes (see docs/local-pipeline-runner.md). */
export type TaskFolder = 'BuildAndPushAiImageV1' | 'DeployToAciV1' | 'DeployToAksV1' | 'SmokeTestModelV1';

export interface PipelineStep {
  /** Where the step is written, e.g. `azure-pipelines.yml:31 (steps[0])`, for messages. */
  where: string;
  /** `task:` as written, e.g. 'BuildAndPushAiImage@1'. */
  reference: string;
  task: TaskFolder;
  /** `name:`, the step's reference name for `$(name.var)`; when not written, the agent's default (`DeployToAci`, `DeployToAci1`, ...). */
  name: string;
  /** True when `name:` was written. */
  named: boolean;
  displayName: string;
  /** Raw input values, macros not yet expanded. */
  inputs: Record<string, string>;
  /** Extra environment for the step (`env:`), macros not yet expanded. */
  env: Record<string, string>;
  /** Where each input and env entry is written (`file:line (path)`), by `inputs.<name>` / `env.<name>`. */
  written: Record<string, string>;
  continueOnError: boolean;
  timeoutInMinutes?: number;
  /** YAML `condition:`: succeeded() (the default), always() (also succeededOrFailed()), or failed(). */
  condition: StepCondition;
}

export type StepCondition = 'succeeded' | 'always' | 'failed';

export interface PipelineVariable {
  name: string;
  value: string;
  /** Marked secret by the runner (e.g. passed with --secret); YAML variables are never secret. */
  isSecret: boolean;
}

export interface Pipeline {
  file: string;
  variables: PipelineVariable[];
  steps: PipelineStep[];
  /** Keys that were accepted but have no effect locally (trigger, pool, ...). */
  ignored: string[];
  /** `${{ variables.x }}` with no such variable: Azure DevOps makes it empty, silently. */
  undefinedTemplateVariables: { where: string; name: string }[];
}

export class PipelineError extends Error {
  override readonly name = 'PipelineError';
}
