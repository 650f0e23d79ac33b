import { strict as assert } from 'node:assert';
import { readAzureRmConnection } from '../../../tasks/common/azure/arm-connection';
import { armScope, createTokenCredential } from '../../../tasks/common/azure/credential';
import { createAzureSession } from '../../../tasks/common/azure/session';
import { TaskError } from '../../../tasks/common/errors';
import { silentLog } from '../../support/silent-log';
import { armConnection, connectionSource } from './endpoint-fixtures';
import { fakeEntra } from './fake-entra';


function connectionOf(overrides: Parameters<typeof armConnection>[0]) {
  const raw = armConnection(overrides);
  return readAzureRmConnection(connectionSource([raw]), raw.id, 'azureSubscription');
}

/** A workload-identity credential whose OIDC source hands out `idToken(serviceConnectionId)`. */
function workloadIdentityCredential(entra: ReturnType<typeof fakeEntra>, idToken: (id: string) => Promise<string>) {
  const connection = connectionOf({ scheme: 'WorkloadIdentityFederation', authParameters: { serviceprincipalid: 'app-id', tenantid: 'tenant-id' } });
  return { connection, credential: createTokenCredential(connection, { log: silentLog, httpClient: entra.httpClient, oidc: { idToken } }) };
}

describe('createTokenCredential', () => {
  it('gets a token with a client secret from the connection\'s own authority', async () => {
    const entra = fakeEntra();
    const connection = connectionOf({});
    const credential = await createTokenCredential(connection, { log: silentLog, httpClient: entra.httpClient });
    const token = await credential.getToken(armScope(connection));
    assert.equal(token?.token, 'access-token-1');
    const request = entra.tokenRequests[0];
    assert.equal(request?.url.split('?')[0], 'https://127.0.0.1:8443/tenant-id/oauth2/v2.0/token');
    assert.equal(request?.form.get('client_id'), 'app-id');
    assert.equal(request?.form.get('client_secret'), 'spn-secret-value');
    assert.equal(request?.form.get('scope')?.split(' ').includes('https://management.core.windows.net//.default'), true);
  });

  it('asks for a fresh OIDC token for every token request (workload identity federation)', async () => {
    const entra = fakeEntra();
    let issued = 0;
    const credential = await workloadIdentityCredential(entra, (id) => Promise.resolve(`oidc-${id.slice(0, 4)}-${++issued}`)).credential;
    await credential.getToken('https://management.core.windows.net//.default');
    await credential.getToken('https://containerregistry.azure.net/.default');
    // MSAL may ask for an assertion more often than it sends one; what matters is that no request reuses one.
    const assertions = entra.tokenRequests.map((r) => r.form.get('client_assertion'));
    assert.equal(assertions.length, 2);
    assert.equal(new Set(assertions).size, 2);
    for (const assertion of assertions) assert.match(assertion ?? '', /^oidc-c0ff-\d+$/);
    assert.equal(entra.tokenRequests[0]?.form.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  });

  it('asks Entra ID once per scope for all the clients of a task, with a fresh OIDC assertion each time it asks', async () => {
    const entra = fakeEntra();
    let issued = 0;
    const { connection, credential: pending } = workloadIdentityCredential(entra, () => Promise.resolve(`oidc-${++issued}`));
    const credential = await pending;
    const tokens = await Promise.all([credential.getToken(armScope(connection)), credential.getToken(armScope(connection))]);
    await credential.getToken(armScope(connection));
    assert.equal(new Set(tokens.map((t) => t?.token)).size, 1);
    assert.equal(entra.tokenRequests.length, 1, 'one Entra ID request for three clients');
    assert.equal(issued, 1, 'one OIDC assertion, for the one request that was made');
  });

  it("uses the connection's idToken when it carries one", async () => {
    const entra = fakeEntra();
    const connection = connectionOf({ scheme: 'WorkloadIdentityFederation', authParameters: { serviceprincipalid: 'a', tenantid: 't', idToken: 'given-id-token' } });
    const credential = await createTokenCredential(connection, { log: silentLog, httpClient: entra.httpClient });
    await credential.getToken(armScope(connection));
    assert.equal(entra.tokenRequests[0]?.form.get('client_assertion'), 'given-id-token');
  });

  it('fails clearly when workload identity federation has neither an idToken nor an OIDC source', async () => {
    const connection = connectionOf({ scheme: 'WorkloadIdentityFederation', authParameters: { serviceprincipalid: 'a', tenantid: 't' } });
    await assert.rejects(createTokenCredential(connection, { log: silentLog }), (error: unknown) => error instanceof TaskError && /no OIDC token source/.test(error.message));
  });

  it('turns an Entra ID error into a TaskError that names the connection and says what to check', async () => {
    const entra = fakeEntra({ fail: { error: 'invalid_client', description: 'AADSTS7000215: Invalid client secret provided.' } });
    const connection = connectionOf({});
    const credential = await createTokenCredential(connection, { log: silentLog, httpClient: entra.httpClient });
    await assert.rejects(credential.getToken(armScope(connection)), (error: unknown) => {
      assert.ok(error instanceof TaskError);
      assert.match(error.message, /service connection 'c0ffee00-0000-4000-8000-000000000001' \(service principal with a secret\)/);
      assert.match(error.message, /AADSTS7000215/);
      assert.match(error.message, /has not expired/);
      assert.doesNotMatch(error.message, /spn-secret-value/);
      return true;
    });
  });

  it('creates a managed identity credential without touching the network', async () => {
    const connection = connectionOf({ scheme: 'ManagedServiceIdentity', authParameters: {}, data: { ...armConnection().data, msiclientId: 'mi' } });
    const credential = await createTokenCredential(connection, { log: silentLog, httpClient: fakeEntra().httpClient });
    assert.equal(typeof credential.getToken, 'function');
  });
});

describe('createAzureSession', () => {
  function sessionHost(raw: ReturnType<typeof armConnection>, variables: Record<string, string> = {}, masked: string[] = []) {
    return { ...silentLog, ...connectionSource([raw], masked), variable: (name: string) => variables[name] };
  }

  it('gives workload identity federation without an idToken its OIDC token source (from the job, which must name its facts)', async () => {
    const raw = armConnection({ scheme: 'WorkloadIdentityFederation', authParameters: { serviceprincipalid: 'app-id', tenantid: 'tenant-id' } });
    const host = sessionHost(raw);
    const session = await createAzureSession(readAzureRmConnection(host, raw.id, 'azureSubscription'), host);
    await assert.rejects(session.credential.getToken(armScope(session.connection)), (error: unknown) => error instanceof TaskError && /System\.CollectionUri is not set/.test(error.message));
  });

  it('holds the connection it was made for, whose secret was masked as it was read', async () => {
    const raw = armConnection();
    const masked: string[] = [];
    const host = sessionHost(raw, {}, masked);
    const session = await createAzureSession(readAzureRmConnection(host, raw.id, 'azureSubscription'), host);
    assert.deepEqual(masked, ['spn-secret-value']);
    assert.equal(session.connection.id, raw.id);
  });
});
