/**
 * The resource as Azure returns it (pure): the accepted body with read-only properties added and
 * secrets removed (secure environment values, registry passwords, storage keys, secret volume contents).
 */
import { createHash } from 'node:crypto';
import type { ContainerGroupBody, ContainerSpec, GroupProperties } from './group-model';
import { groupResourceId } from './group-model';
import type { ContainerInstanceView } from './instance-view';
import type { GroupRecord } from './group-store';

export interface ResponseContext {
  subscriptionId: string;
  tenantId: string;
}

export interface LiveView {
  containers: Map<string, ContainerInstanceView>;
  state: string;
}

export function toResponseBody(record: GroupRecord, context: ResponseContext, live: LiveView | undefined): Record<string, unknown> {
  const body = record.body;
  return {
    id: groupResourceId(context.subscriptionId, record.resourceGroup, record.name),
    name: record.name,
    type: 'Microsoft.ContainerInstance/containerGroups',
    location: record.location,
    ...(body.tags ? { tags: body.tags } : {}),
    ...(body.zones ? { zones: body.zones } : {}),
    ...(body.identity ? { identity: identityOf(body, record, context) } : {}),
    properties: propertiesOf(record, live),
  };
}

function propertiesOf(record: GroupRecord, live: LiveView | undefined): Record<string, unknown> {
  const properties: GroupProperties = record.body.properties;
  const result: Record<string, unknown> = { ...properties };
  result.provisioningState = record.provisioningState;
  result.containers = properties.containers.map((c) => containerOf(c, live?.containers.get(c.name)));
  if (properties.imageRegistryCredentials) {
    result.imageRegistryCredentials = properties.imageRegistryCredentials.map(({ password: _password, ...rest }) => rest);
  }
  if (properties.volumes) {
    result.volumes = properties.volumes.map((volume) => {
      const copy: Record<string, unknown> = { ...volume };
      if (volume.azureFile) {
        const { storageAccountKey: _key, ...share } = volume.azureFile;
        copy.azureFile = share;
      }
      if (volume.secret) copy.secret = {};
      return copy;
    });
  }
  if (properties.diagnostics?.logAnalytics) {
    const { workspaceKey: _workspaceKey, workspaceResourceId: _workspaceResourceId, ...logAnalytics } = properties.diagnostics.logAnalytics;
    result.diagnostics = { ...properties.diagnostics, logAnalytics };
  }
  if (properties.ipAddress) {
    const ip = properties.ipAddress;
    result.ipAddress = {
      ...ip,
      ...(record.address ? { ip: record.address } : {}),
      ...(ip.dnsNameLabel ? { fqdn: `${ip.dnsNameLabel}.${record.location}.azurecontainer.io` } : {}),
    };
  }
  if (live) result.instanceView = { events: [], state: live.state };
  return result;
}

function containerOf(container: ContainerSpec, view: ContainerInstanceView | undefined): Record<string, unknown> {
  const properties: Record<string, unknown> = { ...container.properties };
  if (container.properties.environmentVariables) {
    properties.environmentVariables = container.properties.environmentVariables.map(({ secureValue: _secure, ...rest }) => rest);
  }
  if (view) properties.instanceView = view;
  return { name: container.name, properties };
}

function identityOf(body: ContainerGroupBody, record: GroupRecord, context: ResponseContext): Record<string, unknown> {
  const identity = body.identity ?? {};
  const result: Record<string, unknown> = { ...identity };
  if (identity.type?.includes('SystemAssigned')) {
    result.principalId = record.systemPrincipalId;
    result.tenantId = context.tenantId;
  }
  if (identity.userAssignedIdentities) {
    result.userAssignedIdentities = Object.fromEntries(
      Object.keys(identity.userAssignedIdentities).map((id) => [id, { principalId: stableGuid(`principal:${id}`), clientId: stableGuid(`client:${id}`) }]),
    );
  }
  return result;
}

/** A GUID derived from a seed, so the same identity always gets the same ids. */
export function stableGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
