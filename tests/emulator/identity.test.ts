/** Entra ID through @azure/identity unchanged: secret, certificate, federated and managed identity; real errors. */
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import { decodeJwtPayload, rejectionOf, required, useLocalAzure } from './local-azure-fixture';

const ARM_SCOPE = 'https://management.core.windows.net//.default';

function signedAssertion(pem: string, claims: Record<string, unknown>): string {
  const certificate = new X509Certificate(pem);
  const thumbprint = Buffer.from(certificate.fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5t: thumbprint })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), createPrivateKey(pem)).toString('base64url');
  return `${header}.${body}.${signature}`;
}

describe('local Azure: Entra ID with @azure/identity', function () {
  const azure = useLocalAzure();
  const options = () => ({ authorityHost: azure().authorityHost, disableInstanceDiscovery: true });

  it('issues a Resource Manager token for a client secret, with audience, tenant, object id and expiry', async function () {
    const { authParameters } = azure().connections.spnKey;
    const credential = new ClientSecretCredential(azure().tenantId, required(authParameters.serviceprincipalid, 'id'), required(authParameters.serviceprincipalkey, 'key'), options());
    const token = await credential.getToken(ARM_SCOPE);
    const claims = decodeJwtPayload(token.token);
    assert.equal(claims.aud, 'https://management.core.windows.net/');
    assert.equal(claims.tid, azure().tenantId);
    assert.equal(claims.appid, authParameters.serviceprincipalid);
    assert.match(String(claims.oid), /^[0-9a-f-]{36}$/);
    assert.ok(token.expiresOnTimestamp > Date.now() + 30 * 60_000);
  });

  it('issues a token for a certificate (PEM with the private key, as the connection holds it)', async function () {
    const { authParameters } = azure().connections.spnCertificate;
    const credential = new ClientCertificateCredential(
      azure().tenantId,
      required(authParameters.serviceprincipalid, 'id'),
      { certificate: required(authParameters.servicePrincipalCertificate, 'certificate') },
      options(),
    );
    const token = await credential.getToken('https://management.azure.com/.default');
    assert.equal(decodeJwtPayload(token.token).aud, 'https://management.azure.com');
  });

  it('issues a token for a federated assertion from the emulated Azure DevOps', async function () {
    const connection = azure().connections.workloadIdentity;
    const credential = new ClientAssertionCredential(azure().tenantId, required(connection.authParameters.serviceprincipalid, 'id'), () => Promise.resolve(azure().issueOidcToken(connection.id)), options());
    const token = await credential.getToken(ARM_SCOPE);
    assert.equal(decodeJwtPayload(token.token).appid, connection.authParameters.serviceprincipalid);
  });

  it('issues a token through the App Service managed identity endpoint of agentEnvironment()', async function () {
    const environment = azure().agentEnvironment();
    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = environment.IDENTITY_ENDPOINT;
    process.env.IDENTITY_HEADER = environment.IDENTITY_HEADER;
    try {
      azure().clearRequests();
      const token = await new ManagedIdentityCredential().getToken(ARM_SCOPE);
      assert.equal(decodeJwtPayload(token.token).tid, azure().tenantId);
      assert.deepEqual(azure().requests().map((entry) => entry.route), ['managedIdentity.token']);
    } finally {
      for (const [name, value] of [['IDENTITY_ENDPOINT', saved.endpoint], ['IDENTITY_HEADER', saved.header]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('refuses a wrong client secret with AADSTS7000215 (invalid_client)', async function () {
    const { authParameters } = azure().connections.spnKey;
    const credential = new ClientSecretCredential(azure().tenantId, required(authParameters.serviceprincipalid, 'id'), 'not-the-secret', options());
    const error = await rejectionOf(credential.getToken(ARM_SCOPE));
    assert.match(error.message, /AADSTS7000215: Invalid client secret provided/);
  });

  it('refuses an unknown client with AADSTS700016', async function () {
    const credential = new ClientSecretCredential(azure().tenantId, randomUUID(), 'whatever', options());
    assert.match((await rejectionOf(credential.getToken(ARM_SCOPE))).message, /AADSTS700016: Application with identifier/);
  });

  it('refuses an unknown resource with AADSTS500011', async function () {
    const { authParameters } = azure().connections.spnKey;
    const credential = new ClientSecretCredential(azure().tenantId, required(authParameters.serviceprincipalid, 'id'), required(authParameters.serviceprincipalkey, 'key'), options());
    assert.match((await rejectionOf(credential.getToken('https://vault.example.net/.default'))).message, /AADSTS500011: The resource principal named https:\/\/vault.example.net/);
  });

  it('refuses an expired certificate assertion with AADSTS700024', async function () {
    const { authParameters } = azure().connections.spnCertificate;
    const clientId = required(authParameters.serviceprincipalid, 'id');
    const now = Math.floor(Date.now() / 1000);
    const assertion = signedAssertion(required(authParameters.servicePrincipalCertificate, 'certificate'), {
      aud: `${azure().authorityHost}/${azure().tenantId}/oauth2/v2.0/token`, iss: clientId, sub: clientId, jti: randomUUID(), nbf: now - 7200, exp: now - 3600,
    });
    const credential = new ClientAssertionCredential(azure().tenantId, clientId, () => Promise.resolve(assertion), options());
    assert.match((await rejectionOf(credential.getToken(ARM_SCOPE))).message, /AADSTS700024: Client assertion is not within its valid time range/);
  });

  it('refuses an expired Azure DevOps OIDC token with AADSTS700024', async function () {
    const connection = azure().connections.workloadIdentity;
    const credential = new ClientAssertionCredential(azure().tenantId, required(connection.authParameters.serviceprincipalid, 'id'), () => Promise.resolve(azure().issueOidcToken(connection.id, -600)), options());
    assert.match((await rejectionOf(credential.getToken(ARM_SCOPE))).message, /AADSTS700024/);
  });

  it("refuses a certificate assertion whose audience is not the token endpoint", async function () {
    const { authParameters } = azure().connections.spnCertificate;
    const clientId = required(authParameters.serviceprincipalid, 'id');
    const now = Math.floor(Date.now() / 1000);
    const assertion = signedAssertion(required(authParameters.servicePrincipalCertificate, 'certificate'), { aud: 'https://elsewhere.example/token', iss: clientId, sub: clientId, jti: randomUUID(), nbf: now, exp: now + 600 });
    const credential = new ClientAssertionCredential(azure().tenantId, clientId, () => Promise.resolve(assertion), options());
    assert.match((await rejectionOf(credential.getToken(ARM_SCOPE))).message, /AADSTS700027: Client assertion contains an invalid audience/);
  });

  it('refuses an OIDC token presented for an application without a matching federated credential (AADSTS700211)', async function () {
    const { spnKey, workloadIdentity } = azure().connections;
    const credential = new ClientAssertionCredential(azure().tenantId, required(spnKey.authParameters.serviceprincipalid, 'id'), () => Promise.resolve(azure().issueOidcToken(workloadIdentity.id)), options());
    assert.match((await rejectionOf(credential.getToken(ARM_SCOPE))).message, /AADSTS700211: No matching federated identity record found for presented assertion issuer/);
  });

  it('publishes signing keys whose thumbprint hashes the same key material as the tokens', async function () {
    const response = await fetch(`${azure().authorityHost}/${azure().tenantId}/discovery/v2.0/keys`);
    const body = (await response.json()) as { keys: { kid: string; n: string }[] };
    const key = body.keys[0];
    assert.ok(key);
    assert.equal(key.kid, createHash('sha256').update(key.n).digest('base64url').slice(0, 27));
  });

  it("answers injected faults on its routes in Entra ID's error shape, not ARM's", async function () {
    azure().faults.addHttpFault({ route: 'entra.token', kind: 'status', status: 429, retryAfterInSeconds: 7, count: 1 });
    azure().faults.addHttpFault({ route: 'entra.token', kind: 'status', status: 500, count: 1 });
    try {
      const post = (): Promise<Response> => fetch(`${azure().authorityHost}/${azure().tenantId}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) });
      const throttled = await post();
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '7');
      const body = (await throttled.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'timestamp', 'trace_id']);
      assert.equal(body.error, 'temporarily_unavailable');
      assert.match(String(body.error_description), /^AADSTS90033: /);
      const failed = (await (await post()).json()) as Record<string, unknown>;
      assert.equal(failed.error, 'server_error');
    } finally {
      azure().faults.clear();
    }
  });

  it('serves the AD FS form of the authority (what MSAL reads offline), pointing at the tenant endpoints', async function () {
    const response = await fetch(`${azure().authorityHost}/adfs/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.token_endpoint, `${azure().authorityHost}/${azure().tenantId}/oauth2/v2.0/token`);
    assert.equal(typeof body.authorization_endpoint, 'string');
  });
});
