/**
 * The desired container group, computed from the inputs and a few facts read from Azure (pure).
 * The body is the @azure/arm-containerinstance 9.x model; serialised by the SDK it validates against
 * the official 2023-05-01 schema (tests/unit/deploy/plan.test.ts checks that).
 */
import { RESERVED_TAG_PREFIX } from '../../common/chained-variables';
import type { Capabilities, Container, ContainerGroup, ContainerProbe, ImageRegistryCredential } from '@azure/arm-containerinstance';
import { TaskError } from '../../common/errors';
import { hashSecrets, saltOf } from '../../common/secret-hash';
import type { DeployInputs, ProbeInputs } from './input-types';
import type { RegistryCredentialPlan } from './registry-credentials';

/** Tags the task keeps on the group: hashes of values Azure never returns, so that changes to them are seen. */
export const TAG = {
  secureEnvHash: `${RESERVED_TAG_PREFIX}secureEnvHash`,
  credentialsHash: `${RESERVED_TAG_PREFIX}credentialsHash`,
  /** Unique to one run of the task: tells this run's PUT apart from another run's (racing deploys, retried PUTs). */
  run: `${RESERVED_TAG_PREFIX}run`,
  /** The resource ID of the registry whose admin user the group pulls with: the next run reads its password without listing the registries. */
  registry: `${RESERVED_TAG_PREFIX}registry`,
} as const;

export interface GroupFacts {
  /** Normalised location, e.g. 'westeurope'. */
  location: string;
  /** The registry credential ACI pulls with (with its password), or none. */
  registryCredential?: ImageRegistryCredential;
  /** Salted hashes (see secret-hash.ts) of the secure environment values and of the registry password / workspace key. */
  secureEnvHash?: string;
  credentialsHash?: string;
  /** The registry resource whose admin user `registryCredential` is (see TAG.registry). */
  registryId?: string;
}

/** What the planned group needs beside the inputs. */
export interface PlanFacts {
  /** Normalised location, e.g. 'westeurope'. */
  location: string;
  /** The registry credential ACI pulls with (with its password), or none. */
  registryCredential?: ImageRegistryCredential;
  /** The registry resource whose admin user `registryCredential` is (see TAG.registry). */
  registryId?: string;
  /** The salt for the hash tags when the existing group has none (secret-hash.ts `newSalt`). */
  freshSalt: string;
}

/**
 * The group to send: the inputs' group with the salted hashes of its secrets in tags (salted as the
 * existing group's tags are, so that unchanged secrets give unchanged tags) and the tags others put on
 * the existing group (e.g. Azure Policy) kept; the task's own tags are replaced.
 */
export function planContainerGroup(inputs: DeployInputs, existing: ContainerGroup | undefined, facts: PlanFacts): ContainerGroup {
  const { registryCredential } = facts;
  const salt = saltOf(existing?.tags?.[TAG.secureEnvHash]) ?? saltOf(existing?.tags?.[TAG.credentialsHash]) ?? facts.freshSalt;
  const credentialSecrets = [
    ...(registryCredential?.password !== undefined ? [{ name: `registry:${registryCredential.server}:${registryCredential.username ?? ''}`, value: registryCredential.password }] : []),
    ...(inputs.logAnalytics ? [{ name: 'logAnalytics', value: inputs.logAnalytics.workspaceKey }] : []),
  ];
  const secureEnvHash = hashSecrets(inputs.secureEnvironmentVariables.map((v) => ({ name: v.key, value: v.value })), salt);
  const credentialsHash = hashSecrets(credentialSecrets, salt);
  const desired = toContainerGroup(inputs, {
    location: facts.location,
    ...(registryCredential ? { registryCredential } : {}),
    ...(facts.registryId !== undefined ? { registryId: facts.registryId } : {}),
    ...(secureEnvHash ? { secureEnvHash } : {}),
    ...(credentialsHash ? { credentialsHash } : {}),
  });
  const foreignTags = Object.entries(existing?.tags ?? {}).filter(([tag]) => !tag.startsWith(RESERVED_TAG_PREFIX));
  return { ...desired, tags: { ...Object.fromEntries(foreignTags), ...desired.tags } };
}

export function toContainerGroup(inputs: DeployInputs, facts: GroupFacts): ContainerGroup {
  const container: Container = {
    name: inputs.containerName,
    image: inputs.image.reference,
    resources: {
      requests: {
        cpu: inputs.cpu,
        memoryInGB: inputs.memoryInGB,
        ...(inputs.gpu ? { gpu: { count: inputs.gpu.count, sku: inputs.gpu.sku } } : {}),
      },
    },
    ports: inputs.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
    environmentVariables: [
      ...inputs.environmentVariables.map((v) => ({ name: v.key, value: v.value })),
      ...inputs.secureEnvironmentVariables.map((v) => ({ name: v.key, secureValue: v.value })),
    ],
    ...(inputs.command.length > 0 ? { command: [...inputs.command] } : {}),
    ...(inputs.readinessProbe ? { readinessProbe: toProbe(inputs.readinessProbe) } : {}),
    ...(inputs.livenessProbe ? { livenessProbe: toProbe(inputs.livenessProbe) } : {}),
  };
  const tags: Record<string, string> = { ...inputs.tags };
  if (facts.secureEnvHash !== undefined) tags[TAG.secureEnvHash] = facts.secureEnvHash;
  if (facts.credentialsHash !== undefined) tags[TAG.credentialsHash] = facts.credentialsHash;
  if (facts.registryId !== undefined) tags[TAG.registry] = facts.registryId;

  return {
    location: facts.location,
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
    ...(inputs.managedIdentityResourceId
      ? { identity: { type: 'UserAssigned', userAssignedIdentities: { [inputs.managedIdentityResourceId]: {} } } }
      : {}),
    containers: [container],
    osType: inputs.osType,
    restartPolicy: inputs.restartPolicy,
    ...(facts.registryCredential ? { imageRegistryCredentials: [facts.registryCredential] } : {}),
    ...(inputs.ipAddressType === 'None'
      ? {}
      : {
          ipAddress: {
            type: inputs.ipAddressType,
            ports: inputs.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
            ...(inputs.dnsNameLabel !== undefined
              ? { dnsNameLabel: inputs.dnsNameLabel, autoGeneratedDomainNameLabelScope: inputs.dnsNameLabelReusePolicy }
              : {}),
          },
        }),
    ...(inputs.subnetIds.length > 0 ? { subnetIds: inputs.subnetIds.map((id) => ({ id })) } : {}),
    ...(inputs.logAnalytics
      ? { diagnostics: { logAnalytics: { workspaceId: inputs.logAnalytics.workspaceId, workspaceKey: inputs.logAnalytics.workspaceKey } } }
      : {}),
  };
}

function toProbe(probe: ProbeInputs): ContainerProbe {
  return {
    httpGet: { path: probe.path, port: probe.port, scheme: 'http' },
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds,
    failureThreshold: probe.failureThreshold,
  };
}

/** The ACI registry credential for a plan, once its password is known (admin user, Docker registry connection). */
export function toRegistryCredential(plan: RegistryCredentialPlan, secret?: { username: string; password: string }): ImageRegistryCredential | undefined {
  switch (plan.kind) {
    case 'none':
      return undefined;
    case 'managedIdentity':
      return { server: plan.server, identity: plan.identity };
    case 'servicePrincipal':
      return { server: plan.server, username: plan.username, password: plan.password };
    case 'adminCredentials':
    case 'dockerRegistryConnection':
      if (secret === undefined) throw new TaskError(`Internal error: no credentials were read for ${plan.server}.`);
      return { server: plan.server, username: secret.username, password: secret.password };
  }
}

/**
 * Checks the requested cpu, memory and GPUs against what the location offers for the OS type and GPU
 * SKU (`location.listCapabilities`). An empty list means the location could not say: nothing to check.
 */
export function checkCapabilities(inputs: Pick<DeployInputs, 'cpu' | 'memoryInGB' | 'gpu' | 'osType'>, location: string, offers: readonly Capabilities[]): void {
  const forGroups = offers.filter((o) => (o.resourceType ?? 'containerGroups').toLowerCase() === 'containergroups');
  if (forGroups.length === 0) return;
  const sku = inputs.gpu?.sku ?? 'None';
  const matching = forGroups.filter((o) => (o.osType ?? '').toLowerCase() === inputs.osType.toLowerCase() && (o.gpu ?? 'None').toLowerCase() === sku.toLowerCase());
  if (matching.length === 0) {
    const offered = [...new Set(forGroups.map((o) => `${o.osType ?? '?'}${o.gpu && o.gpu !== 'None' ? ` with ${o.gpu} GPUs` : ''}`))].join(', ');
    throw new TaskError(
      `Location '${location}' offers no ${inputs.osType} container groups${inputs.gpu ? ` with ${sku} GPUs` : ''}; it offers: ${offered}. ` +
        "Choose another 'location', 'osType' or 'gpuSku'.",
    );
  }
  const limit = (pick: (c: NonNullable<Capabilities['capabilities']>) => number | undefined): number =>
    Math.max(...matching.map((o) => (o.capabilities ? (pick(o.capabilities) ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY)));
  const maxCpu = limit((c) => c.maxCpu);
  const maxMemoryInGB = limit((c) => c.maxMemoryInGB);
  const maxGpuCount = limit((c) => c.maxGpuCount);
  const problems: string[] = [];
  if (inputs.cpu > maxCpu) problems.push(`'cpu' is ${inputs.cpu} but at most ${maxCpu} cores are offered`);
  if (inputs.memoryInGB > maxMemoryInGB) problems.push(`'memoryInGB' is ${inputs.memoryInGB} but at most ${maxMemoryInGB} GB are offered`);
  if (inputs.gpu && inputs.gpu.count > maxGpuCount) problems.push(`'gpuCount' is ${inputs.gpu.count} but at most ${maxGpuCount} ${sku} GPUs are offered`);
  if (problems.length > 0) {
    throw new TaskError(
      `The container group does not fit in location '${location}' (${inputs.osType}${inputs.gpu ? `, ${sku}` : ''}): ${problems.join('; ')}. ` +
        'Request less, or choose a location that offers more.',
    );
  }
}

/**
 * True when the existing group already runs in `location` with this OS type and this container's cpu,
 * memory and GPUs: the location evidently offers them, so its capabilities need not be read (pure).
 */
export function fitsAlready(existing: ContainerGroup | undefined, inputs: Pick<DeployInputs, 'cpu' | 'memoryInGB' | 'gpu' | 'osType' | 'containerName'>, location: string): boolean {
  if (existing === undefined || existing.provisioningState?.toLowerCase() !== 'succeeded') return false;
  if ((existing.location ?? '').replace(/\s+/g, '').toLowerCase() !== location || existing.osType !== inputs.osType) return false;
  const requests = existing.containers.find((c) => c.name === inputs.containerName)?.resources.requests;
  const gpu = requests?.gpu;
  return (
    requests !== undefined &&
    requests.cpu === inputs.cpu &&
    requests.memoryInGB === inputs.memoryInGB &&
    (inputs.gpu === undefined ? gpu === undefined : gpu?.count === inputs.gpu.count && gpu.sku === inputs.gpu.sku)
  );
}

/** `http://<host>:<first TCP port>`, or undefined when the group has no address or no TCP port. */
export function modelUrl(host: string | undefined, ports: DeployInputs['ports']): string | undefined {
  const port = ports.find((p) => p.protocol === 'TCP')?.port;
  if (host === undefined || host === '' || port === undefined) return undefined;
  const bracketed = host.includes(':') ? `[${host}]` : host;
  return `http://${bracketed}:${port}`;
}
