/**
 * DeployToAks end to end, the parts decided before any pod runs: bad inputs fail with no request at all,
 * an admin sign-in where local accounts are disabled and an identity without AKS roles fail with what to
 * do, and a cluster that does not exist is named with the ones that do.
 */
import * as assert from 'node:assert/strict';
import { useAksEnvironment } from './aks-fixture';

describe('DeployToAks@1 end to end: sign-in and refusals', function () {
  this.timeout(240_000);
  const suite = useAksEnvironment();

  it('refuses bad inputs before any request to Azure or the cluster', async () => {
    const bad: Record<string, string>[] = [{ deploymentName: 'Iris_Model' }, { cpuRequest: '500m', cpuLimit: '100m' }, { autoscaling: 'true', minReplicas: '3', maxReplicas: '2' }, { image: 'not a reference' }];
    for (const inputs of bad) {
      suite.azure.clearRequests();
      const run = await suite.deployToAks({ inputs: { deploymentName: 'iris', image: 'crmodels.azurecr.io/models/iris:1', ...inputs } });
      assert.equal(run.result, 'Failed');
      assert.match(run.message ?? '', /^Input '(deploymentName|cpuLimit|maxReplicas|image)' must be /);
      assert.deepEqual(suite.azure.requests(), [], `requests for ${JSON.stringify(inputs)}`);
    }
  });

  it("fails 'useClusterAdmin' on the cluster whose local accounts are disabled with what to do, before asking for credentials", async () => {
    const run = await suite.deployToAks({ inputs: { deploymentName: 'iris-admin', image: 'crmodels.azurecr.io/models/iris:1', useClusterAdmin: 'true' } });
    assert.equal(run.result, 'Failed');
    assert.match(run.message ?? '', /^AKS cluster 'aks-models' has local accounts disabled, so it hands out no admin credentials \('useClusterAdmin' is true\)\. Set 'useClusterAdmin' to false/);
    assert.ok(!suite.azure.requests().some((entry) => /listClusterAdminCredential/i.test(`${entry.route} ${entry.path}`)), 'no admin credential request');
  });

  it('names the role an identity without AKS roles lacks', async () => {
    const run = await suite.deployToAks({ connection: 'spnPullOnly', inputs: { deploymentName: 'iris-403', image: 'crmodels.azurecr.io/models/iris:1' } });
    assert.equal(run.result, 'Failed');
    assert.match(run.message ?? '', /HTTP 403/);
    assert.match(run.message ?? '', /Azure Kubernetes Service Cluster User Role/);
  });

  it('names the clusters of the resource group when the cluster does not exist', async () => {
    const run = await suite.deployToAks({ inputs: { deploymentName: 'iris', image: 'crmodels.azurecr.io/models/iris:1', kubernetesCluster: 'aks-nope' } });
    assert.equal(run.result, 'Failed');
    assert.match(run.message ?? '', /^Input 'kubernetesCluster': there is no AKS cluster 'aks-nope' in resource group 'rg-models'\. It has: aks-models, aks-models-local\./);
  });
});
