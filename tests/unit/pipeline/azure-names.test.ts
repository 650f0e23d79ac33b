import assert from 'node:assert/strict';
import { planAzureNames } from '../../../scripts/pipeline/azure-names';
import { parsePipeline } from '../../../scripts/pipeline/parse';
import { clusterNameProblem, registryNameProblem, resourceGroupNameProblem } from '../../../emulator/arm/spec/resource-names';

const PIPELINE = parsePipeline(
  [
    'variables:',
    '  acrName: crpricing',
    '  rgName: rg-pricing',
    'steps:',
    '  - task: BuildAndPushAiImage@1',
    '    inputs:',
    '      azureSubscription: sc-pricing-prod',
    '      azureContainerRegistry: $(acrName)',
    '      repository: pricing/app',
    '  - task: DeployToAci@1',
    '    inputs:',
    '      azureSubscription: sc-pricing-prod',
    '      resourceGroup: $(rgName)',
    '      containerGroupName: pricing',
    '      image: $(image.imageUri)',
    '',
  ].join('\n'),
  'p.yml',
);

describe('local pipeline runner: the Azure names a pipeline uses', () => {
  it('finds the registries and resource groups after variable expansion; a new registry goes to the first resource group', () => {
    const names = planAzureNames(PIPELINE, { acrName: 'crpricing', rgName: 'rg-pricing' });
    assert.deepEqual(names.resourceGroups.map((group) => [group.name, group.where]), [['rg-pricing', 'p.yml:13 (steps[1].inputs.resourceGroup)']]);
    assert.deepEqual(names.registries.map((registry) => [registry.name, registry.resourceGroup, registry.where]), [['crpricing', 'rg-pricing', 'p.yml:8 (steps[0].inputs.azureContainerRegistry)']]);
    assert.deepEqual(names.findings, []);
  });

  it("reports names that break Azure's rules instead of creating them", () => {
    const names = planAzureNames(PIPELINE, { acrName: 'cr-pricing', rgName: 'rg.' });
    assert.deepEqual(names.registries, []);
    assert.deepEqual(
      names.findings.map((finding) => finding.message),
      [
        "'rg.' cannot be a resource group name: a resource group name cannot end with '.'; got 'rg.'. It is not created in the local Azure.",
        "'cr-pricing' cannot be a container registry name: a container registry name holds only letters and digits (no '-', '_' or '.'); got 'cr-pricing'. It is not created in the local Azure.",
      ],
    );
    assert.match(planAzureNames(PIPELINE, { acrName: 'crpricing.azurecr.io', rgName: 'rg' }).findings[0]?.message ?? '', /'crpricing\.azurecr\.io' is a login server; .*by its name \(e\.g\. 'crpricing'\)/);
  });

  it("finds a DeployToAks step's cluster with its resource group", () => {
    const aks = parsePipeline(
      ['steps:', '  - task: DeployToAks@1', '    inputs:', '      azureSubscription: sc', '      resourceGroup: rg-aks', '      kubernetesCluster: $(cluster)', '      namespace: models', ''].join('\n'),
      'p.yml',
    );
    const names = planAzureNames(aks, { cluster: 'aks-pricing' });
    assert.deepEqual(names.clusters.map((cluster) => [cluster.name, cluster.resourceGroup, cluster.where]), [['aks-pricing', 'rg-aks', 'p.yml:6 (steps[0].inputs.kubernetesCluster)']]);
    assert.deepEqual(names.resourceGroups.map((group) => group.name), ['rg-aks']);
    assert.match(planAzureNames(aks, { cluster: 'aks.pricing' }).findings[0]?.message ?? '', /'aks\.pricing' cannot be a Kubernetes cluster name/);
  });

  it('leaves names that are not known before the job (macros) alone', () => {
    assert.deepEqual(planAzureNames(PIPELINE, {}), { resourceGroups: [], registries: [], clusters: [], findings: [] });
  });

  it("applies Azure's naming rules", () => {
    for (const name of ['rg', 'rg-models_(eu).1', 'Ressourcengruppe-ü', 'a'.repeat(90)]) assert.equal(resourceGroupNameProblem(name), undefined, name);
    for (const name of ['', 'rg.', 'rg/x', 'a'.repeat(91), 'rg pricing']) assert.ok(resourceGroupNameProblem(name), name);
    for (const name of ['crpricing', 'CrPricing01', 'a'.repeat(50)]) assert.equal(registryNameProblem(name), undefined, name);
    for (const name of ['cr', 'cr-pricing', 'cr_pricing', 'a'.repeat(51)]) assert.ok(registryNameProblem(name), name);
    for (const name of ['aks-pricing', 'a', 'aks_1']) assert.equal(clusterNameProblem(name), undefined, name);
    for (const name of ['-aks', 'aks-', 'aks.x', 'a'.repeat(64)]) assert.ok(clusterNameProblem(name), name);
  });
});
