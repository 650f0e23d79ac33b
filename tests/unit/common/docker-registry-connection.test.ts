import { strict as assert } from 'node:assert';
import { readDockerRegistryConnection, registryHost } from '../../../tasks/common/docker-registry-connection';
import { TaskError } from '../../../tasks/common/errors';
import type { ServiceConnection } from '../../../emulator/service-connection';
import { connectionSource, endpointSource } from './endpoint-fixtures';

function registryConnection(overrides: Partial<ServiceConnection> = {}): ServiceConnection {
  return {
    id: 'docker-1',
    name: 'local-registry',
    url: 'https://127.0.0.1:5443',
    scheme: 'UsernamePassword',
    authParameters: { username: 'admin', password: 'registry-password', registry: 'https://127.0.0.1:5443/v2/', email: '' },
    data: { registrytype: 'Others' },
    ...overrides,
  };
}

describe('readDockerRegistryConnection', () => {
  it('reads the login server host:port, the username and the password, and masks the password first', () => {
    const masked: string[] = [];
    const connection = registryConnection();
    const credentials = readDockerRegistryConnection({ endpoint: endpointSource(connection), setSecret: (v) => masked.push(v) }, 'docker-1', 'dockerRegistryServiceConnection');
    assert.deepEqual(credentials, { registry: '127.0.0.1:5443', username: 'admin', password: 'registry-password' });
    assert.deepEqual(masked, ['registry-password']);
  });

  it('falls back to the connection URL when there is no registry parameter', () => {
    const connection = registryConnection({ url: 'https://MyRegistry.azurecr.io/', authParameters: { username: 'u', password: 'p' } });
    assert.equal(readDockerRegistryConnection(connectionSource([connection]), 'docker-1', 'in').registry, 'myregistry.azurecr.io');
  });

  it("reads an 'Azure Container Registry' connection made with a service principal as Docker@2 does", () => {
    const masked: string[] = [];
    const connection = registryConnection({
      url: 'https://management.azure.com/',
      scheme: 'ServicePrincipal',
      authParameters: { loginServer: 'MyRegistry.azurecr.io', serviceprincipalid: 'app-id', serviceprincipalkey: 'spn-secret', tenantId: 'tenant' },
      data: { registrytype: 'ACR', registryId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/MyRegistry' },
    });
    const credentials = readDockerRegistryConnection({ endpoint: endpointSource(connection), setSecret: (v) => masked.push(v) }, 'docker-1', 'in');
    assert.deepEqual(credentials, { registry: 'myregistry.azurecr.io', username: 'app-id', password: 'spn-secret' });
    assert.deepEqual(masked, ['spn-secret']);
  });

  it('points a workload identity registry connection to the azureRM connection type', () => {
    const connection = registryConnection({ scheme: 'WorkloadIdentityFederation', authParameters: { loginServer: 'r.azurecr.io', serviceprincipalid: 'a', tenantid: 't' } });
    assert.throws(() => readDockerRegistryConnection(connectionSource([connection]), 'docker-1', 'in'), /set 'connectionType' to 'azureRM'/);
  });

  it('names the input when the connection is missing, has another scheme, or lacks a password or username', () => {
    const check = (connection: ServiceConnection | undefined, pattern: RegExp): void =>
      assert.throws(
        () => readDockerRegistryConnection(connectionSource(connection ? [connection] : []), 'docker-1', 'containerRegistry'),
        (error: unknown) => error instanceof TaskError && /input 'containerRegistry'/.test(error.message) && pattern.test(error.message),
      );
    check(undefined, /was not found/);
    check(registryConnection({ scheme: 'Token' }), /scheme 'Token'/);
    check(registryConnection({ authParameters: { username: 'u', password: ' ' } }), /no password/);
    check(registryConnection({ authParameters: { password: 'p' } }), /no username/);
  });
});

describe('registryHost', () => {
  it('derives host[:port] from the forms users type', () => {
    assert.equal(registryHost('myregistry.azurecr.io'), 'myregistry.azurecr.io');
    assert.equal(registryHost('https://myregistry.azurecr.io/v2/'), 'myregistry.azurecr.io');
    assert.equal(registryHost('127.0.0.1:5443'), '127.0.0.1:5443');
    assert.equal(registryHost('https://index.docker.io/v1/'), 'docker.io');
  });

  it('rejects what is not a registry', () => {
    assert.throws(() => registryHost('https://user:pw@example.com'), TaskError);
    assert.throws(() => registryHost('http://'), TaskError);
  });
});
