/**
 * The local cluster's runtime on the Docker engine (the ClusterRuntime of runtime-contract.ts): the
 * controller manager's controllers (Deployment, ReplicaSet, endpoints and endpointslices, HPA), the
 * cloud provider's load balancers, and the kubelet of the agent pool's nodes, all on the shared
 * store. stop() ends the controllers, closes every listener and removes every container and image
 * tag the cluster made.
 */
import { createDockerEngine } from '../../docker/docker-engine';
import { createLoopbackAllocator } from '../../docker/loopback-addresses';
import { createPodMetrics } from '../autoscaling/pod-metrics';
import { startHpaController } from '../autoscaling/hpa-controller';
import { startDeploymentController } from '../controllers/deployment-controller';
import { startEndpointsController } from '../controllers/endpoints-controller';
import { createEventRecorder } from '../controllers/event-recorder';
import { startReplicaSetController } from '../controllers/replicaset-controller';
import { createEngineExtras } from '../kubelet/engine-extras';
import { createImagePuller } from '../kubelet/image-puller';
import { startKubelet } from '../kubelet/kubelet';
import type { ClusterRuntime, RunningClusterRuntime, RuntimeTimings } from '../runtime-contract';
import { startLoadBalancers } from '../services/load-balancer';

export const DEFAULT_TIMINGS: RuntimeTimings = {
  hpaSyncPeriodInMs: 15_000,
  hpaDownscaleStabilizationInMs: 300_000,
  crashLoopBaseBackOffInMs: 10_000,
};

export interface DockerClusterRuntimeOptions {
  /** Where background errors go (default: ignored, as a controller logs and retries). */
  onError?: (error: unknown) => void;
  /** Timings for every cluster this runtime runs (tests shorten the HPA's); a cluster's own win. */
  timings?: Partial<RuntimeTimings>;
}

export function dockerClusterRuntime(options: DockerClusterRuntimeOptions = {}): ClusterRuntime {
  return {
    start({ store, cluster }): Promise<RunningClusterRuntime> {
      const onError = options.onError ?? (() => undefined);
      const timings = { ...DEFAULT_TIMINGS, ...(options.timings ?? {}), ...(cluster.timings ?? {}) };
      const docker = createDockerEngine(cluster.dockerSocketPath);
      const extras = createEngineExtras(cluster.dockerSocketPath);
      const controllerEvents = (component: string) => createEventRecorder(store, { component });
      const nodeNames = cluster.agentPools.flatMap((pool) => pool.nodeNames);

      const deployments = startDeploymentController({ store, events: controllerEvents('deployment-controller'), onError });
      const replicaSets = startReplicaSetController({ store, events: controllerEvents('replicaset-controller'), onError });
      const loadBalancers = startLoadBalancers({ store, allocator: createLoopbackAllocator(), events: controllerEvents('service-controller'), onError });
      const endpoints = startEndpointsController({ store, onChange: loadBalancers.onEndpoints, onError });
      const puller = createImagePuller({
        docker,
        registryLoginServers: cluster.registryLoginServers,
        logins: cluster.registryLogins,
        kubeletIdentityResourceId: cluster.kubeletIdentity.resourceId,
      });
      const kubelet = startKubelet({
        store,
        docker,
        extras,
        puller,
        socketPath: cluster.dockerSocketPath,
        clusterPrefix: cluster.dockerNamePrefix,
        stateDirectory: cluster.stateDirectory,
        nodeNames,
        crashLoopBaseBackOffInMs: timings.crashLoopBaseBackOffInMs,
        onError,
      });
      const metrics = createPodMetrics({ runningContainers: (namespace, pod) => kubelet.runningContainers(namespace, pod), usage: (id) => extras.usage(id) });
      const autoscaler = startHpaController({
        store,
        events: controllerEvents('horizontal-pod-autoscaler'),
        metrics,
        syncPeriodInMs: timings.hpaSyncPeriodInMs,
        downscaleStabilizationInMs: timings.hpaDownscaleStabilizationInMs,
        onError,
      });

      let stopping: Promise<void> | undefined;
      return Promise.resolve({
        podLogs: kubelet.podLogs,
        stop() {
          stopping ??= (async () => {
            await autoscaler.stop();
            deployments.stop();
            replicaSets.stop();
            endpoints.stop();
            await loadBalancers.stop();
            await kubelet.stop();
          })();
          return stopping;
        },
      });
    },
  };
}
