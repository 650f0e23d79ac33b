/**
 * The discovery documents (`/api`, `/apis`, `/apis/<group>`, `/api/v1`, `/apis/<group>/<version>`) and
 * `/version`, shaped as kube-apiserver serves them (APIVersions, APIGroupList, APIGroup, APIResourceList).
 * Clients build their REST mappings from these: kubectl resolves `deploy`, `hpa`, `deployments/scale` here.
 */
import { createHash } from 'node:crypto';
import { apiVersionOf, SERVED_RESOURCE_TYPES, type ServedResourceType } from '../store/resource-types';

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

/** Extra versions served by conversion (autoscaling/v1 HPAs, as kubectl autoscale creates them). */
export interface ExtraVersion {
  group: string;
  version: string;
  resources: ServedResourceType[];
}

/** The order kube-apiserver lists its groups in (by their registration priority). */
const GROUP_ORDER = ['apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling', 'batch', 'policy', 'discovery.k8s.io'];

function groupsInOrder(types: readonly ServedResourceType[]): string[] {
  const groups: string[] = [];
  for (const type of types) if (type.group !== '' && !groups.includes(type.group)) groups.push(type.group);
  const rank = (group: string): number => (GROUP_ORDER.includes(group) ? GROUP_ORDER.indexOf(group) : GROUP_ORDER.length);
  return groups.sort((a, b) => rank(a) - rank(b));
}

export interface Discovery {
  coreVersions(serverAddress: string): unknown;
  groupList(): unknown;
  group(name: string): unknown;
  resourceList(group: string, version: string): unknown;
  version(): unknown;
}

function storageVersionHash(type: ServedResourceType): string {
  return createHash('sha256').update(`${type.group}/${type.version}/${type.kind}`).digest('base64').slice(0, 12);
}

function resourceEntries(types: readonly ServedResourceType[]): unknown[] {
  const entries: unknown[] = [];
  for (const type of types) {
    entries.push({
      name: type.resource,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: [...type.verbs],
      ...(type.shortNames.length > 0 ? { shortNames: [...type.shortNames] } : {}),
      ...(type.categories ? { categories: [...type.categories] } : {}),
      storageVersionHash: storageVersionHash(type),
    });
    if (type.resource === 'pods') entries.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
    if (type.scaleSubresource) entries.push({ name: `${type.resource}/scale`, singularName: '', namespaced: type.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    if (type.statusSubresource) entries.push({ name: `${type.resource}/status`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: ['get', 'patch', 'update'] });
  }
  return entries;
}

export function createDiscovery(serverVersion: ServerVersion, extraVersions: readonly ExtraVersion[] = []): Discovery {
  const versionsOf = (group: string): string[] => {
    const preferred = [...new Set(SERVED_RESOURCE_TYPES.filter((type) => type.group === group).map((type) => type.version))];
    const extra = extraVersions.filter((entry) => entry.group === group).map((entry) => entry.version);
    return [...preferred, ...extra.filter((version) => !preferred.includes(version))];
  };
  const allTypes = [...SERVED_RESOURCE_TYPES, ...extraVersions.flatMap((entry) => entry.resources)];
  const groupDocument = (name: string): unknown => {
    const versions = versionsOf(name).map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions, preferredVersion: versions[0] };
  };
  return {
    coreVersions(serverAddress) {
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
    },
    groupList() {
      return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupsInOrder(allTypes).map(groupDocument) };
    },
    group(name) {
      if (!groupsInOrder(allTypes).includes(name)) return undefined;
      return { kind: 'APIGroup', apiVersion: 'v1', ...(groupDocument(name) as object) };
    },
    resourceList(group, version) {
      const served = SERVED_RESOURCE_TYPES.filter((type) => type.group === group && type.version === version);
      const extra = extraVersions.find((entry) => entry.group === group && entry.version === version)?.resources ?? [];
      const types = [...served, ...extra];
      if (types.length === 0) return undefined;
      return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources: resourceEntries(types) };
    },
    version() {
      return {
        major: serverVersion.major,
        minor: serverVersion.minor,
        emulationMajor: serverVersion.major,
        emulationMinor: serverVersion.minor,
        minCompatibilityMajor: serverVersion.major,
        minCompatibilityMinor: String(Math.max(0, Number(serverVersion.minor) - 1)),
        gitVersion: serverVersion.gitVersion,
        gitCommit: createHash('sha1').update(serverVersion.gitVersion).digest('hex'),
        gitTreeState: 'clean',
        buildDate: '2026-09-10T10:00:00Z',
        goVersion: 'go1.25.1',
        compiler: 'gc',
        platform: 'linux/amd64',
      };
    },
  };
}
