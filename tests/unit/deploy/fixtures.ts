/** Shared fixtures for DeployToAci unit tests. */
import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import type { TaskLog } from '../../../tasks/common/task-runtime';
import { type DeployInputs, readInputs } from '../../../tasks/DeployToAciV1/src/inputs';

export const DIGEST = `sha256:${'a'.repeat(64)}`;
export const IMAGE = `myregistry.azurecr.io/models/sentiment@${DIGEST}`;

export const BASE_INPUTS: Record<string, string> = {
  azureSubscription: 'conn-1',
  resourceGroup: 'rg-models',
  containerGroupName: 'sentiment',
  image: IMAGE,
  // The agent fills in task.json's defaultValue for an input the pipeline does not set.
  ports: '80',
};

export function inputsOf(values: Record<string, string | undefined> = {}, pipelineImage?: string): { inputs: DeployInputs; secrets: string[] } {
  const secrets: string[] = [];
  const merged: Record<string, string | undefined> = { ...BASE_INPUTS, ...values };
  const inputs = readInputs(inputSourceFromRecord(merged), {
    ...(pipelineImage !== undefined ? { pipelineImage } : {}),
    setSecret: (value) => secrets.push(value),
  });
  return { inputs, secrets };
}

export interface RecordingLog extends TaskLog {
  lines: string[];
  warnings: string[];
}

export function recordingLog(): RecordingLog {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    info: (m) => lines.push(m),
    debug: () => undefined,
    warning: (m) => {
      warnings.push(m);
      lines.push(`WARNING ${m}`);
    },
    foreign: (t) => lines.push(t.replace(/##(vso)?\[/gi, (_m, vso: string | undefined) => (vso ? '##~vso[' : '##~['))),
    foreignStream: () => {
      throw new Error('not used');
    },
    group: async (title, body) => {
      lines.push(`##[group]${title}`);
      try {
        return await body();
      } finally {
        lines.push('##[endgroup]');
      }
    },
  };
}
