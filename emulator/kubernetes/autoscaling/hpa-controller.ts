/**
 * The HorizontalPodAutoscaler controller for autoscaling/v2 (podautoscaler/horizontal.go): every
 * sync period, per HPA, read the target's scale, compute the replicas each Resource Utilization
 * metric wants (replica-calculator.ts) from the pods' usage, take the largest, apply min/max,
 * stabilisation windows and rate policies (scaling-behavior.ts), scale the target through its
 * `scale` subresource, and write the status with its conditions and a SuccessfulRescale event.
 */
import { isDeepStrictEqual } from 'node:util';
import { isoSeconds } from '../controllers/clock-format';
import type { EventRecorder } from '../controllers/event-recorder';
import { unconditional } from '../controllers/unconditional';
import type { Condition, HorizontalPodAutoscaler, Pod } from '../kube-types';
import { bytes, milliCpu } from '../kubelet/quantity';
import type { KubeObject, ObjectStore } from '../store/object-store';
import { matchesSelector, type LabelSelectorObject } from '../store/label-selector';
import { DEPLOYMENTS, HORIZONTAL_POD_AUTOSCALERS, PODS, REPLICA_SETS } from '../store/resource-types';
import type { PodMetrics, PodUsage } from './pod-metrics';
import { MetricsError, resourceReplicas, type PodSample } from './replica-calculator';
import { resolveRules, ScalingHistory } from './scaling-behavior';

export interface HpaControllerDeps {
  store: ObjectStore;
  events: EventRecorder;
  metrics: PodMetrics;
  syncPeriodInMs: number;
  /** Used when an HPA's behavior sets no scale-down window (the controller flag, 5 min). */
  downscaleStabilizationInMs: number;
  cpuInitializationPeriodInMs?: number;
  initialReadinessDelayInMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

interface ConditionChange {
  type: 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';
  status: Condition['status'];
  reason: string;
  message: string;
}

const TARGETS: Record<string, typeof DEPLOYMENTS> = { Deployment: DEPLOYMENTS, ReplicaSet: REPLICA_SETS };

function metricName(resource: string): string {
  return `${resource} resource utilization (percentage of request)`;
}

export function startHpaController(deps: HpaControllerDeps): { stop(): Promise<void>; syncNow(): Promise<void> } {
  const now = deps.now ?? Date.now;
  const history = new ScalingHistory(now);
  const cpuInit = deps.cpuInitializationPeriodInMs ?? 5 * 60_000;
  const readinessDelay = deps.initialReadinessDelayInMs ?? 30_000;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const timer = setInterval(() => {
    running = running.then(syncAll).catch((error: unknown) => deps.onError?.(error));
  }, deps.syncPeriodInMs);
  timer.unref();

  async function syncAll(): Promise<void> {
    for (const object of deps.store.list(HORIZONTAL_POD_AUTOSCALERS).items) {
      if (stopped) return;
      const hpa = object as unknown as HorizontalPodAutoscaler;
      try {
        await reconcile(hpa);
      } catch (error) {
        deps.onError?.(error);
      }
    }
  }

  function sample(pod: Pod, usage: PodUsage | undefined, resource: string): PodSample {
    const ignored = pod.metadata.deletionTimestamp !== undefined || pod.status?.phase === 'Failed';
    let request: number | undefined = 0;
    for (const container of pod.spec.containers) {
      const value = container.resources?.requests?.[resource];
      if (value === undefined) {
        request = undefined;
        break;
      }
      request += resource === 'cpu' ? milliCpu(value) : bytes(value);
    }
    const value = usage === undefined ? undefined : resource === 'cpu' ? usage.cpuMilli : resource === 'memory' ? usage.memoryBytes : undefined;
    let unready = pod.status?.phase === 'Pending';
    if (!unready && resource === 'cpu' && usage) {
      const ready = pod.status?.conditions?.find((condition) => condition.type === 'Ready');
      const start = Date.parse(pod.status?.startTime ?? '');
      if (!ready || !Number.isFinite(start)) unready = true;
      else {
        const transition = Date.parse(ready.lastTransitionTime ?? '') || 0;
        if (start + cpuInit > now()) unready = ready.status === 'False' || usage.timestampInMs < transition + usage.windowInMs;
        else unready = ready.status === 'False' && start + readinessDelay > transition;
      }
    }
    return { name: pod.metadata.name, unready, ignored, request, usage: value };
  }

  async function reconcile(hpa: HorizontalPodAutoscaler): Promise<void> {
    const key = hpa.metadata.uid;
    const namespace = hpa.metadata.namespace ?? 'default';
    const conditions: ConditionChange[] = [];
    const ref = hpa.spec.scaleTargetRef;
    const targetType = TARGETS[ref.kind];
    const target = targetType ? (deps.store.get(targetType, namespace, ref.name) as (KubeObject & { spec: { replicas?: number; selector: LabelSelectorObject } }) | undefined) : undefined;
    if (!target || !targetType) {
      const message = `the HPA controller was unable to get the target's current scale: ${targetType ? `${targetType.resource}.${targetType.group} "${ref.name}" not found` : `no matches for kind "${ref.kind}" in group "${ref.apiVersion ?? ''}"`}`;
      deps.events.record(hpa, 'Warning', 'FailedGetScale', message.replace('the HPA controller was unable to get the target\'s current scale: ', ''));
      conditions.push({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message });
      writeStatus(hpa, { currentReplicas: hpa.status?.currentReplicas ?? 0, desiredReplicas: hpa.status?.desiredReplicas ?? 0, currentMetrics: hpa.status?.currentMetrics }, conditions, false);
      return;
    }
    conditions.push({ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" });
    const currentReplicas = target.spec.replicas ?? 1;
    const minReplicas = hpa.spec.minReplicas ?? 1;
    const maxReplicas = hpa.spec.maxReplicas;
    let desired = 0;
    let rescaleReason = '';
    let metricStatuses: unknown[] | undefined = hpa.status?.currentMetrics;

    if (currentReplicas === 0 && minReplicas !== 0) {
      conditions.push({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
      desired = 0;
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desired = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desired = minReplicas;
    } else {
      const pods = (deps.store.list(PODS, namespace).items as unknown as Pod[]).filter((pod) => matchesSelector(target.spec.selector, pod.metadata.labels));
      const usage = await deps.metrics.read(pods.filter((pod) => pod.metadata.deletionTimestamp === undefined));
      let proposal = -1;
      let proposalMetric = '';
      const statuses: unknown[] = [];
      let lastError: string | undefined;
      for (const metric of hpa.spec.metrics ?? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]) {
        const resource = metric.resource?.name ?? '';
        if (metric.type !== 'Resource' || metric.resource?.target.type !== 'Utilization' || metric.resource.target.averageUtilization === undefined) {
          lastError = `invalid metric source: the local cluster computes only Resource metrics with a Utilization target`;
          deps.events.record(hpa, 'Warning', 'FailedGetResourceMetric', lastError);
          continue;
        }
        try {
          const samples = pods.map((pod) => sample(pod, usage.get(pod.metadata.name), resource));
          if (usage.size === 0) throw new MetricsError(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
          const result = resourceReplicas(currentReplicas, metric.resource.target.averageUtilization, resource, samples);
          statuses.push({
            type: 'Resource',
            resource: { name: resource, current: { averageUtilization: result.utilization, averageValue: resource === 'cpu' ? `${result.rawAverage}m` : String(result.rawAverage) } },
          });
          if (result.replicas > proposal) {
            proposal = result.replicas;
            proposalMetric = metricName(resource);
          }
        } catch (error) {
          lastError = `failed to get ${resource} utilization: ${(error as Error).message}`;
          deps.events.record(hpa, 'Warning', 'FailedGetResourceMetric', lastError);
          statuses.push({ type: '' });
        }
      }
      metricStatuses = statuses;
      if (proposal === -1) {
        conditions.push({ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${lastError ?? 'no metrics'}` });
        deps.events.record(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${statuses.length} invalid out of ${statuses.length}), first error is: ${lastError ?? ''}`);
        writeStatus(hpa, { currentReplicas, desiredReplicas: hpa.status?.desiredReplicas ?? currentReplicas, currentMetrics: statuses }, conditions, false);
        return;
      }
      conditions.push({ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${proposalMetric}` });
      desired = proposal;
      if (desired > currentReplicas) rescaleReason = `${proposalMetric} above target`;
      if (desired < currentReplicas) rescaleReason = 'All metrics below target';
      const behavior = hpa.spec.behavior;
      const scaleUp = resolveRules('up', behavior?.scaleUp);
      const scaleDown = resolveRules('down', behavior?.scaleDown);
      if (behavior?.scaleDown?.stabilizationWindowSeconds === undefined) scaleDown.stabilizationWindowSeconds = Math.round(deps.downscaleStabilizationInMs / 1000);
      const normalized = history.normalize({ key, scaleUp, scaleDown, minReplicas, maxReplicas, currentReplicas, desiredReplicas: desired });
      conditions[0] = { type: 'AbleToScale', status: 'True', ...normalized.ableToScale };
      conditions.push({ type: 'ScalingLimited', status: normalized.scalingLimited.limited ? 'True' : 'False', reason: normalized.scalingLimited.reason, message: normalized.scalingLimited.message });
      desired = normalized.replicas;
      if (desired !== currentReplicas) history.recordScale(key, scaleUp, scaleDown, currentReplicas, desired);
    }
    const rescale = desired !== currentReplicas && !(currentReplicas === 0 && minReplicas !== 0);
    if (rescale) {
      deps.store.update(TARGETS[ref.kind] ?? DEPLOYMENTS, unconditional({ ...target, spec: { ...target.spec, replicas: desired } }), { subresource: 'scale' });
      conditions[0] = { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}` };
      deps.events.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`);
    }
    writeStatus(hpa, { currentReplicas, desiredReplicas: desired, currentMetrics: metricStatuses }, conditions, rescale);
  }

  function writeStatus(hpa: HorizontalPodAutoscaler, counts: { currentReplicas: number; desiredReplicas: number; currentMetrics: unknown[] | undefined }, changes: ConditionChange[], rescaled: boolean): void {
    const fresh = deps.store.get(HORIZONTAL_POD_AUTOSCALERS, hpa.metadata.namespace, hpa.metadata.name) as unknown as HorizontalPodAutoscaler | undefined;
    if (!fresh || fresh.metadata.uid !== hpa.metadata.uid) return;
    const at = isoSeconds(now());
    let conditions = [...(fresh.status?.conditions ?? [])];
    for (const change of changes) {
      const existing = conditions.find((condition) => condition.type === change.type);
      const lastTransitionTime = existing && existing.status === change.status ? existing.lastTransitionTime : at;
      const next: Condition = { type: change.type, status: change.status, lastTransitionTime, reason: change.reason, message: change.message };
      conditions = existing ? conditions.map((condition) => (condition.type === change.type ? next : condition)) : [...conditions, next];
    }
    const order = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];
    conditions.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
    const lastScaleTime = rescaled ? at : fresh.status?.lastScaleTime;
    const status = {
      observedGeneration: fresh.metadata.generation ?? 1,
      ...(lastScaleTime ? { lastScaleTime } : {}),
      currentReplicas: counts.currentReplicas,
      desiredReplicas: counts.desiredReplicas,
      ...(counts.currentMetrics && counts.currentMetrics.length > 0 ? { currentMetrics: counts.currentMetrics } : {}),
      conditions,
    };
    if (isDeepStrictEqual(fresh.status, status)) return;
    deps.store.update(HORIZONTAL_POD_AUTOSCALERS, unconditional({ ...fresh, status }), { subresource: 'status' });
  }

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running.catch(() => undefined);
    },
    syncNow() {
      running = running.then(syncAll);
      return running;
    },
  };
}
