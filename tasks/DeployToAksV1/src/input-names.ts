import { DEPLOY_INPUT } from '../../common/deploy-inputs/input-names';

/** Every input of task.json (those both deploy tasks share, then its own), declared once (a test checks this list against task.json), and the values the pick lists offer. */
export const INPUT = {
  ...DEPLOY_INPUT,
  kubernetesCluster: 'kubernetesCluster',
  useClusterAdmin: 'useClusterAdmin',
  namespace: 'namespace',
  deploymentName: 'deploymentName',
  containerPort: 'containerPort',
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

export const SERVICE_TYPES = ['LoadBalancer', 'InternalLoadBalancer', 'ClusterIP'] as const;
export const STRATEGIES = ['RollingUpdate', 'Recreate'] as const;

export type ServiceType = (typeof SERVICE_TYPES)[number];
