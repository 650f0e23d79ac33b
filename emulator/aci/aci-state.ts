/** Everything the route handlers of one emulated Container Instances service share. */
import type { ServiceContext } from '../core/service-context';
import type { DockerEngine } from './docker-engine';
import type { GroupRunner } from './group-runner';
import type { GroupStore } from './group-store';
import type { LoopbackAllocator } from './loopback-addresses';
import type { OperationStore } from './operations';
import type { Prober } from './probes';

export interface AciState {
  ctx: ServiceContext;
  docker: DockerEngine;
  store: GroupStore;
  operations: OperationStore;
  runner: GroupRunner;
  prober: Prober;
  loopback: LoopbackAllocator;
  /** Page size of list replies (nextLink beyond it). */
  pageSize: number;
  /** Operations still running, awaited on stop. */
  inFlight: Set<Promise<void>>;
}
