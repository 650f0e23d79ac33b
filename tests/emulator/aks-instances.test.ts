/**
 * Local AKS lifecycle: two local Azure instances side by side (own API servers, CAs and objects), fault
 * injection on the managedClusters routes and on the API server's routes, and a stop that leaves no API
 * server listening and no certificate or kubeconfig behind.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { startLocalAzure, type LocalAzure } from '../../emulator/index';
import { ensureDebianKubectl, runKubectl } from '../support/debian-kubectl';
import { clusterNamed, containerServiceClient, LOCAL_CLUSTER, RESOURCE_GROUP, useKubeconfigFolder } from './aks-support/aks-fixture';

function listening(server: string): Promise<boolean> {
  const url = new URL(server);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: only-in-first
`;

describe('local AKS: instances side by side, faults, and stop', function () {
  this.timeout(180_000);
  const kubeconfigFile = useKubeconfigFolder();
  let first: LocalAzure | undefined;
  let second: LocalAzure | undefined;

  before(async function () {
    this.timeout(180_000);
    await ensureDebianKubectl();
    [first, second] = await Promise.all([startLocalAzure(), startLocalAzure()]);
  });

  after(async function () {
    this.timeout(60_000);
    await Promise.all([first?.stop(), second?.stop()]);
  });

  const both = (): [LocalAzure, LocalAzure] => {
    if (!first || !second) throw new Error('The local Azure instances did not start.');
    return [first, second];
  };

  it('runs separate clusters: own API servers and CAs, objects of one not in the other', async () => {
    const [a, b] = both();
    const clusterA = clusterNamed(a, LOCAL_CLUSTER);
    const clusterB = clusterNamed(b, LOCAL_CLUSTER);
    assert.notEqual(clusterA.server, clusterB.server);
    assert.notEqual(clusterA.caCertificatePem, clusterB.caCertificatePem);
    const kubeconfigA = kubeconfigFile('a', clusterA.adminKubeconfig() ?? assert.fail('no admin kubeconfig'));
    const kubeconfigB = kubeconfigFile('b', clusterB.adminKubeconfig() ?? assert.fail('no admin kubeconfig'));
    assert.equal((await runKubectl(kubeconfigA, ['apply', '--server-side', '-f', '-'], { input: NAMESPACE })).code, 0);
    assert.equal((await runKubectl(kubeconfigA, ['get', 'namespace', 'only-in-first'])).code, 0);
    const elsewhere = await runKubectl(kubeconfigB, ['get', 'namespace', 'only-in-first']);
    assert.equal(elsewhere.stderr.trim(), 'Error from server (NotFound): namespaces "only-in-first" not found');
    const crossed = kubeconfigFile('crossed', (clusterA.adminKubeconfig() ?? '').replace(clusterA.server, clusterB.server));
    const refused = await runKubectl(crossed, ['get', 'namespaces']);
    assert.notEqual(refused.code, 0, 'a client trusting the first cluster CA does not accept the second API server');
  });

  it('injects faults on the managedClusters routes (retried by the SDK) and on API server routes', async () => {
    const [a] = both();
    a.clearRequests();
    a.faults.addHttpFault({ route: 'aks.managedClusters.get', kind: 'status', status: 503, retryAfterInSeconds: 0, count: 1 });
    const cluster = await containerServiceClient(a).managedClusters.get(RESOURCE_GROUP, LOCAL_CLUSTER);
    assert.equal(cluster.name, LOCAL_CLUSTER);
    assert.deepEqual(a.requests().filter((entry) => entry.route === 'aks.managedClusters.get').map((entry) => entry.status), [503, 200]);

    const kubeconfig = kubeconfigFile('faults', clusterNamed(a, LOCAL_CLUSTER).adminKubeconfig() ?? assert.fail('no admin kubeconfig'));
    a.faults.addHttpFault({ route: 'kubernetes.namespaces.get', kind: 'status', status: 500, count: 1 });
    const failed = await runKubectl(kubeconfig, ['get', 'namespace', 'default']);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /Error from server \(InternalError\): Internal error occurred: injected fault/);
    assert.equal((await runKubectl(kubeconfig, ['get', 'namespace', 'default'])).code, 0);
  });

  it('stop closes the API servers and removes certificates and the kubeconfig', async () => {
    const [, b] = both();
    const servers = b.clusters.map((cluster) => cluster.server);
    assert.ok(existsSync(b.kubeconfigPath));
    assert.deepEqual(await Promise.all(servers.map(listening)), [true, true]);
    await b.stop();
    assert.deepEqual(await Promise.all(servers.map(listening)), [false, false]);
    assert.equal(existsSync(b.kubeconfigPath), false);
  });
});
