import { strict as assert } from 'node:assert';
import { readAzureRmConnection } from '../../../tasks/common/azure/arm-connection';
import { armScope, createTokenCredential } from '../../../tasks/common/azure/credential';
import { createOidcTokenSource } from '../../../tasks/common/azure/oidc-token';
import { createAzureSession } from '../../../tasks/common/azure/session';
import { TaskError } from '../../../tasks/common/errors';
import { silentLog } from '../../support/silent-log';
import type { ServiceConnection } from '../../../emulator/service-connection';
import { decodeJwtPayload, useLocalAzure } from '../../emulator/local-azure-fixture';
import { endpointSource } from '../../unit/common/endpoint-fixtures';


/** tasks/common credentials against the local Azure, for each scheme of an Azure Resource Manager connection. */
describe('Azure credentials from service connections, against the local Azure', function () {
  this.timeout(60_000);
  const azure = useLocalAzure();

  async function tokenFor(connection: ServiceConnection, scopes: string[] = []): Promise<{ tokens: string[]; masked: string[] }> {
    const masked: string[] = [];
    const env = azure().agentEnvironment();
    const runtime = {
      ...silentLog,
      endpoint: endpointSource(connection),
      variable: (name: string) => env[name.replace(/\./g, '_').toUpperCase()],
      // As task-lib does: the agent refuses multi-line secrets.
      setSecret: (value: string) => {
        if (/[\r\n]/.test(value)) throw new Error('Secrets cannot contain multiple lines');
        masked.push(value);
      },
    };
    const parsed = readAzureRmConnection(runtime, connection.id, 'azureSubscription');
    const { credential } = await createAzureSession(parsed, runtime);
    const tokens: string[] = [];
    for (const scope of [armScope(parsed), ...scopes]) {
      const token = await credential.getToken(scope);
      assert.ok(token, `no token for ${scope}`);
      tokens.push(token.token);
    }
    return { tokens, masked };
  }

  it('service principal with a secret', async () => {
    const { tokens, masked } = await tokenFor(azure().connections.spnKey);
    assert.equal(decodeJwtPayload(tokens[0] ?? '').tid, azure().tenantId);
    assert.ok(masked.includes(azure().connections.spnKey.authParameters.serviceprincipalkey ?? '-'));
  });

  it('service principal with a certificate', async () => {
    const { tokens } = await tokenFor(azure().connections.spnCertificate);
    assert.equal(decodeJwtPayload(tokens[0] ?? '').tid, azure().tenantId);
  });

  it('workload identity federation: a fresh OIDC token from Azure DevOps for every token request', async () => {
    azure().clearRequests();
    const { tokens, masked } = await tokenFor(azure().connections.workloadIdentity, ['https://containerregistry.azure.net/.default']);
    assert.equal(tokens.length, 2);
    const oidcRequests = azure().requests().filter((request) => request.route === 'devops.oidcToken' && request.status === 200);
    // MSAL may ask for an assertion more than once per token request; never less (no cached OIDC token).
    assert.ok(oidcRequests.length >= tokens.length, `${oidcRequests.length} OIDC token request(s) for ${tokens.length} tokens`);
    assert.ok(masked.includes(azure().job.accessToken), 'the job access token is masked');
    assert.equal(masked.length, 1 + oidcRequests.length, 'the access token and every OIDC token are masked');
  });

  it('workload identity federation with a wrong job access token fails with a message naming the connection', async () => {
    const connection = azure().connections.workloadIdentity;
    const runtime = { endpoint: endpointSource(connection), variable: () => undefined, setSecret: () => undefined };
    const parsed = readAzureRmConnection(runtime, connection.id, 'azureSubscription');
    const job = { ...azure().job, accessToken: 'not-the-job-token' };
    const credential = await createTokenCredential(parsed, { log: silentLog, oidc: createOidcTokenSource(job, { log: silentLog, setSecret: () => undefined, clock: { now: () => 0, sleep: () => Promise.resolve() } }) });
    await assert.rejects(credential.getToken(armScope(parsed)), (error: unknown) => error instanceof TaskError && error.message.includes(connection.id));
  });

  it('managed identity (the agent VM identity endpoint)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, azure().agentEnvironment());
    try {
      const { tokens } = await tokenFor(azure().connections.managedIdentity);
      assert.ok((tokens[0] ?? '').split('.').length === 3);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
