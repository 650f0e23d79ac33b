/**
 * The API server's allocators for Services: a cluster IP from the service CIDR (AKS default
 * 10.0.0.0/16; 10.0.0.1 is the `kubernetes` Service, 10.0.0.10 the DNS service) and node ports
 * from 30000-32767 for NodePort and LoadBalancer Services.
 */
import { isObject, text } from '../json-values';
import { badRequest, invalid } from '../status-errors';
import { SERVICES } from '../store/resource-types';

type Obj = Record<string, unknown>;

export interface ServiceAllocator {
  /** Fills in spec.clusterIP(s) and node ports of a new or updated Service; releases nothing. */
  allocate(service: Obj, before?: Obj): void;
  release(service: Obj): void;
}

export function createServiceAllocator(reserved: readonly string[] = ['10.0.0.1', '10.0.0.10']): ServiceAllocator {
  const usedIps = new Set<string>(reserved);
  const usedPorts = new Set<number>();
  let nextIp = 11;
  let nextPort = 30000 + Math.floor(Math.random() * 2000);
  const takeIp = (): string => {
    for (let attempt = 0; attempt < 65000; attempt++) {
      const value = nextIp++;
      if (nextIp > 65534) nextIp = 2;
      const ip = `10.0.${Math.floor(value / 256)}.${value % 256}`;
      if (value % 256 === 0 || value % 256 === 255 || usedIps.has(ip)) continue;
      usedIps.add(ip);
      return ip;
    }
    throw badRequest('range is full: no service IPs left in 10.0.0.0/16');
  };
  const takePort = (): number => {
    for (let attempt = 0; attempt < 2768; attempt++) {
      const port = nextPort++;
      if (nextPort > 32767) nextPort = 30000;
      if (!usedPorts.has(port)) {
        usedPorts.add(port);
        return port;
      }
    }
    throw badRequest('range is full: no node ports left in 30000-32767');
  };
  return {
    allocate(service, before) {
      const spec = isObject(service.spec) ? service.spec : {};
      service.spec = spec;
      const previous = isObject(before?.spec) ? before.spec : {};
      if (spec.type === 'ExternalName') return;
      if (spec.clusterIP === undefined || spec.clusterIP === '') {
        spec.clusterIP = typeof previous.clusterIP === 'string' ? previous.clusterIP : takeIp();
      } else if (spec.clusterIP !== 'None' && spec.clusterIP !== previous.clusterIP) {
        const ip = text(spec.clusterIP);
        if (!/^10\.0\.\d{1,3}\.\d{1,3}$/.test(ip)) {
          throw invalid(SERVICES, text((service.metadata as Obj | undefined)?.name ?? ''), [{ reason: 'FieldValueInvalid', message: `Invalid value: "${ip}": failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is 10.0.0.0/16`, field: 'spec.clusterIPs' }]);
        }
        if (usedIps.has(ip)) {
          throw invalid(SERVICES, text((service.metadata as Obj | undefined)?.name ?? ''), [{ reason: 'FieldValueInvalid', message: `Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP is already allocated`, field: 'spec.clusterIPs' }]);
        }
        usedIps.add(ip);
      }
      spec.clusterIPs ??= [spec.clusterIP];
      if (spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)) {
        const previousPorts = Array.isArray(previous.ports) ? previous.ports.filter(isObject) : [];
        for (const port of Array.isArray(spec.ports) ? spec.ports.filter(isObject) : []) {
          if (port.nodePort !== undefined) continue;
          const old = previousPorts.find((candidate) => candidate.port === port.port && (candidate.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
          port.nodePort = typeof old?.nodePort === 'number' ? old.nodePort : takePort();
        }
      }
    },
    release(service) {
      const spec = isObject(service.spec) ? service.spec : {};
      if (typeof spec.clusterIP === 'string') usedIps.delete(spec.clusterIP);
      for (const port of Array.isArray(spec.ports) ? spec.ports.filter(isObject) : []) if (typeof port.nodePort === 'number') usedPorts.delete(port.nodePort);
    },
  };
}
