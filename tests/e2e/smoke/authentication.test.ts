// SmokeTestModel's authentication as the agent runs it: TorchServe's own token refusal, testing that an
// endpoint enforces its key (an expected 401 is the answer, not a wrong key), and Entra ID
// tokens from each kind of Azure Resource Manager connection, checked by a server against the local
// Azure's signing keys, never shown in the log.
import { strict as assert } from 'node:assert';
import { secretsOf } from '../../../emulator/service-connection';
import type { TaskRun } from '../../../scripts/agent/run-task';
import { useLocalAzure } from '../../emulator/local-azure-fixture';
import { assertNoSecretsLeft } from '../../support/secret-scan';
import { OIP_MODEL, OPENAI_MODEL, startAzureMlServer, startOpenAiServer, startOpenInferenceServer, startTorchServeServer, TORCH_MODEL, type RunningServer } from '../../fixtures/model-servers';
import { createEntraTokenValidator, type EntraTokenValidator } from '../../fixtures/model-servers/entra-token-validator';
import { assertFailed, assertSucceeded, runSmokeTest } from './harness';

describe('SmokeTestModel (bundled): authentication', function () {
  this.timeout(120_000);
  const servers: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  describe('TorchServe token authorization (400 InvalidKeyException, as TorchServe answers)', () => {
    it('detects TorchServe behind its token check and fails at once with the token hint when no token is given', async () => {
      const server = await startTorchServeServer({ token: 'inference-key-1' });
      servers.push(server);
      const run = await runSmokeTest({ url: server.url, modelName: TORCH_MODEL, requestBody: 'raw', readinessTimeoutInSeconds: '600' });
      assertFailed(run, /GET \/ping.*refused the credentials \(400 Bad Request: InvalidKeyException: Token Authorization failed.*'bearerToken'.*key_file\.json/s);
      assert.match(run.log, /Detected TorchServe: GET \/ping answered TorchServe's InvalidKeyException/);
      // One round of detection probes, then the one /ping that is refused: nothing is retried.
      assert.ok(server.received.length <= 6, `${server.received.length} requests: the refusal was retried`);
      assert.equal(server.inferences(), 0);
    });

    it('fails at once on a wrong token, and passes with the right one', async () => {
      const server = await startTorchServeServer({ token: 'inference-key-1' });
      servers.push(server);
      const inputs = { url: server.url, protocol: 'torchServe', modelName: TORCH_MODEL, requestBody: 'raw', authentication: 'bearerToken' };
      const wrong = await runSmokeTest({ ...inputs, bearerToken: 'expired-key' });
      assertFailed(wrong, /healthy \(GET \/ping\): the server refused the credentials \(400 Bad Request: InvalidKeyException/);
      assert.equal(server.received.length, 1, 'the refusal must not be retried');
      const right = await runSmokeTest({ ...inputs, bearerToken: 'inference-key-1' });
      assertSucceeded(right);
      for (const run of [wrong, right]) assertNoSecretsLeft(run, { secrets: ['expired-key', 'inference-key-1'], echoedAsInputs: ['expired-key', 'inference-key-1'] });
    });
  });

  describe("testing that the endpoint enforces its key (expectedStatus '401')", () => {
    const KEY = 'vllm-api-key-7f3a9c';
    const WRONG = 'wrong-api-key-0000';

    it('passes against a vLLM-style server without the key: waits for the open /health, then every inference is refused with 401', async () => {
      // vLLM's --api-key guards /v1/* only; /health stays open and answers 503 while the model loads.
      const server = await startOpenAiServer({ token: KEY, publicPaths: ['/health'], notReadyProbes: 2 });
      servers.push(server);
      const run = await runSmokeTest({
        url: server.url, protocol: 'openai', modelName: OPENAI_MODEL, expectedStatus: '401', assertions: "$.error == 'Unauthorized'", requests: '3', readinessTimeoutInSeconds: '60',
      });
      assertSucceeded(run);
      assert.match(run.log, /not ready yet: the server is loading the model \(503\)/, 'it waited for the server');
      assert.match(run.log, /Ready: model loaded \(GET \/health\) after 3 attempts\./);
      const inferences = server.received.filter((request) => request.path === '/v1/chat/completions');
      assert.equal(inferences.length, 1 + 1 + 3, 'canary, one warm-up, three measured');
      assert.ok(inferences.every((request) => !request.authorized));
      assert.equal(run.variables.successRate?.value, '1');
      const junit = run.testResults[0]?.contents[0] ?? '';
      assert.match(junit, /<testcase [^>]*name="canary inference: POST \/v1\/chat\/completions answers 401"/);
      assert.match(junit, /<testcase [^>]*name="\$\.error == &apos;Unauthorized&apos;"[^>]*>\s*<system-out>held on 4 of 4 answers/);
      assert.doesNotMatch(junit, /\(protocol\)/, "the OpenAI answer shape is not checked on a refusal");
    });

    it('fails when the endpoint serves the request instead of refusing it, and never shows the key', async () => {
      const server = await startOpenAiServer({ token: KEY, publicPaths: ['/health'] });
      servers.push(server);
      const run = await runSmokeTest(
        { url: server.url, protocol: 'openai', modelName: OPENAI_MODEL, expectedStatus: '401', authentication: 'bearerToken', bearerToken: '$(endpointKey)' },
        { secretVariables: { endpointKey: KEY } },
      );
      assertFailed(run, /canary inference.*answered 200 OK: it served the request instead of refusing the credentials, so it does not enforce authentication here \(expected 401\)/s);
      assertNoSecretsLeft(run, { secrets: [KEY] });
    });

    it('passes behind a gateway that refuses every path, readiness included, with a wrong key in an API key header', async () => {
      const server = await startOpenInferenceServer({ token: KEY, apiKeyHeader: 'api-key' });
      servers.push(server);
      const run = await runSmokeTest(
        {
          url: server.url, protocol: 'openInference', modelName: OIP_MODEL, requestBody: '{"inputs": []}', expectedStatus: '401',
          authentication: 'apiKey', apiKey: '$(wrongKey)', readinessTimeoutInSeconds: '600',
        },
        { secretVariables: { wrongKey: WRONG } },
      );
      assertSucceeded(run);
      assert.match(run.log, /Ready: server ready \(GET \/v2\/health\/ready\): the server refuses the credentials \(401 Unauthorized\), as expected\./);
      assert.deepEqual([...new Set(server.received.map((request) => `${request.method} ${request.path}`))], ['GET /v2/health/ready', `POST /v2/models/${OIP_MODEL}/infer`]);
      assertNoSecretsLeft(run, { secrets: [KEY, WRONG] });
    });

    it("fails at once, naming the status to expect, when TorchServe refuses with its 400 InvalidKeyException; passes expecting 400", async () => {
      const server = await startTorchServeServer({ token: KEY });
      servers.push(server);
      const inputs = { url: server.url, protocol: 'torchServe', modelName: TORCH_MODEL, requestBody: 'raw', readinessTimeoutInSeconds: '600' };
      const expected401 = await runSmokeTest({ ...inputs, expectedStatus: '401' });
      assertFailed(expected401, /healthy \(GET \/ping\): the server refused the credentials with 400 Bad Request: InvalidKeyException.*not 401: .*set 'expectedStatus' to 400/s);
      assert.equal(server.received.length, 1, 'not retried');
      const expected400 = await runSmokeTest({ ...inputs, expectedStatus: '400', assertions: "$.type == 'InvalidKeyException'" });
      assertSucceeded(expected400);
    });
  });

  describe('Entra ID token through an Azure Resource Manager connection (local Azure)', () => {
    const azure = useLocalAzure();
    let validator: EntraTokenValidator;
    let server: RunningServer;

    before(async () => {
      validator = await createEntraTokenValidator({ authorityHost: azure().authorityHost, tenantId: azure().tenantId, audience: 'https://ml.azure.com', caCertificatePem: azure().caCertificatePem });
    });
    beforeEach(async () => {
      server = await startAzureMlServer({ authorize: (authorization) => validator.authorize(authorization) });
      servers.push(server);
    });

    const run = (connection: 'spnKey' | 'spnCertificate' | 'workloadIdentity', inputs: Record<string, string> = {}): Promise<TaskRun> =>
      runSmokeTest(
        { url: server.url, protocol: 'azureml', requestBody: '{"data": [[5.1, 3.5, 1.4, 0.2]]}', authentication: 'entraId', azureSubscription: azure().connections[connection].id, ...inputs },
        { connections: Object.values(azure().connections), env: azure().agentEnvironment() },
      );

    for (const [connection, title] of [
      ['spnKey', 'service principal with a secret'],
      ['workloadIdentity', 'workload identity federation (OIDC token from the job)'],
      ['spnCertificate', 'service principal with a certificate'],
    ] as const) {
      it(`sends a valid token for https://ml.azure.com with a ${title}, and never shows it`, async () => {
        const accepted = validator.accepted.length;
        const before = new Set(validator.tokensSeen);
        const result = await run(connection);
        const tokens = [...validator.tokensSeen].filter((token) => !before.has(token));
        assertSucceeded(result);
        const claims = validator.accepted.slice(accepted);
        assert.ok(claims.length >= server.received.length, 'every request carried a valid token');
        const clientId = azure().connections[connection].authParameters.serviceprincipalid;
        assert.ok(claims.every((claim) => claim.aud === 'https://ml.azure.com' && claim.appid === clientId), JSON.stringify(claims[0]));
        assert.match(result.log, /Authorization: Bearer \*\*\*' \(Entra ID token for https:\/\/ml\.azure\.com\/\.default/);
        assert.ok(tokens.length > 0);
        assert.ok(tokens.every((token) => result.secrets.includes(token)), 'the Entra ID token was not registered for masking');
        assertNoSecretsLeft(result, { secrets: [...tokens, ...secretsOf(azure().connections[connection]), azure().job.accessToken] });
      });
    }

    it('fails at once with the authentication hint when the token is for another resource', async () => {
      const refusals = validator.refusals.length;
      const result = await run('spnKey', { entraScope: 'https://management.azure.com/.default' });
      assertFailed(result, /401 Unauthorized.*'entraId' with scope https:\/\/ml\.azure\.com\/\.default/s);
      assert.deepEqual(validator.refusals.slice(refusals), ['audience https://management.azure.com'], 'one request, refused for its audience, not retried');
      assertNoSecretsLeft(result, { secrets: [...validator.tokensSeen, ...secretsOf(azure().connections.spnKey)] });
    });
  });
});
