import { strict as assert } from 'node:assert';
import { armScope, readAzureRmConnection } from '../../../tasks/common/azure/arm-connection';
import { registerSecret } from '../../../tasks/common/secret-masking';
import { TaskError } from '../../../tasks/common/errors';
import { TEST_PEM, armConnection, connectionSource, endpointSource } from './endpoint-fixtures';

const INPUT = 'azureSubscription';

function read(connection = armConnection(), masked: string[] = []) {
  const setSecret = (value: string): void => {
    // As task-lib does: the agent refuses multi-line secrets.
    if (/[\r\n]/.test(value)) throw new Error('Secrets cannot contain multiple lines');
    masked.push(value);
  };
  return readAzureRmConnection({ endpoint: endpointSource(connection), setSecret }, connection.id, INPUT);
}

function throwsTaskError(action: () => unknown, pattern: RegExp): void {
  assert.throws(action, (error: unknown) => error instanceof TaskError && pattern.test(error.message));
}

describe('readAzureRmConnection', () => {
  it('reads a service principal with a secret, the cloud from the connection, and masks the secret', () => {
    const masked: string[] = [];
    const connection = read(armConnection(), masked);
    assert.deepEqual(connection, {
      id: armConnection().id,
      scheme: 'ServicePrincipalKey',
      clientId: 'app-id',
      tenantId: 'tenant-id',
      secret: 'spn-secret-value',
      subscriptionId: '11111111-2222-3333-4444-555555555555',
      subscriptionName: 'Local subscription',
      resourceManagerUrl: 'https://127.0.0.1:8443/',
      authorityHost: 'https://127.0.0.1:8443/',
      audience: 'https://management.core.windows.net/',
    });
    assert.deepEqual(masked, ['spn-secret-value']);
  });

  it('compares the scheme case-insensitively and defaults authenticationType to spnKey', () => {
    const base = armConnection();
    const { authenticationType: _ignored, ...auth } = base.authParameters;
    assert.equal(read(armConnection({ scheme: 'serviceprincipal', authParameters: auth })).scheme, 'ServicePrincipalKey');
  });

  it('reads a service principal with a certificate and masks the PEM', () => {
    const masked: string[] = [];
    const connection = read(
      armConnection({ authParameters: { serviceprincipalid: 'app-id', tenantid: 't', authenticationType: 'spnCertificate', servicePrincipalCertificate: TEST_PEM } }),
      masked,
    );
    assert.equal(connection.scheme, 'ServicePrincipalCertificate');
    assert.equal(connection.certificatePem, TEST_PEM);
    // Line by line (the agent refuses multi-line secrets), without the PEM armour.
    assert.deepEqual(masked, ['MIIBszCCAVmgAwIBAgIUfake', 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHfake']);
  });

  it('rejects a certificate without a private key', () => {
    const certificateOnly = TEST_PEM.split('-----BEGIN PRIVATE KEY-----')[0] ?? '';
    throwsTaskError(
      () => read(armConnection({ authParameters: { serviceprincipalid: 'a', tenantid: 't', authenticationType: 'spnCertificate', servicePrincipalCertificate: certificateOnly } })),
      /certificate without a private key/,
    );
  });

  it('reads workload identity federation with and without an idToken', () => {
    const masked: string[] = [];
    const withToken = read(
      armConnection({ scheme: 'WorkloadIdentityFederation', authParameters: { serviceprincipalid: 'app', tenantid: 't', idToken: 'oidc.jwt.value' } }),
      masked,
    );
    assert.equal(withToken.scheme, 'WorkloadIdentityFederation');
    assert.equal(withToken.idToken, 'oidc.jwt.value');
    assert.deepEqual(masked, ['oidc.jwt.value']);
    const without = read(armConnection({ scheme: 'workloadidentityfederation', authParameters: { serviceprincipalid: 'app', tenantid: 't' } }));
    assert.equal(without.idToken, undefined);
    assert.equal(without.secret, undefined);
  });

  it('reads a managed identity, with and without a user-assigned client id', () => {
    const system = read(armConnection({ scheme: 'ManagedServiceIdentity', authParameters: { tenantid: 't' } }));
    assert.equal(system.scheme, 'ManagedServiceIdentity');
    assert.equal(system.msiClientId, undefined);
    const user = read(armConnection({ scheme: 'ManagedServiceIdentity', authParameters: {}, data: { ...armConnection().data, msiclientId: 'mi-client' } }));
    assert.equal(user.msiClientId, 'mi-client');
    assert.equal(user.tenantId, '');
  });

  it('names the input and the connection when the connection is missing', () => {
    assert.throws(
      () => readAzureRmConnection(connectionSource(), 'nope', INPUT),
      (error: unknown) => error instanceof TaskError && /'nope' \(input 'azureSubscription'\) was not found/.test(error.message),
    );
  });

  it('rejects an unknown or missing scheme', () => {
    throwsTaskError(() => read(armConnection({ scheme: 'PublishProfile' })), /scheme 'PublishProfile'.*does not support/);
    throwsTaskError(() => read(armConnection({ scheme: '' })), /no authentication scheme/);
    throwsTaskError(() => read(armConnection({ authParameters: { serviceprincipalid: 'a', tenantid: 't', authenticationType: 'spnOther' } })), /'spnOther'/);
  });

  it('names a missing key', () => {
    throwsTaskError(() => read(armConnection({ authParameters: { serviceprincipalid: 'a', tenantid: 't' } })), /'serviceprincipalkey'/);
    throwsTaskError(() => read(armConnection({ authParameters: { serviceprincipalkey: 'k', tenantid: 't' } })), /'serviceprincipalid'/);
    throwsTaskError(() => read(armConnection({ scheme: 'WorkloadIdentityFederation', authParameters: { serviceprincipalid: 'a' } })), /'tenantid'/);
  });

  it('requires a subscription', () => {
    const { subscriptionId: _ignored, ...data } = armConnection().data;
    throwsTaskError(() => read(armConnection({ data })), /names no subscription/);
  });

  it('requires https for the authority and the Resource Manager URL', () => {
    throwsTaskError(() => read(armConnection({ data: { ...armConnection().data, environmentAuthorityUrl: 'http://login.local/' } })), /must be an https URL/);
    throwsTaskError(() => read(armConnection({ url: 'http://127.0.0.1:8080/' })), /Resource Manager URL must be an https URL/);
    throwsTaskError(() => read(armConnection({ url: 'not a url' })), /not a valid URL/);
  });

  it('defaults the authority to the public cloud only for AzureCloud, and the audience to the Resource Manager URL', () => {
    const { environmentAuthorityUrl: _a, activeDirectoryServiceEndpointResourceId: _b, ...data } = armConnection().data;
    const connection = read(armConnection({ data }));
    assert.equal(connection.authorityHost, 'https://login.microsoftonline.com/');
    assert.equal(connection.audience, 'https://127.0.0.1:8443/');
    throwsTaskError(() => read(armConnection({ data: { ...data, environment: 'AzureStack' } })), /names no Entra ID authority/);
  });

  it('masks the secret through the one ConnectionSource shape (there is no unmasked way to read it)', () => {
    const connection = armConnection();
    const masked: string[] = [];
    assert.equal(readAzureRmConnection(connectionSource([connection], masked), connection.id, INPUT).secret, 'spn-secret-value');
    assert.deepEqual(masked, ['spn-secret-value']);
  });
});

describe('armScope', () => {
  it('is the audience followed by /.default', () => {
    assert.equal(armScope({ audience: 'https://management.core.windows.net/' }), 'https://management.core.windows.net//.default');
    assert.equal(armScope({ audience: 'https://management.azure.com' }), 'https://management.azure.com/.default');
  });
});

describe('registerSecret', () => {
  it('registers a multi-line secret line by line, without blank lines or PEM armour', () => {
    const registered: string[] = [];
    registerSecret('-----BEGIN PRIVATE KEY-----\r\nAAA\r\n\r\n BBB \n-----END PRIVATE KEY-----\n', (value) => registered.push(value));
    assert.deepEqual(registered, ['AAA', 'BBB']);
    registerSecret('single-line', (value) => registered.push(value));
    assert.deepEqual(registered.slice(2), ['single-line']);
  });
});
