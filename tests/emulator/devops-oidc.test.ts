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
