/**
 * The agent's proxy (Agent.ProxyUrl, Agent.ProxyUsername, Agent.ProxyPassword, Agent.ProxyBypassList, read
 * through task-lib) carries every HTTP request the bundled tasks make: Entra ID, Azure DevOps OIDC,
 * managed identity, Resource Manager, the ACR token exchange and data plane, and SmokeTestModel's
 * requests, unless the bypass list matches. A real forward proxy (Debian's tinyproxy) on loopback logs
 * what it carried; with a wrong proxy password nothing reaches the local Azure; the password never
 * appears in any output.
 */
import * as assert from 'node:assert/strict';
import type { TaskRun } from '../../../scripts/agent/task-run';
import { runBundledTask } from '../../../scripts/agent/run-task';
import { KSERVE_MODEL, type RunningServer, startKserveV1Server } from '../../fixtures/model-servers';
import { type ForwardProxy, startForwardProxy } from '../../support/forward-proxy';
import { assertNoSecretsLeft } from '../../support/secret-scan';
import { runAzureRmBuild, useBuildEnvironment } from '../build/build-fixture';
import { testImages } from '../deploy/deploy-fixture';

describe('agent proxy: every HTTP request of the tasks goes through it (tinyproxy on loopback)', function () {
  this.timeout(6 * 60_000);
  const build = useBuildEnvironment({ name: 'proxy', modelBytes: 16 * 1024, baseBytes: 16 * 1024 });
  let proxy: ForwardProxy;
  let model: RunningServer | undefined;
  before(async () => {
    proxy = await startForwardProxy();
  });
  after(async () => {
    await proxy.stop();
  });
  beforeEach(() => proxy.clearLog());
  afterEach(async () => {
    await model?.close();
    model = undefined;
  });

  const agentProxy = (bypassList: string[] = [], password?: string) => ({ url: proxy.url, username: proxy.username, password: password ?? proxy.password, bypassList });
  const hostOf = (url: string): string => new URL(url).host;
  const connects = (): string[] => proxy.requests().filter((request) => request.startsWith('CONNECT ')).map((request) => request.slice('CONNECT '.length));
  // task-lib itself echoes Agent.ProxyPassword in a debug line when it loads (internal.js _exposeProxySettings);
  // the agent masks it there (a secret variable). Everywhere else, the log included, it must not appear.
  const clean = (run: TaskRun, passwords: string[] = [proxy.password]): void => assertNoSecretsLeft(run, { secrets: passwords, echoedAsInputs: passwords });

  it('BuildAndPushAiImage (workload identity): Entra ID, the OIDC token, Resource Manager, the ACR exchange and manifests', async () => {
    const { azure, baseImage, workspace, agentTemp } = build;
    const connection = azure.connections.workloadIdentity;
    const run = await runAzureRmBuild(azure, baseImage, connection, {
      inputs: { repository: 'e2e/proxy', tags: '1' },
      workingDirectory: workspace.root,
      env: { AGENT_TEMPDIRECTORY: agentTemp },
      proxy: agentProxy(),
    });
    assert.equal(run.result, 'Succeeded', run.log.slice(-3000));
    const routes = new Set(azure.requests().map((entry) => entry.route));
    for (const route of ['entra.token', 'devops.oidcToken', 'acr.registries.list', 'acr.oauth2.exchange']) assert.ok(routes.has(route), `the task made its ${route} request`);
    const tunnels = connects();
    for (const host of [hostOf(connection.url), hostOf(azure.job.collectionUri), azure.registry.loginServer]) {
      assert.ok(tunnels.includes(host), `the proxy carried the requests to ${host}: ${tunnels.join(', ')}`);
    }
    clean(run);
  });

  it('DeployToAci (managed identity): the identity endpoint, Resource Manager and the readiness check', async () => {
    const { azure } = build;
    const images = testImages(azure);
    try {
      const image = await images.pushHttpd('proxied');
      const connection = azure.connections.managedIdentity;
      const run = await runBundledTask({
        task: 'DeployToAciV1',
        inputs: { azureSubscription: connection.id, resourceGroup: azure.resourceGroups[0] ?? 'rg', ports: '80', image, containerGroupName: 'e2e-proxy', readinessProbePath: '/' },
        connections: [connection],
        env: azure.agentEnvironment(),
        proxy: agentProxy(),
        timeoutInMs: 4 * 60_000,
      });
      assert.equal(run.result, 'Succeeded', run.log.slice(-3000));
      const identityEndpoint = azure.agentEnvironment().IDENTITY_ENDPOINT ?? '';
      const tunnels = connects();
      for (const host of [hostOf(identityEndpoint), hostOf(connection.url)]) assert.ok(tunnels.includes(host), `the proxy carried the requests to ${host}: ${tunnels.join(', ')}`);
      assert.ok(proxy.requests().some((request) => /^GET http:\/\/127\.[\d.]+(:80)?\//.test(request)), `the readiness check went through the proxy: ${proxy.requests().join(', ')}`);
      clean(run);
    } finally {
      await images.remove();
    }
  });

  it('SmokeTestModel: the model requests through the proxy, or direct when the bypass list matches; Entra ID always through it', async () => {
    const { azure } = build;
    model = await startKserveV1Server({});
    const inputs = { url: model.url, protocol: 'kserveV1', modelName: KSERVE_MODEL, requestBody: '{"instances": [[6.8, 2.8, 4.8, 1.4]]}', requests: '3' };
    const through = await runBundledTask({ task: 'SmokeTestModelV1', inputs, proxy: agentProxy() });
    assert.equal(through.result, 'Succeeded', through.log);
    assert.ok(proxy.requests().some((request) => request === `GET ${model?.url ?? ''}/v1/models/${KSERVE_MODEL}`), `readiness through the proxy: ${proxy.requests().join(', ')}`);
    assert.ok(proxy.requests().some((request) => request.startsWith(`POST ${model?.url ?? ''}/v1/models/${KSERVE_MODEL}:predict`)), 'inference through the proxy');
    clean(through);

    proxy.clearLog();
    const connection = azure.connections.spnKey;
    const bypassed = await runBundledTask({
      task: 'SmokeTestModelV1',
      inputs: { ...inputs, authentication: 'entraId', azureSubscription: connection.id },
      connections: [connection],
      env: azure.agentEnvironment(),
      proxy: agentProxy([model.url.replace(/[.:/]/g, (c) => `\\${c}`)]),
    });
    assert.ok(model.inferences() > 0);
    assert.deepEqual(proxy.requests().filter((request) => request.includes(model?.url ?? '')), [], 'the bypassed model URL went direct');
    assert.ok(connects().includes(hostOf(connection.data.environmentAuthorityUrl ?? connection.url)), `Entra ID through the proxy: ${proxy.requests().join(', ')}`);
    assert.notEqual(bypassed.message ?? '', '');
    clean(bypassed);
  });

  it('with a wrong proxy password nothing reaches the local Azure, and no password is shown', async () => {
    const { azure } = build;
    azure.clearRequests();
    const connection = azure.connections.spnKey;
    const wrongPassword = `wrong-${proxy.password}`;
    const run = await runBundledTask({
      task: 'SmokeTestModelV1',
      inputs: { url: 'http://127.0.0.1:9', protocol: 'kserveV1', modelName: 'iris', requestBody: '{"instances": [[1]]}', authentication: 'entraId', azureSubscription: connection.id, readinessTimeoutInSeconds: '5' },
      connections: [connection],
      env: azure.agentEnvironment(),
      proxy: agentProxy([], wrongPassword),
    });
    assert.equal(run.result, 'Failed', run.log);
    assert.deepEqual(azure.requests().map((entry) => entry.route), [], 'no request reached the local Azure directly');
    clean(run, [proxy.password, wrongPassword]);
  });
});
