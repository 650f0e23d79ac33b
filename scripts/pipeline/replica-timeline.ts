/**
 * The replicas of the pipeline's AKS deployments over time, for the demo: sampled from the local
 * cluster while the job runs and after it (until the autoscaler has scaled back down), then shown as
 * the moments the count changed, with the load (the smoke test's run) marked. Pure, apart from the
 * sampler's timer.
 */
import type { LocalAzure } from '../../emulator/index';
import { DEPLOYMENTS, HORIZONTAL_POD_AUTOSCALERS } from '../../emulator/kubernetes/store/resource-types';
import type { PipelineStep } from './model';

export interface ReplicaSample {
  /** Milliseconds since the job started. */
  atInMs: number;
  desired: number;
  ready: number;
}

export interface WatchedDeployment {
  cluster: string;
  namespace: string;
  name: string;
  /** The autoscaler's minimum, when the step asked for one. */
  minReplicas?: number;
}

/** The DeployToAks steps' deployments, with the pipeline's variables expanded in their inputs. */
export function watchedDeployments(steps: readonly PipelineStep[], variables: Readonly<Record<string, string>>): WatchedDeployment[] {
  const expand = (value: string | undefined): string | undefined => value?.replace(/\$\(([\w.]+)\)/g, (macro, name: string) => variables[name] ?? macro).trim();
  return steps
    .filter((step) => step.task === 'DeployToAksV1')
    .flatMap((step) => {
      const cluster = expand(step.inputs.kubernetesCluster);
      const name = expand(step.inputs.deploymentName);
      if (!cluster || !name) return [];
      const autoscaling = expand(step.inputs.autoscaling)?.toLowerCase() === 'true';
      return [{ cluster, name, namespace: expand(step.inputs.namespace) || 'default', ...(autoscaling ? { minReplicas: Number(expand(step.inputs.minReplicas) || '1') } : {}) }];
    });
}

/** Samples that differ from the one before (the first always kept). */
export function changes(samples: readonly ReplicaSample[]): ReplicaSample[] {
  return samples.filter((sample, index) => index === 0 || sample.desired !== samples[index - 1]?.desired || sample.ready !== samples[index - 1]?.ready);
}

/** True once the count went above the minimum and came back to it (the autoscaler scaled out, then in). */
export function scaledOutAndBack(samples: readonly ReplicaSample[], minReplicas: number): boolean {
  const peak = samples.findIndex((sample) => sample.desired > minReplicas);
  return peak >= 0 && samples.slice(peak).some((sample) => sample.desired === minReplicas && sample.ready === minReplicas);
}

/** `  +12.0 s   ●●○   2 ready of 3   (load)`: one line per change. */
export function timelineLines(samples: readonly ReplicaSample[], load: { fromInMs: number; toInMs: number } | undefined): string[] {
  const seconds = (ms: number): string => `+${(ms / 1000).toFixed(1)} s`.padStart(9);
  return changes(samples).map((sample) => {
    const dots = `${'●'.repeat(Math.min(sample.ready, 20))}${'○'.repeat(Math.max(0, Math.min(sample.desired, 20) - sample.ready))}`;
    const underLoad = load !== undefined && sample.atInMs >= load.fromInMs && sample.atInMs <= load.toInMs ? '  (under load)' : '';
    return `${seconds(sample.atInMs)}  ${dots.padEnd(6)} ${sample.ready} ready of ${sample.desired}${underLoad}`;
  });
}

export interface ReplicaSampler {
  samples(deployment: WatchedDeployment): ReplicaSample[];
  /** The autoscaler's current targets, e.g. 'cpu 180% / 50%', for the last sample's caption. */
  autoscalerState(deployment: WatchedDeployment): string | undefined;
  stop(): void;
}

/** Reads the deployments from the local cluster's store every `everyInMs` (in process: no API traffic in the task's logs). */
export function sampleReplicas(azure: LocalAzure, deployments: readonly WatchedDeployment[], startedAt: number, everyInMs = 1000): ReplicaSampler {
  const series = new Map<WatchedDeployment, ReplicaSample[]>(deployments.map((deployment) => [deployment, []]));
  const tick = (): void => {
    for (const [deployment, samples] of series) {
      const cluster = azure.clusters.find((candidate) => candidate.name === deployment.cluster);
      const object = cluster?.store.get(DEPLOYMENTS, deployment.namespace, deployment.name) as { spec?: { replicas?: number }; status?: { readyReplicas?: number } } | undefined;
      if (object === undefined) continue;
      samples.push({ atInMs: Date.now() - startedAt, desired: object.spec?.replicas ?? 1, ready: object.status?.readyReplicas ?? 0 });
    }
  };
  tick();
  const timer = setInterval(tick, everyInMs);
  return {
    samples: (deployment) => series.get(deployment) ?? [],
    autoscalerState(deployment) {
      const cluster = azure.clusters.find((candidate) => candidate.name === deployment.cluster);
      const hpa = cluster?.store.get(HORIZONTAL_POD_AUTOSCALERS, deployment.namespace, deployment.name) as
        | { status?: { currentMetrics?: { resource?: { name?: string; current?: { averageUtilization?: number } } }[] }; spec?: { metrics?: { resource?: { name?: string; target?: { averageUtilization?: number } } }[] } }
        | undefined;
      const current = hpa?.status?.currentMetrics?.[0]?.resource;
      const target = hpa?.spec?.metrics?.find((metric) => metric.resource?.name === current?.name)?.resource?.target?.averageUtilization;
      return current?.current?.averageUtilization !== undefined ? `${current.name ?? 'cpu'} ${current.current.averageUtilization}% of the request (target ${target ?? '?'}%)` : undefined;
    },
    stop: () => clearInterval(timer),
  };
}
