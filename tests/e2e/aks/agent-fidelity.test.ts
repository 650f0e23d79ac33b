/**
 * DeployToAks@1 under the agent's contract, on one local Azure (one start, one pushed image):
 *
 * - cancelled as the agent cancels a step (azure-pipelines-agent src/Agent.Sdk/ProcessInvoker.cs
 *   `CancelAndKillProcessTree`: SIGINT, 7.5 s, SIGTERM, 2.5 s, kill) in each of its phases: while signing in
 *   (Resource Manager slow to hand out the kubeconfig), while applying (the Service's apply in flight), and
 *   while waiting for a rollout that cannot finish. Each time it ends within the SIGINT window, logs one
 *   line saying what was left in which state, and leaves no child process and no file (kubeconfig,
 *   credential) in the agent's temp folder or in TMPDIR;
 * - through the agent's proxy (Agent.ProxyUrl, Agent.ProxyUsername, Agent.ProxyPassword,
 *   Agent.ProxyBypassList, read through task-lib `getHttpProxyConfiguration`): every HTTP request of the
 *   task, Entra ID, the Azure DevOps OIDC token, managed identity, Resource Manager, the registry and the
 *   cluster's own https API server (CONNECT, with its own CA), goes through a real forward proxy (Debian's
 *   tinyproxy on loopback, whose access log shows it), except what the bypass list matches; the proxy
 *   password never appears in any output.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import type { TaskRun } from '../../../scripts/agent/task-run';
import { eventually } from '../../support/eventually';
import { type ForwardProxy, startForwardProxy } from '../../support/forward-proxy';
import { assertNoSecretsLeft } from '../../support/secret-scan';
import { type AksRunOptions, ENTRA_CLUSTER, useAksEnvironment } from './aks-fixture';

describe('DeployToAks@1 under the agent: cancellation and proxy', function () {
  this.timeout(8 * 60_000);
  const suite = useAksEnvironment();
  let image = '';
  let apps: AppsV1Api;
  let apiServer: URL;

  before(async function () {
    this.timeout(3 * 60_000);
    image = await suite.images.pushHttpd('model v1', 'e2e/aks-agent');
    const config = new KubeConfig();
    config.loadFromFile(suite.azure.kubeconfigPath);
    config.setCurrentContext(ENTRA_CLUSTER);
    apps = config.makeApiClient(AppsV1Api);
    apiServer = new URL(config.getCluster(ENTRA_CLUSTER)?.server ?? '');
  });

  describe('cancellation in each phase', () => {
    let folders: { agentTemp: string; tmp: string };
    beforeEach(() => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-cancel-'));
      folders = { agentTemp: path.join(root, '_temp'), tmp: path.join(root, 'tmp') };
      for (const folder of Object.values(folders)) fs.mkdirSync(folder);
    });
    afterEach(() => fs.rmSync(path.dirname(folders.agentTemp), { recursive: true, force: true }));

    /** Runs the task; `cancelWhen` decides, from each line, when to cancel the job (as Ctrl+C in the runner). */
    function deployAndCancel(inputs: Record<string, string>, cancelWhen: (line: string, cancel: () => void) => void, extra: Partial<AksRunOptions> = {}): Promise<TaskRun> {
      const controller = new AbortController();
      const cancel = (): void => {
        if (!controller.signal.aborted) controller.abort();
      };
      return suite.deployToAks({
        inputs: { image, ...inputs },
        cancellation: controller.signal,
        env: { AGENT_TEMPDIRECTORY: folders.agentTemp, TMPDIR: folders.tmp },
        onLine: (line) => cancelWhen(line, cancel),
        ...extra,
      });
    }

    function cancellationLine(run: TaskRun): string {
      assert.equal(run.result, 'Canceled', run.log.slice(-3000));
      assert.equal(run.stoppedBy, 'SIGINT', 'the task ends within the SIGINT window');
      assert.deepEqual(run.leftProcesses, [], 'no child process left');
      // task-lib's own vault key (.taskkey) is the one file the agent's temp folder keeps, on a real agent too.
      assert.deepEqual(fs.readdirSync(folders.agentTemp).filter((entry) => entry !== '.taskkey'), [], "nothing left in the agent's temp folder");
      assert.deepEqual(fs.readdirSync(folders.tmp), [], 'nothing left in TMPDIR');
      assert.equal(run.variables.url, undefined, 'nothing is published');
      const lines = run.log.split('\n').filter((line) => /cancelled/i.test(line));
      assert.equal(lines.length, 1, `one line says the step was cancelled:\n${run.log.slice(-3000)}`);
      return lines[0] ?? '';
    }

    it('while signing in: nothing was changed in the cluster', async () => {
      suite.azure.faults.addHttpFault({ route: 'aks.managedClusters.listClusterUserCredential', kind: 'latency', latencyInMs: 60_000, count: 1 });
      const run = await deployAndCancel({ deploymentName: 'iris-cancel-sign-in' }, (line, cancel) => {
        if (/^Deploying /.test(line)) setTimeout(cancel, 1000);
      });
      const line = cancellationLine(run);
      assert.match(line, /The step was cancelled \(SIGINT\) while signing in to AKS cluster 'aks-models'\. Nothing was changed in the cluster\./);
      assert.equal((await apps.listNamespacedDeployment({ namespace: 'default' })).items.filter((d) => d.metadata?.name === 'iris-cancel-sign-in').length, 0);
    });

    it("while applying: names what the API server accepted and the apply in flight", async () => {
      const name = 'iris-cancel-apply';
      suite.azure.faults.addHttpFault({ route: 'kubernetes.services.patch', kind: 'latency', latencyInMs: 60_000, count: 1 });
      let watching = false;
      const run = await deployAndCancel({ deploymentName: name }, (line, cancel) => {
        // Once the task signs in to the API server, cancel as soon as its Deployment exists (the Service's apply is then held).
        if (watching || !/signing in to https:/.test(line)) return;
        watching = true;
        void eventually(`deployment '${name}' to exist`, () => apps.readNamespacedDeployment({ name, namespace: 'default' }).catch(() => undefined), { timeoutInMs: 60_000, intervalInMs: 100 }).then(cancel, cancel);
      });
      const line = cancellationLine(run);
      assert.match(
        line,
        new RegExp(`while applying deployment '${name}' to namespace 'default'\\. The API server accepted Deployment/${name}, and the apply of Service/${name} was in flight \\(the API server may have accepted it\\): what it accepted stays, and Kubernetes goes on rolling it out\\.`),
      );
    });

    it('while waiting for the rollout: says the Deployment is mid-rollout at its revision, and which revision keeps serving', async () => {
      const name = 'iris-cancel-rollout';
      const first = await suite.deployToAks({ inputs: { image, deploymentName: name, readinessProbePath: '/', readinessProbePeriod: '1' } });
      assert.equal(first.result, 'Succeeded', first.message);
      // The new revision's readiness probe never passes (404), so its rollout cannot finish.
      const run = await deployAndCancel({ deploymentName: name, readinessProbePath: '/never-ready', readinessProbePeriod: '1' }, (line, cancel) => {
        if (/^Waiting for deployment ".+" rollout to finish: /.test(line)) cancel();
      });
      const line = cancellationLine(run);
      assert.match(
        line,
        new RegExp(`while waiting for the rollout of deployment '${name}'\\. Deployment '${name}' is mid-rollout at revision 2 \\(\\d of 1 new replica\\(s\\) updated, \\d+ available\\); Kubernetes goes on rolling it out while revision 1's pods keep serving until the new ones are ready\\.`),
      );
      const deployment = await apps.readNamespacedDeployment({ name, namespace: 'default' });
      assert.equal(deployment.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2', 'the rollout is left as it was');
    });
  });

  describe('every request through the agent proxy (tinyproxy on loopback)', () => {
    let proxy: ForwardProxy;

    before(async () => {
      proxy = await startForwardProxy();
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
});
