import assert from 'node:assert/strict';
import { endpointAddresses, endpointSubsets, sliceEndpoints } from '../../../emulator/kubernetes/controllers/endpoints';
import type { Pod, Service } from '../../../emulator/kubernetes/kube-types';

const service: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 's' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }] } };

function pod(name: string, ip: string | undefined, ready: boolean, labels: Record<string, string> = { app: 'web' }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: name, labels },
    spec: { nodeName: 'node-0', containers: [{ name: 'c', image: 'i', ports: [{ name: 'web', containerPort: 8080 }] }] },
    status: { phase: 'Running', ...(ip ? { podIP: ip } : {}), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

describe('emulator kubernetes: endpoints', () => {
  it('selects pods with an IP, splits ready from not ready and resolves named target ports', () => {
    const addresses = endpointAddresses(service, [pod('a', '172.17.0.3', true), pod('b', '172.17.0.2', false), pod('c', undefined, false), pod('d', '172.17.0.9', true, { app: 'other' })]);
    assert.deepEqual(addresses.map((address) => [address.ip, address.ready, address.ports.get('http')]), [['172.17.0.3', true, 8080], ['172.17.0.2', false, 8080]]);
    const [subset] = endpointSubsets(service, addresses) as { addresses: { ip: string; targetRef: { name: string } }[]; notReadyAddresses: { ip: string }[]; ports: unknown[] }[];
    assert.deepEqual(subset?.addresses.map((address) => address.ip), ['172.17.0.3']);
    assert.equal(subset?.addresses[0]?.targetRef.name, 'a');
    assert.deepEqual(subset?.notReadyAddresses.map((address) => address.ip), ['172.17.0.2']);
    assert.deepEqual(subset?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const slice = sliceEndpoints(addresses) as { addresses: string[]; conditions: { ready: boolean } }[];
    assert.deepEqual(slice.map((endpoint) => [endpoint.addresses[0], endpoint.conditions.ready]), [['172.17.0.2', false], ['172.17.0.3', true]]);
  });

  it('has no endpoints without a selector', () => {
    assert.deepEqual(endpointAddresses({ ...service, spec: { ...service.spec, selector: {} } }, [pod('a', '172.17.0.3', true)]), []);
  });
});
