import { CHAINED_VARIABLE } from '../../common/chained-variables';

/** Every input of task.json, declared once (a test checks this list against task.json), and the values the pick lists offer. */
export const INPUT = {
  azureSubscription: 'azureSubscription',
  resourceGroup: 'resourceGroup',
  kubernetesCluster: 'kubernetesCluster',
  useClusterAdmin: 'useClusterAdmin',
  namespace: 'namespace',
  deploymentName: 'deploymentName',
  image: 'image',
  containerPort: 'containerPort',
  environmentVariables: 'environmentVariables',
  secureEnvironmentVariables: 'secureEnvironmentVariables',
  cpuRequest: 'cpuRequest',
  memoryRequest: 'memoryRequest',
  cpuLimit: 'cpuLimit',
  memoryLimit: 'memoryLimit',
  gpuCount: 'gpuCount',
  replicas: 'replicas',
  autoscaling: 'autoscaling',
  minReplicas: 'minReplicas',
  maxReplicas: 'maxReplicas',
  targetCpuUtilization: 'targetCpuUtilization',
  targetMemoryUtilization: 'targetMemoryUtilization',
  scaleDownStabilizationWindow: 'scaleDownStabilizationWindow',
  minAvailable: 'minAvailable',
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
  serviceType: 'serviceType',
  servicePort: 'servicePort',
  strategy: 'strategy',
  maxSurge: 'maxSurge',
  maxUnavailable: 'maxUnavailable',
  labels: 'labels',
  annotations: 'annotations',
  rolloutTimeoutInMinutes: 'rolloutTimeoutInMinutes',
  rollbackOnFailure: 'rollbackOnFailure',
} as const;
export type InputName = (typeof INPUT)[keyof typeof INPUT];

/** The job variable BuildAndPushAiImage sets to `<loginServer>/<repository>@sha256:...`. */
export const IMAGE_URI_VARIABLE = CHAINED_VARIABLE.imageUri;
/** The job variable a later SmokeTestModel reads when its url input is empty. */
export const MODEL_URL_VARIABLE = CHAINED_VARIABLE.modelUrl;

export const SERVICE_TYPES = ['LoadBalancer', 'InternalLoadBalancer', 'ClusterIP'] as const;
export const STRATEGIES = ['RollingUpdate', 'Recreate'] as const;

export type ServiceType = (typeof SERVICE_TYPES)[number];
