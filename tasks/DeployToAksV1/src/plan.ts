/**
 * What to apply, from the inputs alone (pure): the Deployment, Service, HorizontalPodAutoscaler,
 * PodDisruptionBudget and Secret, as server-side apply configurations of the task's one field manager.
 * The same inputs always give the same objects (no timestamps), so an unchanged redeploy changes nothing
 * and rolls nothing. With autoscaling, `spec.replicas` is left out: the autoscaler owns it.
 */
import type { AksInputs, ProbeInputs } from './input-types';
import type { Deployment, KubeObject, ManagedFieldsEntry } from './kube-objects';
import { toLabelValue } from './kubernetes-names';

/** The field manager every object is applied under. */
export const FIELD_MANAGER = 'ai-model-deploy';
/** The manager that takes `spec.replicas` over from the task when autoscaling is switched on (as the Kubernetes docs' hand-over does). */
export const REPLICAS_HANDOVER_MANAGER = 'ai-model-deploy-handover-to-hpa';

export const LABEL = {
  name: 'app.kubernetes.io/name',
  managedBy: 'app.kubernetes.io/managed-by',
  version: 'app.kubernetes.io/version',
  model: 'ai-model-deploy.io/model',
  /** On Secrets: the Deployment they belong to. */
  deployment: 'ai-model-deploy.io/deployment',
} as const;
export const ANNOTATION = {
  /** Salted scrypt hash of the secure environment values (common/secret-hash.ts); its salt is kept across deployments. */
  secureEnvHash: 'ai-model-deploy.io/secure-env-hash',
  image: 'ai-model-deploy.io/image',
  modelVersion: 'ai-model-deploy.io/model-version',
} as const;
export const MANAGED_BY = 'ai-model-deploy';

/** The AKS GPU node pool's label and taints (`az aks nodepool add --node-taints sku=gpu:NoSchedule`). */
export const GPU_NODE_SELECTOR = { 'kubernetes.azure.com/accelerator': 'nvidia' } as const;
export const GPU_TOLERATIONS = [
  { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
  { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
] as const;
export const INTERNAL_LOAD_BALANCER_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-internal';

export interface PlanContext {
  /** What the pods run: the image by digest when the registry told the digest, else as given. */
  image: string;
  /** From the image's labels (`ai.model.name`, `ai.model.version`). */
  model?: { name?: string; version?: string };
  /** `scrypt1.<salt>.<hash>` of the secure environment values, when there are any. */
  secureEnvHash?: string;
}

export interface ApplyPlan {
  deployment: Deployment;
  service: KubeObject;
  /** Undefined: no autoscaler (an existing one of the task's is deleted). */
  autoscaler?: KubeObject;
  /** Undefined: no PodDisruptionBudget (an existing one of the task's is deleted). */
  disruptionBudget?: KubeObject;
  /** Undefined: no secure environment variables. */
  secret?: KubeObject;
}

export function selectorOf(deploymentName: string): Record<string, string> {
  return { [LABEL.name]: deploymentName, [LABEL.managedBy]: MANAGED_BY };
}

/** The Secret's name changes with its content, so a change rolls the pods and a rollback gets the old values back. */
export function secretName(deploymentName: string, secureEnvHash: string): string {
  const hash = secureEnvHash.split('.').pop() ?? '';
  return `${deploymentName}-env-${hash.slice(0, 10)}`;
}

export function planObjects(inputs: AksInputs, context: PlanContext): ApplyPlan {
  const name = inputs.deploymentName;
  const namespace = inputs.namespace;
  const labels = objectLabels(inputs, context);
  const meta = (extra: Record<string, string> = {}): KubeObject['metadata'] => ({
    name,
    namespace,
    labels,
    ...(Object.keys({ ...inputs.annotations, ...extra }).length > 0 ? { annotations: { ...inputs.annotations, ...extra } } : {}),
  });
  const secret = context.secureEnvHash !== undefined && inputs.secureEnvironmentVariables.length > 0 ? planSecret(inputs, labels, context.secureEnvHash) : undefined;
  const deploymentAnnotations: Record<string, string> = {
    [ANNOTATION.image]: context.image,
    ...(context.model?.version !== undefined ? { [ANNOTATION.modelVersion]: context.model.version } : {}),
    ...(context.secureEnvHash !== undefined ? { [ANNOTATION.secureEnvHash]: context.secureEnvHash } : {}),
  };
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(deploymentAnnotations),
    spec: {
      ...(inputs.scaling.kind === 'fixed' ? { replicas: inputs.scaling.replicas } : {}),
      selector: { matchLabels: selectorOf(name) },
      strategy:
        inputs.strategy.kind === 'Recreate'
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxSurge: inputs.strategy.maxSurge, maxUnavailable: inputs.strategy.maxUnavailable } },
      progressDeadlineSeconds: Math.max(1, Math.ceil(inputs.rolloutTimeoutInMs / 1000)),
      template: {
        metadata: { labels, ...(Object.keys(inputs.annotations).length > 0 ? { annotations: { ...inputs.annotations } } : {}) },
        spec: podSpec(inputs, context.image, secret?.metadata.name),
      },
    },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(inputs.serviceType === 'InternalLoadBalancer' ? { [INTERNAL_LOAD_BALANCER_ANNOTATION]: 'true' } : {}),
    spec: {
      type: inputs.serviceType === 'ClusterIP' ? 'ClusterIP' : 'LoadBalancer',
      selector: selectorOf(name),
      ports: [{ name: 'http', protocol: 'TCP', port: inputs.servicePort, targetPort: inputs.containerPort }],
    },
  };
  return {
    deployment,
    service,
    ...(inputs.scaling.kind === 'autoscaling' ? { autoscaler: planAutoscaler(inputs, meta()) } : {}),
    ...(inputs.minAvailable !== undefined
      ? { disruptionBudget: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(), spec: { minAvailable: inputs.minAvailable, selector: { matchLabels: selectorOf(name) } } } }
      : {}),
    ...(secret ? { secret } : {}),
  };
}

function objectLabels(inputs: AksInputs, context: PlanContext): Record<string, string> {
  const modelName = context.model?.name !== undefined ? toLabelValue(context.model.name) : undefined;
  const modelVersion = context.model?.version !== undefined ? toLabelValue(context.model.version) : undefined;
  return {
    ...inputs.labels,
    ...selectorOf(inputs.deploymentName),
    ...(modelName !== undefined ? { [LABEL.model]: modelName } : {}),
    ...(modelVersion !== undefined ? { [LABEL.version]: modelVersion } : {}),
  };
}

function podSpec(inputs: AksInputs, image: string, secret: string | undefined): Record<string, unknown> {
  const { resources } = inputs;
  const requests: Record<string, string> = {
    ...(resources.cpuRequest !== undefined ? { cpu: resources.cpuRequest } : {}),
    ...(resources.memoryRequest !== undefined ? { memory: resources.memoryRequest } : {}),
  };
  const limits: Record<string, string> = {
    ...(resources.cpuLimit !== undefined ? { cpu: resources.cpuLimit } : {}),
    ...(resources.memoryLimit !== undefined ? { memory: resources.memoryLimit } : {}),
    ...(resources.gpuCount > 0 ? { 'nvidia.com/gpu': String(resources.gpuCount) } : {}),
  };
  const container = {
    name: inputs.deploymentName,
    image,
    ports: [{ name: 'http', containerPort: inputs.containerPort, protocol: 'TCP' }],
    ...(inputs.environmentVariables.length > 0 ? { env: inputs.environmentVariables.map(({ key, value }) => ({ name: key, value })) } : {}),
    ...(secret !== undefined ? { envFrom: [{ secretRef: { name: secret } }] } : {}),
    ...(Object.keys(requests).length + Object.keys(limits).length > 0
      ? { resources: { ...(Object.keys(requests).length > 0 ? { requests } : {}), ...(Object.keys(limits).length > 0 ? { limits } : {}) } }
      : {}),
    ...(inputs.readinessProbe ? { readinessProbe: probe(inputs.readinessProbe) } : {}),
    ...(inputs.livenessProbe ? { livenessProbe: probe(inputs.livenessProbe) } : {}),
  };
  return {
    containers: [container],
    ...(resources.gpuCount > 0 ? { nodeSelector: { ...GPU_NODE_SELECTOR }, tolerations: GPU_TOLERATIONS.map((t) => ({ ...t })) } : {}),
  };
}

function probe(p: ProbeInputs): Record<string, unknown> {
  return { httpGet: { path: p.path, port: p.port }, initialDelaySeconds: p.initialDelaySeconds, periodSeconds: p.periodSeconds, failureThreshold: p.failureThreshold };
}

function planSecret(inputs: AksInputs, labels: Record<string, string>, hash: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName(inputs.deploymentName, hash), namespace: inputs.namespace, labels: { ...labels, [LABEL.deployment]: inputs.deploymentName } },
    type: 'Opaque',
    data: Object.fromEntries(inputs.secureEnvironmentVariables.map(({ key, value }) => [key, Buffer.from(value, 'utf8').toString('base64')])),
  };
}

function planAutoscaler(inputs: AksInputs, metadata: KubeObject['metadata']): KubeObject {
  if (inputs.scaling.kind !== 'autoscaling') throw new Error('planAutoscaler needs autoscaling inputs');
  const { minReplicas, maxReplicas, targetCpuUtilization, targetMemoryUtilization, scaleDownStabilizationSeconds } = inputs.scaling;
  const metric = (name: 'cpu' | 'memory', averageUtilization: number): Record<string, unknown> => ({
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization } },
  });
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: inputs.deploymentName },
      minReplicas,
      maxReplicas,
      metrics: [
        ...(targetCpuUtilization !== undefined ? [metric('cpu', targetCpuUtilization)] : []),
        ...(targetMemoryUtilization !== undefined ? [metric('memory', targetMemoryUtilization)] : []),
      ],
      ...(scaleDownStabilizationSeconds !== undefined ? { behavior: { scaleDown: { stabilizationWindowSeconds: scaleDownStabilizationSeconds } } } : {}),
    },
  };
}

/**
 * True when autoscaling is on and the task's own apply still owns `spec.replicas` (it deployed with a
 * fixed count before): dropping the field from the apply would reset it to 1, so another manager takes
 * it over first (https://kubernetes.io/docs/reference/using-api/server-side-apply/#transferring-ownership).
 */
export function needsReplicasHandover(existing: Deployment | undefined, inputs: Pick<AksInputs, 'scaling'>): boolean {
  if (inputs.scaling.kind !== 'autoscaling' || existing === undefined) return false;
  return (existing.metadata.managedFields ?? []).some((entry) => entry.manager === FIELD_MANAGER && entry.operation === 'Apply' && ownsReplicas(entry));
}

function ownsReplicas(entry: ManagedFieldsEntry): boolean {
  const spec = entry.fieldsV1?.['f:spec'];
  return typeof spec === 'object' && spec !== null && 'f:replicas' in spec;
}

/** The configuration the hand-over manager applies: only `spec.replicas`, at its current value. */
export function replicasHandover(existing: Deployment): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: existing.metadata.name, ...(existing.metadata.namespace !== undefined ? { namespace: existing.metadata.namespace } : {}) },
    spec: { replicas: existing.spec?.replicas ?? 1 },
  };
}

/** The salt of the hash on an existing Deployment, so an unchanged secret hashes the same. */
export function secureEnvHashOf(existing: Deployment | undefined): string | undefined {
  return existing?.metadata.annotations?.[ANNOTATION.secureEnvHash];
}
