/**
 * The values of a documented step, read by the task's own `readInputs` as the agent would hand them
 * over: aliases resolved to input names, task.json defaults filled in, `$(...)` macros expanded from
 * the block's variables, the predefined variables and the tasks' outputs (example values below).
 * A value the task would refuse is a problem, with the task's own message.
 */
import { readInputs as readBuildInputs } from '../../tasks/BuildAndPushAiImageV1/src/inputs';
import { readInputs as readDeployInputs } from '../../tasks/DeployToAciV1/src/inputs';
import { readInputs as readDeployToAksInputs } from '../../tasks/DeployToAksV1/src/inputs';
import { readInputs as readSmokeTestInputs } from '../../tasks/SmokeTestModelV1/src/inputs';
import { inputSourceFromRecord } from '../../tasks/common/input-reader';
import { type DocStep, declaredInput } from './docs-yaml';
import type { TaskDefinition } from './task-definitions';

const DIGEST = `sha256:${'4f1c'.repeat(16)}`;
const IMAGE_URI = `crmodels.azurecr.io/models/iris@${DIGEST}`;
const MODEL_URL = 'http://iris-model.westeurope.azurecontainer.io:8080';

/** Predefined variables, as an agent would give them (names are case-insensitive). */
const PREDEFINED: Readonly<Record<string, string>> = {
  'build.buildid': '42',
  'build.buildnumber': '20250101.1',
  'build.sourcebranchname': 'main',
  'build.sourceversion': '0123456789abcdef0123456789abcdef01234567',
  'system.definitionid': '7',
  'system.defaultworkingdirectory': '/home/vsts/work/1/s',
  'release.releaseid': '12',
  'release.environmentname': 'dev',
};

/** Output variables of the tasks, read as `$(<step name>.<output>)`. */
const OUTPUTS: Readonly<Record<string, string>> = {
  imagerepository: 'crmodels.azurecr.io/models/iris',
  imagetags: '42,latest',
  imagedigest: DIGEST,
  imageuri: IMAGE_URI,
  containergroupid: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-models/providers/Microsoft.ContainerInstance/containerGroups/iris-model',
  containergroupname: 'iris-model',
  fqdn: 'iris-model.westeurope.azurecontainer.io',
  ipaddress: '20.73.1.2',
  url: MODEL_URL,
  state: 'Running',
  namespace: 'models',
  deploymentname: 'iris',
  revision: '3',
  replicas: '2',
  latencyp50ms: '12',
  latencyp95ms: '20',
  latencyp99ms: '25',
  successrate: '1',
  protocol: 'openInference',
  testresultsfile: '/home/vsts/work/_temp/smoke-test.xml',
};

/** Secret variables: any name that says it holds a secret stands for an opaque value. */
const SECRET_NAME = /token|key|secret|password/i;

/** Expands `$(name)` macros; unknown names are problems (define them in the block's `variables:`). */
export function expandMacros(text: string, variables: Readonly<Record<string, string>>, unknown: Set<string>): string {
  let expanded = text;
  for (let depth = 0; depth < 5 && expanded.includes('$('); depth++) {
    expanded = expanded.replace(/\$\(([^()]+)\)/g, (macro, name: string) => {
      const value = valueOf(name.trim(), variables);
      if (value === undefined) unknown.add(name);
      return value ?? macro;
    });
  }
  return expanded;
}

function valueOf(name: string, variables: Readonly<Record<string, string>>): string | undefined {
  const lower = name.toLowerCase();
  const variable = Object.entries(variables).find(([key]) => key.toLowerCase() === lower);
  if (variable) return variable[1];
  const predefined = PREDEFINED[lower];
  if (predefined !== undefined) return predefined;
  const output = /^[A-Za-z_]\w*\.(\w+)$/.exec(name);
  if (output && OUTPUTS[(output[1] ?? '').toLowerCase()] !== undefined) return OUTPUTS[(output[1] ?? '').toLowerCase()];
  return SECRET_NAME.test(name) ? 'an-opaque-secret-value' : undefined;
}

/** The inputs as the agent hands them to the task: declared names, defaults filled in, macros expanded. */
export function agentInputs(step: DocStep, definition: TaskDefinition): { values: Record<string, string>; unknownMacros: string[] } {
  const unknown = new Set<string>();
  const values: Record<string, string> = {};
  for (const input of definition.inputs ?? []) {
    const given = Object.entries(step.inputs).find(([key]) => declaredInput(definition, key) === input)?.[1];
    const value = given ?? (input.type === 'filePath' ? '' : String(input.defaultValue ?? ''));
    values[input.name] = expandMacros(value, step.variables, unknown);
  }
  return { values, unknownMacros: [...unknown] };
}

/** Runs the task's own input reading over the step; its refusal is the problem. */
export function checkInputValues(step: DocStep, definition: TaskDefinition): string[] {
  const { values, unknownMacros } = agentInputs(step, definition);
  if (unknownMacros.length > 0) {
    return [`${step.where}: unknown variable ${unknownMacros.map((name) => `$(${name})`).join(', ')}; define it in the block's 'variables:' or as an example value in tests/contract/docs-yaml-values.ts.`];
  }
  const source = inputSourceFromRecord(values);
  try {
    if (step.task === 'BuildAndPushAiImage') readBuildInputs(source, { workingDirectory: '/home/vsts/work/1/s', setSecret: () => undefined });
    if (step.task === 'DeployToAci') readDeployInputs(source, { pipelineImage: IMAGE_URI, setSecret: () => undefined });
    if (step.task === 'DeployToAks') readDeployToAksInputs(source, { pipelineImage: IMAGE_URI, setSecret: () => undefined });
    if (step.task === 'SmokeTestModel') {
      readSmokeTestInputs(source, {
        modelUrlFromEarlierStep: MODEL_URL,
        setSecret: () => undefined,
        files: {
          isDirectory: () => false,
          read: (path) => {
            throw new Error(`the documentation check reads no files (${path})`);
          },
        },
      });
    }
    return [];
  } catch (error) {
    return [`${step.where}: the task refuses it: ${error instanceof Error ? error.message : String(error)}`];
  }
}
