/**
 * Maps a container of a group to the Docker engine's create body (pure): cpu and memory limits,
 * environment (secure values included), command, restart policy, the group's ports published on
 * the group's own loopback address, DNS pointed at 127.0.0.1 (no outside DNS traffic), volumes.
 */
import type { DockerCreateBody } from '../../docker/docker-engine';
import type { ContainerSpec, GroupProperties, RestartPolicy } from '../model/group-model';
import { restartPolicyOf } from '../model/group-model';

export const CRASH_EXECUTABLE_MOUNT = '/.lazure-exit-1';

export interface ContainerPlanInputs {
  instanceId: string;
  groupKey: string;
  container: ContainerSpec;
  group: GroupProperties;
  /** The group's loopback address; undefined when the group has no IP address. */
  address: string | undefined;
  /** Docker id of the group's first container, whose network namespace the others share. */
  networkOwnerId: string | undefined;
  /** Host folders backing the group's volumes, by volume name. */
  volumeFolders: ReadonlyMap<string, string>;
  hostCpus: number;
  /** containerCrash fault: host path of an executable that exits 1. */
  crashExecutable?: string;
  /** neverReady fault: nothing is published, so the ports never answer. */
  publishPorts: boolean;
}

export const LABELS = {
  instance: 'lazure.instance',
  group: 'lazure.aci.group',
  container: 'lazure.aci.container',
} as const;

const BYTES_PER_GB = 1024 ** 3;

export function dockerRestartPolicy(policy: RestartPolicy): NonNullable<DockerCreateBody['HostConfig']['RestartPolicy']> {
  switch (policy) {
    case 'Always':
      return { Name: 'always' };
    case 'OnFailure':
      return { Name: 'on-failure' };
    case 'Never':
      return { Name: 'no' };
  }
}

export function planContainer(inputs: ContainerPlanInputs): DockerCreateBody {
  const { container, group } = inputs;
  const properties = container.properties;
  const resources = properties.resources;
  const cpu = Math.min(resources.limits?.cpu ?? resources.requests.cpu, inputs.hostCpus);
  const memoryInGB = resources.limits?.memoryInGB ?? resources.requests.memoryInGB;
  const ownsNetwork = inputs.networkOwnerId === undefined;
  const groupPorts = group.ipAddress?.ports ?? [];
  const hostConfig: DockerCreateBody['HostConfig'] = {
    NanoCpus: Math.round(cpu * 1e9),
    Memory: Math.round(memoryInGB * BYTES_PER_GB),
    RestartPolicy: dockerRestartPolicy(restartPolicyOf(group)),
    Binds: binds(inputs),
  };
  if (ownsNetwork) {
    hostConfig.Dns = ['127.0.0.1'];
    const search = group.dnsConfig?.searchDomains?.split(/\s+/).filter(Boolean);
    if (search?.length) hostConfig.DnsSearch = search;
    if (inputs.publishPorts && inputs.address) {
      hostConfig.PortBindings = Object.fromEntries(
        groupPorts.map((p) => [`${p.port}/${(p.protocol ?? 'TCP').toLowerCase()}`, [{ HostIp: inputs.address ?? '', HostPort: String(p.port) }]]),
      );
    }
  } else {
    hostConfig.NetworkMode = `container:${inputs.networkOwnerId}`;
  }
  const exposed = [...(properties.ports ?? []), ...(ownsNetwork ? groupPorts : [])];
  const body: DockerCreateBody = {
    Image: properties.image,
    Env: (properties.environmentVariables ?? []).map((v) => `${v.name}=${v.value ?? v.secureValue ?? ''}`),
    Labels: { [LABELS.instance]: inputs.instanceId, [LABELS.group]: inputs.groupKey, [LABELS.container]: container.name },
    HostConfig: hostConfig,
  };
  if (ownsNetwork && exposed.length > 0) {
    body.ExposedPorts = Object.fromEntries(exposed.map((p) => [`${p.port}/${(p.protocol ?? 'TCP').toLowerCase()}`, {}]));
  }
  if (inputs.crashExecutable) {
    body.Entrypoint = [CRASH_EXECUTABLE_MOUNT];
    body.Cmd = [];
  } else if (properties.command && properties.command.length > 0) {
    // Azure's `command` replaces the image's ENTRYPOINT (and with it its CMD).
    body.Entrypoint = properties.command;
    body.Cmd = [];
  }
  return body;
}

function binds(inputs: ContainerPlanInputs): string[] {
  const secretVolumes = new Set((inputs.group.volumes ?? []).filter((v) => v.secret !== undefined).map((v) => v.name));
  const result = (inputs.container.properties.volumeMounts ?? []).flatMap((mount) => {
    const folder = inputs.volumeFolders.get(mount.name);
    if (!folder) return [];
    const readOnly = mount.readOnly === true || secretVolumes.has(mount.name);
    // Azure accepts a relative mountPath ('mnt/mydir' in recorded traffic) where Docker wants an absolute one: from the root.
    const target = mount.mountPath.startsWith('/') ? mount.mountPath : `/${mount.mountPath}`;
    return [`${folder}:${target}${readOnly ? ':ro' : ''}`];
  });
  if (inputs.crashExecutable) result.push(`${inputs.crashExecutable}:${CRASH_EXECUTABLE_MOUNT}:ro`);
  return result;
}

/** `lazure-<instance>-<group>-<container>`, reduced to the characters Docker accepts in names. */
export function containerName(instanceId: string, groupName: string, containerName: string): string {
  return `lazure-${instanceId}-${groupName}-${containerName}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}
