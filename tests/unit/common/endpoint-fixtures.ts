import type { ConnectionSource } from '../../../tasks/common/azure/connection-source';
import type { EndpointSource } from '../../../tasks/common/task-runtime';
import type { ServiceConnection } from '../../../emulator/service-connection';

/** An EndpointSource over plain connection objects (keys matched case-insensitively, as task-lib does). */
export function endpointSource(...connections: ServiceConnection[]): EndpointSource {
  const find = (id: string): ServiceConnection | undefined => connections.find((c) => c.id.toLowerCase() === id.toLowerCase());
  const lookup = (record: Record<string, string> | undefined, key: string): string | undefined =>
    Object.entries(record ?? {}).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  return {
    url: (id) => find(id)?.url,
    scheme: (id) => find(id)?.scheme,
    authParameter: (id, key) => lookup(find(id)?.authParameters, key),
    dataParameter: (id, key) => lookup(find(id)?.data, key),
  };
}

/** A ConnectionSource (endpoints plus the masking hook) over test connections; `masked` collects what is registered. */
export function connectionSource(connections: ServiceConnection[] = [], masked: string[] = []): ConnectionSource {
  return { endpoint: endpointSource(...connections), setSecret: (value) => masked.push(value) };
}

export const CLOUD_DATA = {
  subscriptionId: '11111111-2222-3333-4444-555555555555',
  subscriptionName: 'Local subscription',
  environment: 'AzureCloud',
  environmentAuthorityUrl: 'https://127.0.0.1:8443/',
  activeDirectoryServiceEndpointResourceId: 'https://management.core.windows.net/',
};

export function armConnection(overrides: Partial<ServiceConnection> = {}): ServiceConnection {
  return {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    name: 'azure-local',
    url: 'https://127.0.0.1:8443/',
    scheme: 'ServicePrincipal',
    authParameters: {
      serviceprincipalid: 'app-id',
      serviceprincipalkey: 'spn-secret-value',
      tenantid: 'tenant-id',
      authenticationType: 'spnKey',
    },
    data: { ...CLOUD_DATA },
    ...overrides,
  };
}

export const TEST_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBszCCAVmgAwIBAgIUfake',
  '-----END CERTIFICATE-----',
  '-----BEGIN PRIVATE KEY-----',
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHfake',
  '-----END PRIVATE KEY-----',
].join('\n');
