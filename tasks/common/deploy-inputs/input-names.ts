/**
 * The inputs both deploy tasks (DeployToAci, DeployToAks) declare with the same name and meaning; each
 * task's INPUT spreads them beside its own (a contract test checks every INPUT against its task.json).
 */
export const DEPLOY_INPUT = {
  azureSubscription: 'azureSubscription',
  resourceGroup: 'resourceGroup',
  image: 'image',
  environmentVariables: 'environmentVariables',
  secureEnvironmentVariables: 'secureEnvironmentVariables',
  readinessProbePath: 'readinessProbePath',
  readinessProbePort: 'readinessProbePort',
  readinessProbeInitialDelay: 'readinessProbeInitialDelay',
  readinessProbePeriod: 'readinessProbePeriod',
  readinessProbeFailureThreshold: 'readinessProbeFailureThreshold',
  livenessProbePath: 'livenessProbePath',
  livenessProbePort: 'livenessProbePort',
  livenessProbeInitialDelay: 'livenessProbeInitialDelay',
  livenessProbePeriod: 'livenessProbePeriod',
  livenessProbeFailureThreshold: 'livenessProbeFailureThreshold',
} as const;

export type DeployInputName = (typeof DEPLOY_INPUT)[keyof typeof DEPLOY_INPUT];
