/**
 * Service type LoadBalancer, as the cloud provider's service controller gives it one: an external IP
 * of its own (a loopback address, 127.100.x.y) written to status.loadBalancer.ingress, and on it a TCP
 * listener per service port that spreads connections round-robin over the Service's ready endpoints
 * only. The backends change the moment the endpoints controller sees a pod change, before anything
 * else acts on it. A connection that cannot reach a backend tries the next ready one.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import type { LoopbackAllocator } from '../../docker/loopback-addresses';
import type { EndpointsListener } from '../controllers/endpoints-controller';
import type { EndpointAddress } from '../controllers/endpoints';
import type { EventRecorder } from '../controllers/event-recorder';
import { unconditional } from '../controllers/unconditional';
import { objectKey } from '../controllers/work-queue';
import type { Service, ServicePort } from '../kube-types';
import type { ObjectStore } from '../store/object-store';
import { SERVICES } from '../store/resource-types';

interface Balancer {
  uid: string;
  address: string;
  listeners: Map<number, { server: Server; port: ServicePort }>;
  backends: readonly EndpointAddress[];
  next: number;
  sockets: Set<Socket>;
}

export interface LoadBalancers {
  onEndpoints: EndpointsListener;
  /** The external IP of a Service, when it has one (tests). */
  addressOf(namespace: string, name: string): string | undefined;
  stop(): Promise<void>;
}

export function startLoadBalancers(deps: { store: ObjectStore; allocator: LoopbackAllocator; events: EventRecorder; onError?: (error: unknown) => void }): LoadBalancers {
  const balancers = new Map<string, Balancer>();
  const pendingBackends = new Map<string, readonly EndpointAddress[]>();
  const work = new Map<string, Promise<void>>();
  let stopped = false;

  function serialise(key: string, task: () => Promise<void>): void {
    const previous = work.get(key) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => deps.onError?.(error));
    work.set(key, next);
    void next.finally(() => {
      if (work.get(key) === next) work.delete(key);
    });
  }

  const unwatch = deps.store.watch(SERVICES, undefined, undefined, (event) => {
    const service = event.object as unknown as Service;
    const key = objectKey(service.metadata.namespace, service.metadata.name);
    if (event.type === 'DELETED' || service.spec.type !== 'LoadBalancer') serialise(key, () => remove(key));
    else serialise(key, () => ensure(key, service.metadata.namespace ?? 'default', service.metadata.name));
  });

  async function ensure(key: string, namespace: string, name: string): Promise<void> {
    if (stopped) return;
    const service = deps.store.get(SERVICES, namespace, name) as unknown as Service | undefined;
    if (!service || service.spec.type !== 'LoadBalancer') return remove(key);
    let balancer = balancers.get(key);
    if (balancer && balancer.uid !== service.metadata.uid) {
      await remove(key);
      balancer = undefined;
    }
    const ports = (service.spec.ports ?? []).filter((port) => (port.protocol ?? 'TCP') === 'TCP');
    const wanted = new Map(ports.map((port) => [port.port, port]));
    if (!balancer) {
      deps.events.record(service, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
      const address = await deps.allocator.allocate([...wanted.keys()]);
      balancer = { uid: service.metadata.uid, address, listeners: new Map(), backends: pendingBackends.get(key) ?? [], next: 0, sockets: new Set() };
      balancers.set(key, balancer);
    }
    for (const [port, listener] of balancer.listeners) {
      if (!wanted.has(port)) {
        await close(listener.server);
        balancer.listeners.delete(port);
      } else listener.port = wanted.get(port) ?? listener.port;
    }
    for (const [port, spec] of wanted) {
      if (balancer.listeners.has(port)) continue;
      try {
        balancer.listeners.set(port, { server: await listen(balancer, balancer.address, port), port: spec });
      } catch (error) {
        deps.events.record(service, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: failed to listen on ${balancer.address}:${port}: ${(error as Error).message}`);
        throw error;
      }
    }
    const ingress = [{ ip: balancer.address, ipMode: 'VIP' }];
    if (!isDeepStrictEqual(service.status?.loadBalancer?.ingress, ingress)) {
      deps.store.update(SERVICES, unconditional({ ...service, status: { ...(service.status ?? {}), loadBalancer: { ingress } } }), { subresource: 'status' });
      deps.events.record(service, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
    }
  }

  function listen(balancer: Balancer, address: string, port: number): Promise<Server> {
    const server = createServer((client) => forward(balancer, port, client));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address, port, exclusive: true }, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  function forward(balancer: Balancer, port: number, client: Socket): void {
    balancer.sockets.add(client);
    client.once('close', () => balancer.sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const servicePort = balancer.listeners.get(port)?.port;
    const tried = new Set<string>();
    const attempt = (): void => {
      const ready = balancer.backends.filter((backend) => backend.ready && !tried.has(backend.ip));
      if (!servicePort || ready.length === 0) {
        client.destroy();
        return;
      }
      const backend = ready[balancer.next++ % ready.length];
      const target = backend?.ports.get(servicePort.name ?? '');
      if (!backend || target === undefined) {
        client.destroy();
        return;
      }
      tried.add(backend.ip);
      const upstream = connect({ host: backend.ip, port: target });
      balancer.sockets.add(upstream);
      upstream.once('close', () => balancer.sockets.delete(upstream));
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        if (!connected) attempt();
        else client.destroy();
      });
      client.once('close', () => upstream.destroy());
      upstream.once('end', () => client.end());
    };
    attempt();
  }

  async function remove(key: string): Promise<void> {
    const balancer = balancers.get(key);
    if (!balancer) return;
    balancers.delete(key);
    for (const socket of balancer.sockets) socket.destroy();
    await Promise.all([...balancer.listeners.values()].map((listener) => close(listener.server)));
    deps.allocator.release(balancer.address);
  }

  return {
    onEndpoints(namespace, name, addresses) {
      const key = objectKey(namespace, name);
      pendingBackends.set(key, addresses);
      const balancer = balancers.get(key);
      if (balancer) balancer.backends = addresses;
    },
    addressOf(namespace, name) {
      return balancers.get(objectKey(namespace, name))?.address;
    },
    async stop() {
      stopped = true;
      unwatch();
      await Promise.all([...work.values()]);
      await Promise.all([...balancers.keys()].map((key) => remove(key)));
    },
  };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
