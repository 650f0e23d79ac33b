/**
 * The endpoints and endpointslice controllers: for every Service with a selector, an Endpoints object
 * of the same name and an EndpointSlice (`<service>-<5 characters>`, labelled
 * kubernetes.io/service-name) kept in step with its pods' IPs and readiness. Listeners (the load
 * balancers) hear about every change of a Service's ready backends at once.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Pod, Service } from '../kube-types';
import type { KubeObject, ObjectStore } from '../store/object-store';
import { ENDPOINT_SLICES, ENDPOINTS, PODS, SERVICES } from '../store/resource-types';
import { matchesMap } from '../store/label-selector';
import type { Controller } from './deployment-controller';
import { endpointAddresses, endpointSubsets, sliceEndpoints, slicePorts, type EndpointAddress } from './endpoints';
import { randomSuffix } from './replicaset-controller';
import { unconditional } from './unconditional';
import { createWorkQueue, objectKey, splitKey } from './work-queue';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY = { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' };

export interface EndpointsListener {
  (namespace: string, service: string, addresses: readonly EndpointAddress[]): void;
}

export function startEndpointsController(deps: { store: ObjectStore; onChange: EndpointsListener; onError?: (error: unknown) => void }): Controller {
  const { store } = deps;
  const queue = createWorkQueue((key) => sync(key), (_key, error) => deps.onError?.(error));
  const unwatch = [
    store.watch(SERVICES, undefined, undefined, (event) => queue.add(objectKey(event.object.metadata.namespace, event.object.metadata.name))),
    store.watch(PODS, undefined, undefined, (event) => {
      // A pod change (labels, IP, readiness, deletion) concerns the Services whose selector matches it now.
      const pod = event.object as unknown as Pod;
      for (const service of store.list(SERVICES, pod.metadata.namespace).items as unknown as Service[]) {
        const selector = service.spec.selector;
        if (selector && Object.keys(selector).length > 0 && matchesMap(selector, pod.metadata.labels)) queue.add(objectKey(service.metadata.namespace, service.metadata.name));
      }
    }),
  ];

  function sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const service = store.get(SERVICES, namespace, name) as unknown as Service | undefined;
    if (!service || !service.spec.selector || Object.keys(service.spec.selector).length === 0) {
      deps.onChange(namespace, name, []);
      return;
    }
    const addresses = endpointAddresses(service, store.list(PODS, namespace).items as unknown as Pod[]);
    // The load balancer first: it must stop using a pod before anything else can act on its removal.
    deps.onChange(namespace, name, addresses);
    writeEndpoints(service, addresses);
    writeSlice(service, addresses);
  }

  function owner(service: Service): Record<string, unknown>[] {
    return [{ apiVersion: 'v1', kind: 'Service', name: service.metadata.name, uid: service.metadata.uid, controller: true, blockOwnerDeletion: true }];
  }

  function writeEndpoints(service: Service, addresses: readonly EndpointAddress[]): void {
    const namespace = service.metadata.namespace ?? 'default';
    const subsets = endpointSubsets(service, addresses);
    const labels = { ...(service.metadata.labels ?? {}) };
    const existing = store.get(ENDPOINTS, namespace, service.metadata.name);
    const body = { apiVersion: 'v1', kind: 'Endpoints', ...(subsets.length > 0 ? { subsets } : {}) };
    if (!existing) {
      store.create(ENDPOINTS, { ...body, metadata: { name: service.metadata.name, namespace, labels } });
      return;
    }
    if (isDeepStrictEqual((existing as { subsets?: unknown }).subsets, body.subsets) && isDeepStrictEqual(existing.metadata.labels ?? {}, labels)) return;
    const next: KubeObject = { ...existing, metadata: { ...existing.metadata, labels } };
    delete next.subsets;
    store.update(ENDPOINTS, unconditional({ ...next, ...body }));
  }

  function writeSlice(service: Service, addresses: readonly EndpointAddress[]): void {
    const namespace = service.metadata.namespace ?? 'default';
    const existing = (store.list(ENDPOINT_SLICES, namespace).items).find(
      (slice) => slice.metadata.labels?.[SERVICE_NAME_LABEL] === service.metadata.name && slice.metadata.ownerReferences?.some((ref) => ref.uid === service.metadata.uid),
    );
    const content = { addressType: 'IPv4', endpoints: sliceEndpoints(addresses), ports: slicePorts(service, addresses) };
    const labels = { ...(service.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: service.metadata.name, ...MANAGED_BY };
    if (!existing) {
      store.create(ENDPOINT_SLICES, {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${service.metadata.name}-${randomSuffix()}`, generateName: `${service.metadata.name}-`, namespace, labels, ownerReferences: owner(service) as never },
        ...content,
      });
      return;
    }
    const current = { addressType: existing.addressType, endpoints: existing.endpoints, ports: existing.ports };
    if (isDeepStrictEqual(current, content)) return;
    store.update(ENDPOINT_SLICES, unconditional({ ...existing, ...content }));
  }

  return {
    queue,
    stop() {
      for (const stop of unwatch) stop();
      queue.stop();
    },
  };
}
