import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import { type AksInputs, readInputs } from '../../../tasks/DeployToAksV1/src/inputs';

export const DIGEST = `sha256:${'ab12'.repeat(16)}`;
export const IMAGE = `crmodels.azurecr.io/models/iris@${DIGEST}`;

/** The inputs the agent would give with task.json's defaults and the required ones set. */
export const DEFAULT_INPUTS: Readonly<Record<string, string>> = {
  azureSubscription: 'azure-models',
  resourceGroup: 'rg-models',
  kubernetesCluster: 'aks-models',
  useClusterAdmin: 'false',
  namespace: 'default',
  deploymentName: 'iris',
  image: IMAGE,
  containerPort: '8080',
  replicas: '1',
  strategy: 'RollingUpdate',
  maxSurge: '25%',
  maxUnavailable: '25%',
  cpuRequest: '250m',
  memoryRequest: '512Mi',
  gpuCount: '0',
  autoscaling: 'false',
  minReplicas: '1',
  maxReplicas: '3',
  targetCpuUtilization: '70',
  serviceType: 'LoadBalancer',
  servicePort: '80',
  rolloutTimeoutInMinutes: '10',
  rollbackOnFailure: 'true',
};

export function inputsOf(overrides: Record<string, string | undefined> = {}, context: { pipelineImage?: string; secrets?: string[] } = {}): AksInputs {
  const values = { ...DEFAULT_INPUTS, ...overrides };
  return readInputs(inputSourceFromRecord(values), {
    ...(context.pipelineImage !== undefined ? { pipelineImage: context.pipelineImage } : {}),
    setSecret: (value) => context.secrets?.push(value),
  });
}
