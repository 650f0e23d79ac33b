/** The shape of a task.json, as far as this repository's scripts and tests read it. */

export interface TaskJsonInput {
  name: string;
  aliases?: string[];
  label?: string;
  type: string;
  defaultValue?: string | boolean;
  required?: boolean;
  helpMarkDown?: string;
  groupName?: string;
  visibleRule?: string;
  options?: Record<string, string>;
  properties?: Record<string, string>;
}

export interface TaskJson {
  id: string;
  name: string;
  friendlyName: string;
  description?: string;
  instanceNameFormat?: string;
  version: { Major: number; Minor: number; Patch: number };
  minimumAgentVersion?: string;
  groups?: { name: string; displayName: string }[];
  inputs?: TaskJsonInput[];
  outputVariables?: { name: string; description?: string }[];
  dataSourceBindings?: { target?: string; endpointId?: string; endpointUrl?: string; dataSourceName?: string; parameters?: Record<string, string>; resultTemplate?: string }[];
  execution?: Record<string, { target: string }>;
  [key: string]: unknown;
}
