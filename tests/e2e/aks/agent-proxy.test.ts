/**
 * DeployToAks through the agent's proxy (Agent.ProxyUrl, Agent.ProxyUsername, Agent.ProxyPassword,
 * Agent.ProxyBypassList, read through task-lib; azure-pipelines-agent src/Agent.Worker/Worker.cs hands them
 * to the job, task-lib `getHttpProxyConfiguration` reads them): every HTTP request of the task, Entra ID,
 * the Azure DevOps OIDC token, managed identity, Resource Manager, the registry and the cluster's own
 * https API server (CONNECT, with its own CA), goes through a real forward proxy (Debian's tinyproxy on
 * loopback, whose access log shows it), except what the bypass list matches; the proxy password never
 * appears in any output.
 */
import * as assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import type { TaskRun } from '../../../scripts/agent/task-run';
import { type ForwardProxy, startForwardProxy } from '../../support/forward-proxy';
import { assertNoSecretsLeft } from '../../support/secret-scan';
import { ENTRA_CLUSTER, useAksEnvironment } from './aks-fixture';

describe('DeployToAks@1 end to end: every request through the agent proxy (tinyproxy on loopback)', function () {
  this.timeout(6 * 60_000);
  const suite = useAksEnvironment();
  let proxy: ForwardProxy;
  let image = '';
  let apiServer: URL;

  before(async function () {
    this.timeout(3 * 60_000);
    proxy = await startForwardProxy();
    image = await suite.images.pushHttpd('proxied model', 'e2e/aks-proxy');
    const config = new KubeConfig();
    config.loadFromFile(suite.azure.kubeconfigPath);
    apiServer = new URL(config.getCluster(ENTRA_CLUSTER)?.server ?? '');
  });
  after(async () => {
    await proxy?.stop();
  });
  beforeEach(() => proxy.clearLog());

  const hostOf = (url: string): string => new URL(url).host;
  const tunnels = (): string[] => proxy.requests().filter((request) => request.startsWith('CONNECT ')).map((request) => request.slice('CONNECT '.length));
  const clean = (run: TaskRun): void => assertNoSecretsLeft(run, { secrets: [proxy.password], echoedAsInputs: [proxy.password] });

  it('workload identity: Entra ID, the OIDC token, Resource Manager, the registry and the API server all through the proxy', async () => {
    const { azure } = suite;
    const connection = azure.connections.workloadIdentity;
    const run = await suite.deployToAks({
      connection: 'workloadIdentity',
      inputs: { image, deploymentName: 'iris-proxy' },
      proxy: { url: proxy.url, username: proxy.username, password: proxy.password, bypassList: [] },
    });
    assert.equal(run.result, 'Succeeded', run.log.slice(-3000));
    const seen = tunnels();
    const expected = {
      'Entra ID': hostOf(connection.data.environmentAuthorityUrl ?? connection.url),
      'Azure DevOps (OIDC)': hostOf(azure.job.collectionUri),
      'Resource Manager': hostOf(connection.url),
      'the registry': azure.registry.loginServer,
      'the API server': apiServer.host,
    };
    for (const [what, host] of Object.entries(expected)) assert.ok(seen.includes(host), `the proxy carried the requests to ${what} (${host}): ${seen.join(', ')}`);
    clean(run);
  });

  it('managed identity, with the API server on the bypass list: the identity endpoint and Azure through the proxy, the API server direct', async () => {
    const { azure } = suite;
    const connection = azure.connections.managedIdentity;
    const bypass = `^https://${apiServer.host.replace(/[.[\]]/g, (c) => `\\${c}`)}/`;
    const run = await suite.deployToAks({
      connection: 'managedIdentity',
      inputs: { image, deploymentName: 'iris-proxy-bypass' },
      proxy: { url: proxy.url, username: proxy.username, password: proxy.password, bypassList: [bypass] },
    });
    assert.equal(run.result, 'Succeeded', run.log.slice(-3000));
    const identityEndpoint = azure.agentEnvironment().IDENTITY_ENDPOINT ?? '';
    const requests = proxy.requests();
    assert.ok(
      requests.some((request) => request.startsWith(`GET ${new URL(identityEndpoint).origin}`)) || tunnels().includes(hostOf(identityEndpoint)),
      `the managed identity endpoint through the proxy: ${requests.join(', ')}`,
    );
    assert.ok(tunnels().includes(hostOf(connection.url)), `Resource Manager through the proxy: ${requests.join(', ')}`);
    assert.ok(!tunnels().includes(apiServer.host), `the bypassed API server went direct: ${requests.join(', ')}`);
    clean(run);
  });

  it('with a wrong proxy password nothing reaches the local Azure or the cluster, and no password is shown', async () => {
    const { azure } = suite;
    const wrong = `wrong-${proxy.password}`;
    azure.clearRequests();
    const run = await suite.deployToAks({
      inputs: { image, deploymentName: 'iris-proxy-refused', rolloutTimeoutInMinutes: '1' },
      proxy: { url: proxy.url, username: proxy.username, password: wrong, bypassList: [] },
    });
    assert.equal(run.result, 'Failed', run.log.slice(-3000));
    assert.deepEqual(azure.requests().map((entry) => entry.route), [], 'no request reached the local Azure directly');
    assertNoSecretsLeft(run, { secrets: [proxy.password, wrong], echoedAsInputs: [proxy.password, wrong] });
  });
});
