/**
 * A cluster with no runtime: the API server stores objects and nothing acts on them (no controllers,
 * no kubelet), as with controller-runtime's envtest. For tests of the API server itself, whose
 * expectations (exact watch streams, event lists) a live cluster would add to.
 */
import { badRequest } from '../status-errors';
import type { ClusterRuntime } from '../runtime-contract';

export const API_SERVER_ONLY: ClusterRuntime = {
  start: () =>
    Promise.resolve({
      podLogs: { read: (_namespace, pod, options) => Promise.reject(badRequest(`container "${options.container ?? ''}" in pod "${pod}" is waiting to start: ContainerCreating`)) },
      stop: () => Promise.resolve(),
    }),
};
