/** Plain-object fakes for DeployToAci's effects, and a clock that never really sleeps. */
import type { ContainerGroup } from '@azure/arm-containerinstance';
import type { AciClient } from '../../../tasks/DeployToAciV1/src/aci-client';
import type { Reachability } from '../../../tasks/DeployToAciV1/src/reachability';

export { fakeClock } from '../../support/fake-clock';


/** An ACI that "provisions" a PUT body over `pollsToRun` GETs; records every call. */
export interface FakeAci extends AciClient {
  calls: string[];
  groups: Map<string, ContainerGroup>;
  puts: ContainerGroup[];
  /** Called when a group is read, to change what Azure reports. */
  onGet?: (group: ContainerGroup, reads: number) => ContainerGroup;
  logText: string;
}

export function fakeAci(options: { pollsToRun?: number; location?: string } = {}): FakeAci {
  const pollsToRun = options.pollsToRun ?? 2;
  const reads = new Map<string, number>();
  const aci: FakeAci = {
    calls: [],
    groups: new Map(),
    puts: [],
    logText: 'line 1\nline 2\n##vso[task.setvariable variable=x]evil\n',
    get: (rg, name) => {
      aci.calls.push(`get ${name}`);
      const group = aci.groups.get(name);
      if (!group) return Promise.resolve(undefined);
      const count = (reads.get(name) ?? 0) + 1;
      reads.set(name, count);
      let view = group;
      if (count >= pollsToRun && group.provisioningState !== 'Succeeded') {
        view = withState(group, 'Succeeded', 'Running');
        aci.groups.set(name, view);
      }
      return Promise.resolve(aci.onGet ? aci.onGet(view, count) : view);
    },
    createOrUpdate: (_rg, name, group) => {
      aci.calls.push(`put ${name}`);
      aci.puts.push(group);
      reads.set(name, 0);
      aci.groups.set(name, asCreated(group, name));
      return Promise.resolve();
    },
    delete: (_rg, name) => {
      aci.calls.push(`delete ${name}`);
      aci.groups.delete(name);
      return Promise.resolve();
    },
    logs: (_rg, _name, container) => {
      aci.calls.push(`logs ${container}`);
      return Promise.resolve(aci.logText);
    },
    capabilities: (location) => {
      aci.calls.push(`capabilities ${location}`);
      return Promise.resolve([{ resourceType: 'containerGroups', osType: 'Linux', gpu: 'None', capabilities: { maxCpu: 4, maxMemoryInGB: 16, maxGpuCount: 0 } }]);
    },
    resourceGroupLocation: (rg) => {
      aci.calls.push(`resourceGroup ${rg}`);
      return Promise.resolve(options.location ?? 'West Europe');
    },
  };
  return aci;
}

export function asCreated(body: ContainerGroup, name: string): ContainerGroup {
  const copy = JSON.parse(JSON.stringify(body)) as ContainerGroup;
  return {
    ...copy,
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/${name}`,
    name,
    provisioningState: 'Pending',
    containers: copy.containers.map((c) => ({
      ...c,
      ...(c.environmentVariables ? { environmentVariables: c.environmentVariables.map((v) => (v.secureValue !== undefined ? { name: v.name } : v)) } : {}),
    })),
    ...(copy.imageRegistryCredentials ? { imageRegistryCredentials: copy.imageRegistryCredentials.map(({ password: _p, ...rest }) => rest) } : {}),
    ...(copy.ipAddress ? { ipAddress: { ...copy.ipAddress, ip: '127.0.0.9', ...(copy.ipAddress.dnsNameLabel ? { fqdn: `${copy.ipAddress.dnsNameLabel}.westeurope.azurecontainer.io` } : {}) } } : {}),
  };
}

export function withState(group: ContainerGroup, provisioningState: string, containerState: string, extra: Record<string, unknown> = {}): ContainerGroup {
  return {
    ...group,
    provisioningState,
    instanceView: { state: containerState === 'Running' ? 'Running' : 'Pending', events: [] },
    containers: group.containers.map((c) => ({
      ...c,
      instanceView: {
        restartCount: 0,
        currentState: { state: containerState, startTime: new Date('2026-01-01T00:00:00Z') },
        events: [{ name: 'Started', type: 'Normal', message: 'Started container', count: 1 }],
        ...extra,
      },
    })),
  };
}

export function fakeReachability(overrides: Partial<Reachability> = {}): Reachability & { checks: string[] } {
  const checks: string[] = [];
  return {
    checks,
    answers: overrides.answers ?? ((host, port) => (checks.push(`tcp ${host}:${port}`), Promise.resolve(true))),
    ready: overrides.ready ?? ((url) => (checks.push(`http ${url}`), Promise.resolve(true))),
    resolves: overrides.resolves ?? ((name) => (checks.push(`dns ${name}`), Promise.resolve(false))),
  };
}
