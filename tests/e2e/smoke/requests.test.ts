// SmokeTestModel (bundled) inputs that shape the requests: caCertificate with an https server,
// requestBodyFile, headers, concurrency and maxErrorRate (warm-up not counted).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCertificateAuthority, createServerCertificate } from '../../../emulator/core/certificates';
import { KSERVE_MODEL, startKserveV1Server, startTorchServeServer, TORCH_MODEL, type RunningServer } from '../../fixtures/model-servers';
import { assertFailed, assertSucceeded, runSmokeTest } from './harness';

const KSERVE = { protocol: 'kserveV1', modelName: KSERVE_MODEL, requestBody: '{"instances": [[6.8, 2.8, 4.8, 1.4]]}' };

describe('SmokeTestModel (bundled): request inputs', function () {
  this.timeout(90_000);
  const servers: RunningServer[] = [];
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'smoke-requests-'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    rmSync(folder, { recursive: true, force: true });
  });
  const track = (server: RunningServer): RunningServer => {
    servers.push(server);
    return server;
  };

  it('trusts the caCertificate of an https server, and without it fails at once naming that input', async () => {
    const ca = await createCertificateAuthority(folder, 'Smoke test private CA');
    const server = track(await startKserveV1Server({ tls: await createServerCertificate(ca, folder) }));
    assert.match(server.url, /^https:/);
    const untrusted = await runSmokeTest({ url: server.url, ...KSERVE, readinessTimeoutInSeconds: '600' });
    assertFailed(untrusted, /TLS error .*give its PEM file in 'caCertificate'/);
    assert.equal(server.received.length, 0, 'no request got through the failed handshake');
    const trusted = await runSmokeTest({ url: server.url, ...KSERVE, caCertificate: ca.certificatePath });
    assertSucceeded(trusted);
  });

  it('sends the bytes of requestBodyFile with a Content-Type from its extension', async () => {
    const server = track(await startTorchServeServer());
    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10, 0x80]);
    const file = path.join(folder, 'kitten.png');
    writeFileSync(file, image);
    const run = await runSmokeTest({ url: server.url, protocol: 'torchServe', modelName: TORCH_MODEL, requestBodyFile: file, requests: '2' });
    assertSucceeded(run);
    const inferences = server.received.filter((request) => request.path === `/predictions/${TORCH_MODEL}`);
    assert.equal(inferences.length, 1 + 1 + 2);
    for (const request of inferences) {
      assert.deepEqual(request.body, image);
      assert.equal(request.headers['content-type'], 'image/png');
    }
  });

  it('sends the headers input on every request and never logs their values', async () => {
    const server = track(await startKserveV1Server());
    const run = await runSmokeTest({ url: server.url, ...KSERVE, headers: '# routing\nazureml-model-deployment: blue-7f3a\nX-Smoke: run 42: yes' });
    assertSucceeded(run);
    assert.ok(server.received.length > 3);
    for (const request of server.received) {
      assert.equal(request.headers['azureml-model-deployment'], 'blue-7f3a', `${request.method} ${request.path}`);
      assert.equal(request.headers['x-smoke'], 'run 42: yes');
    }
    assert.match(run.log, /Extra headers: azureml-model-deployment, X-Smoke\./);
    assert.ok(!run.log.includes('blue-7f3a') && !run.log.includes('run 42'), 'a header value in the log');
  });

  it('keeps `concurrency` requests in flight, never more', async () => {
    const server = track(await startKserveV1Server({ latencyInMs: 30 }));
    const run = await runSmokeTest({ url: server.url, ...KSERVE, requests: '16', concurrency: '4', warmupRequests: '0' });
    assertSucceeded(run);
    assert.equal(server.inferences(), 1 + 16);
    assert.ok(server.maxInferencesInFlight() > 1, 'requests were sent one at a time');
    assert.ok(server.maxInferencesInFlight() <= 4, `${server.maxInferencesInFlight()} requests in flight at concurrency 4`);
    assert.match(run.log, /Sending 16 requests at concurrency 4/);
  });

  it('tolerates failed requests up to maxErrorRate (inclusive) and fails above it; warm-up requests are not counted', async () => {
    // Inferences: 1 canary, 2 warm-up (fails, not counted), 3..6 measured: 4 and 6 fail -> 2 of 4.
    const run = async (maxErrorRate: string): Promise<Awaited<ReturnType<typeof runSmokeTest>>> => {
      const server = track(await startKserveV1Server({ failEveryNthInference: 2 }));
      const result = await runSmokeTest({ url: server.url, ...KSERVE, requests: '4', warmupRequests: '1', maxErrorRate });
      assert.equal(server.inferences(), 1 + 1 + 4);
      return result;
    };
    const tolerated = await run('50%');
    assertSucceeded(tolerated);
    assert.equal(tolerated.variables.successRate?.value, '0.5');
    assert.match(tolerated.log, /Failed requests: 2 x 500 Internal Server Error\./);
    assert.match(tolerated.testResults[0]?.contents[0] ?? '', /name="error rate &lt;= 50%"[^>]*>\s*<system-out>2 of 4 requests failed \(50%\)/);
    const refused = await run('0.25');
    assertFailed(refused, /error rate <= 25%: 2 of 4 requests failed \(50%\), above the limit of 25%/);
  });
});
