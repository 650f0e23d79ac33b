/**
 * autoscaling/v1 HorizontalPodAutoscalers (what `kubectl autoscale` creates) over the autoscaling/v2
 * objects the store keeps, converted as k8s.io/kubernetes/pkg/apis/autoscaling/v1/conversion.go does:
 * `targetCPUUtilizationPercentage` <-> a Resource metric on cpu with an Utilization target, and the
 * current CPU utilization <-> `currentMetrics`. Other v2 metrics travel in the
 * `autoscaling.alpha.kubernetes.io/metrics` annotation on the v1 side. Pure.
 */
import { asArray, asObject, isObject, type JsonObject } from '../json-values';

const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';

function isCpuUtilization(metric: unknown): boolean {
  const resource = asObject(asObject(metric).resource);
  return asObject(metric).type === 'Resource' && resource.name === 'cpu' && asObject(resource.target).type === 'Utilization';
}

/** The spec fields both versions share, as set. */
function scaleFields(spec: JsonObject): JsonObject {
  return {
    ...(isObject(spec.scaleTargetRef) ? { scaleTargetRef: spec.scaleTargetRef } : {}),
    ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
    ...(spec.maxReplicas !== undefined ? { maxReplicas: spec.maxReplicas } : {}),
  };
}

/** The status fields both versions share. */
function replicaStatus(status: JsonObject): JsonObject {
  return {
    ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
    ...(status.lastScaleTime !== undefined ? { lastScaleTime: status.lastScaleTime } : {}),
    currentReplicas: status.currentReplicas ?? 0,
    desiredReplicas: status.desiredReplicas ?? 0,
  };
}

export function hpaV1ToV2(v1: JsonObject): JsonObject {
  const metadata = structuredClone(asObject(v1.metadata));
  const annotations = { ...asObject(metadata.annotations) } as Record<string, string>;
  const spec = asObject(v1.spec);
  let metrics: unknown[] = [];
  const extra = annotations[METRICS_ANNOTATION];
  if (typeof extra === 'string') {
    try {
      metrics = asArray(JSON.parse(extra));
    } catch {
      metrics = [];
    }
  }
  delete annotations[METRICS_ANNOTATION];
  delete annotations[CONDITIONS_ANNOTATION];
  delete annotations[CURRENT_METRICS_ANNOTATION];
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }, ...metrics];
  }
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const status = asObject(v1.status);
  const v2: JsonObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      ...scaleFields(spec),
      ...(metrics.length > 0 ? { metrics } : {}),
    },
  };
  if (v1.status !== undefined) {
    v2.status = {
      ...replicaStatus(status),
      ...(typeof status.currentCPUUtilizationPercentage === 'number'
        ? { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }] }
        : {}),
    };
  }
  return v2;
}

export function hpaV2ToV1(v2: JsonObject): JsonObject {
  const metadata = structuredClone(asObject(v2.metadata));
  const spec = asObject(v2.spec);
  const metrics = asArray(spec.metrics);
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((metric) => metric !== cpu);
  const annotations = { ...asObject(metadata.annotations) } as Record<string, string>;
  if (others.length > 0) annotations[METRICS_ANNOTATION] = JSON.stringify(others);
  const status = asObject(v2.status);
  const conditions = asArray(status.conditions);
  if (conditions.length > 0) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(conditions);
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const currentCpu = asArray(status.currentMetrics).find((metric) => asObject(metric).type === 'Resource' && asObject(asObject(metric).resource).name === 'cpu');
  const currentUtilization = asObject(asObject(asObject(currentCpu).resource).current).averageUtilization;
  const target = asObject(asObject(asObject(cpu).resource).target).averageUtilization;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      ...scaleFields(spec),
      ...(typeof target === 'number' ? { targetCPUUtilizationPercentage: target } : {}),
    },
    status: {
      ...replicaStatus(status),
      ...(typeof currentUtilization === 'number' ? { currentCPUUtilizationPercentage: currentUtilization } : {}),
    },
  };
}
