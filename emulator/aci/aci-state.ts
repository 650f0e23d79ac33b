/** Everything the route handlers of one emulated Container Instances service share. */
import type { ServiceContext } from '../core/service-context';
import type { DockerEngine } from '../docker/docker-engine';
import type { GroupRunner } from './engine/group-runner';
import type { GroupStore } from './model/group-store';
import type { LoopbackAllocator } from '../docker/loopback-addresses';
import type { OperationStore } from './model/operations';
import type { Prober } from './engine/probes';
import type { LocalDns } from './engine/local-dns';

export interface AciState {
  ctx: ServiceContext;
  docker: DockerEngine;
  store: GroupStore;
  operations: OperationStore;
  runner: GroupRunner;
  prober: Prober;
  loopback: LoopbackAllocator;
  /** Makes the groups' DNS names resolve to their addresses on this machine. */
  dns: LocalDns;
  /** Page size of list replies (nextLink beyond it). */
  pageSize: number;
  /** Operations still running, awaited on stop. */
  inFlight: Set<Promise<void>>;
}

/** Publishes the DNS names of every group that has an address and a DNS name label; returns those another instance holds. */
export function publishDnsNames(state: AciState): string[] {
  return state.dns.sync(
    state.store.all().flatMap((record) => {
      return record.address && record.fqdn ? [{ fqdn: record.fqdn, ip: record.address }] : [];
    }),
  );
}
