/**
 * A Service's endpoints (pure): the pods its selector picks that have an IP, ready or not, with each
 * service port's targetPort resolved against the pod's container ports (named ports included), as
 * core/v1 Endpoints subsets and as a discovery.k8s.io/v1 EndpointSlice body.
 */
import type { Pod, Service, ServicePort } from '../kube-types';
import { matchesMap } from '../store/label-selector';
import { isPodReady } from './pod-state';

export interface EndpointAddress {
  ip: string;
  ready: boolean;
  pod: Pod;
  /** service port name ('' when unnamed) -> target port on this pod */
  ports: Map<string, number>;
}

export function selectedPods(service: Service, pods: readonly Pod[]): Pod[] {
  const selector = service.spec.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  return pods.filter(
    (pod) =>
      (pod.metadata.namespace ?? 'default') === (service.metadata.namespace ?? 'default') &&
      matchesMap(selector, pod.metadata.labels) &&
      pod.status?.podIP &&
      pod.metadata.deletionTimestamp === undefined &&
      pod.status.phase !== 'Succeeded' &&
      pod.status.phase !== 'Failed',
  );
}

export function targetPortOf(port: ServicePort, pod: Pod): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const container of pod.spec.containers) {
    const found = container.ports?.find((candidate) => candidate.name === target && (candidate.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
    if (found) return found.containerPort;
  }
  return undefined;
}

export function endpointAddresses(service: Service, pods: readonly Pod[]): EndpointAddress[] {
  return selectedPods(service, pods).map((pod) => {
    const ports = new Map<string, number>();
    for (const port of service.spec.ports ?? []) {
      const target = targetPortOf(port, pod);
      if (target !== undefined) ports.set(port.name ?? '', target);
    }
    return { ip: pod.status?.podIP ?? '', ready: isPodReady(pod), pod, ports };
  });
}

function targetRef(pod: Pod): Record<string, string> {
  return { kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, uid: pod.metadata.uid };
}

function byIp(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip.localeCompare(b.ip, 'en', { numeric: true });
}

/** Endpoints.subsets: one subset per distinct port mapping (usually one). */
export function endpointSubsets(service: Service, addresses: readonly EndpointAddress[]): unknown[] {
  const groups = new Map<string, EndpointAddress[]>();
  for (const address of addresses) {
    const key = JSON.stringify([...address.ports].sort());
    groups.set(key, [...(groups.get(key) ?? []), address]);
  }
  const subsets: unknown[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    if (!first || first.ports.size === 0) continue;
    const toAddress = (address: EndpointAddress): Record<string, unknown> => ({ ip: address.ip, ...(address.pod.spec.nodeName ? { nodeName: address.pod.spec.nodeName } : {}), targetRef: targetRef(address.pod) });
    const ready = group.filter((address) => address.ready).sort(byIp).map(toAddress);
    const notReady = group.filter((address) => !address.ready).sort(byIp).map(toAddress);
    subsets.push({
      ...(ready.length > 0 ? { addresses: ready } : {}),
      ...(notReady.length > 0 ? { notReadyAddresses: notReady } : {}),
      ports: (service.spec.ports ?? [])
        .filter((port) => first.ports.has(port.name ?? ''))
        .map((port) => ({ ...(port.name ? { name: port.name } : {}), port: first.ports.get(port.name ?? ''), protocol: port.protocol ?? 'TCP', ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}) })),
    });
  }
  return subsets;
}

export function sliceEndpoints(addresses: readonly EndpointAddress[]): unknown[] {
  return [...addresses].sort(byIp).map((address) => ({
    addresses: [address.ip],
    conditions: { ready: address.ready, serving: address.ready, terminating: false },
    ...(address.pod.spec.nodeName ? { nodeName: address.pod.spec.nodeName } : {}),
    targetRef: targetRef(address.pod),
  }));
}

export function slicePorts(service: Service, addresses: readonly EndpointAddress[]): unknown[] {
  const first = addresses[0];
  return (service.spec.ports ?? []).map((port) => ({
    name: port.name ?? '',
    port: first?.ports.get(port.name ?? '') ?? (typeof port.targetPort === 'number' ? port.targetPort : port.port),
    protocol: port.protocol ?? 'TCP',
    ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}),
  }));
}
