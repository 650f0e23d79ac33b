/** The emulated Azure DevOps oidctoken endpoint through azure-devops-node-api's TaskApi.createOidcToken, unchanged. */
import assert from 'node:assert/strict';
import * as azdev from 'azure-devops-node-api';
import { decodeJwtPayload, rejectionOf, useLocalAzure } from './local-azure-fixture';

describe('local Azure: Azure DevOps OIDC with azure-devops-node-api', function () {
  const azure = useLocalAzure();

  async function createOidcToken(accessToken: string, connectionId: string): Promise<string | undefined> {
    const { job } = azure();
    const connection = new azdev.WebApi(job.collectionUri, azdev.getBearerHandler(accessToken));
    const taskApi = await connection.getTaskApi();
    const response = await taskApi.createOidcToken({}, job.teamProjectId, job.hostType, job.planId, job.jobId, connectionId);
    return response.oidcToken;
  }

  it("returns an OIDC token for the connection's subject, issued by the organisation, for api://AzureADTokenExchange", async function () {
    const connection = azure().connections.workloadIdentity;
    const token = await createOidcToken(azure().job.accessToken, connection.id);
    assert.ok(token);
    const claims = decodeJwtPayload(token);
    assert.equal(claims.sub, connection.authParameters.workloadIdentityFederationSubject);
    assert.equal(claims.iss, connection.authParameters.workloadIdentityFederationIssuer);
    assert.equal(claims.aud, 'api://AzureADTokenExchange');
    assert.match(String(claims.sub), /^sc:\/\/local-azure\/models\/local-azure-workload-identity$/);
    const lifetime = Number(claims.exp) - Number(claims.iat);
    assert.ok(lifetime > 0 && lifetime <= 900, `lifetime ${lifetime}s`);
    assert.deepEqual(azure().requests().filter((entry) => entry.route.startsWith('devops.')).map((entry) => `${entry.method} ${entry.route} ${entry.status}`), [
      'OPTIONS devops.resourceLocations 200',
      'POST devops.oidcToken 200',
    ]);
  });

  it('refuses a caller without the job access token with 401', async function () {
    const error = await rejectionOf(createOidcToken('not-the-job-token', azure().connections.workloadIdentity.id));
    assert.equal(error.statusCode, 401);
  });

  it('refuses a connection that is not in the project', async function () {
    const error = await rejectionOf(createOidcToken(azure().job.accessToken, '5d3c1e36-0000-4000-8000-000000000000'));
    assert.equal(error.statusCode, 400);
    assert.match(error.message, /Service connection '5d3c1e36-0000-4000-8000-000000000000' was not found/);
  });
});

describe('local Azure: the oidctoken route called directly, as Microsoft\'s own tasks call it', function () {
  const azure = useLocalAzure();

  async function post(query: string, headers: Record<string, string> = {}): Promise<{ status: number; body: { oidcToken?: string; typeKey?: string; message?: string } }> {
    const { job } = azure();
    const url = `${job.collectionUri.replace(/\/?$/, '/')}${job.teamProjectId}/_apis/distributedtask/hubs/${job.hostType}/plans/${job.planId}/jobs/${job.jobId}/oidctoken?serviceConnectionId=${azure().connections.workloadIdentity.id}${query}`;
    const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${job.accessToken}`, 'content-type': 'application/json', ...headers }, body: '{}' });
    return { status: response.status, body: (await response.json()) as { oidcToken?: string } };
  }

  it('issues a token for api-version=7.1-preview.1 with no resource-location lookup first', async function () {
    azure().clearRequests();
    const answer = await post('&api-version=7.1-preview.1');
    assert.equal(answer.status, 200);
    assert.ok(answer.body.oidcToken);
    assert.deepEqual(azure().requests().filter((entry) => entry.route.startsWith('devops.')).map((entry) => `${entry.method} ${entry.route} ${entry.status}`), ['POST devops.oidcToken 200']);
  });

  it('takes the api-version from the Accept header too', async function () {
    assert.equal((await post('', { accept: 'application/json;api-version=7.2-preview.1' })).status, 200);
  });

  it('refuses a request without an api-version, as Azure DevOps does', async function () {
    const answer = await post('');
    assert.equal(answer.status, 400);
    assert.equal(answer.body.typeKey, 'VssVersionNotSpecifiedException');
    assert.match(answer.body.message ?? '', /No api-version was supplied for the "POST" request/);
  });

  it('refuses a released version of this preview resource, and one above the server maximum', async function () {
    const released = await post('&api-version=7.1');
    assert.equal(released.status, 400);
    assert.equal(released.body.typeKey, 'VssInvalidPreviewVersionException');
    assert.equal((await post('&api-version=9.0-preview.1')).body.typeKey, 'VssVersionOutOfRangeException');
  });
});
