import assert from 'node:assert/strict';
import * as path from 'node:path';
import { connectionInputsOf, planConnections, readConnectionInputs, withConnectionIds } from '../../../scripts/pipeline/connections';
import { parsePipeline } from '../../../scripts/pipeline/parse';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const INPUTS = readConnectionInputs(ROOT, ['BuildAndPushAiImageV1', 'DeployToAciV1', 'SmokeTestModelV1']);

const PIPELINE = parsePipeline(
  [
    'variables:',
    '  connection: azure-prod',
    'steps:',
    '  - task: BuildAndPushAiImage@1',
    '    inputs:',
    '      connectionType: dockerRegistry',
    '      dockerRegistryConnection: my-acr',
    '      repository: r',
    '  - task: DeployToAci@1',
    '    name: deploy',
    '    inputs:',
    '      azureResourceManagerConnection: $(connection)',
    '      containerGroupName: g',
    '  - task: SmokeTestModel@1',
    '    inputs:',
    '      authentication: entraId',
    '      azureSubscription: AZURE-PROD',
  ].join('\n'),
  'p.yml',
);
const VARIABLES = { connection: 'azure-prod' };

describe('local pipeline runner: service connections', () => {
  it('finds the connectedService inputs of each task.json, aliases included', () => {
    assert.deepEqual(INPUTS.DeployToAciV1, [
      { names: ['azuresubscription', 'azureresourcemanagerconnection'], type: 'azurerm' },
      { names: ['dockerregistryserviceconnection'], type: 'dockerregistry' },
    ]);
    assert.deepEqual(connectionInputsOf({ inputs: [{ name: 'x', type: 'connectedService:Kubernetes' }, { name: 'y', type: 'string' }] }), []);
  });

  it('maps Azure Resource Manager names to workload identity and Docker registry names to the registry connection by default', () => {
    const plan = planConnections(PIPELINE, INPUTS, VARIABLES, {});
    assert.deepEqual([...plan.kinds.values()], [
      { name: 'my-acr', kind: 'dockerRegistry', fromDefault: true },
      { name: 'azure-prod', kind: 'workloadIdentity', fromDefault: true },
    ]);
    assert.deepEqual(plan.uses.map((use) => [use.stepIndex, use.input, use.name]), [
      [0, 'dockerRegistryConnection', 'my-acr'],
      [1, 'azureResourceManagerConnection', 'azure-prod'],
      [2, 'azureSubscription', 'AZURE-PROD'],
    ]);
  });

  it('takes --connection overrides (names are case-insensitive) and gives each step the connection id, as the agent does', () => {
    const plan = planConnections(PIPELINE, INPUTS, VARIABLES, { 'Azure-Prod': 'spnCertificate' });
    const ids = { spnKey: 'id-key', spnCertificate: 'id-cert', workloadIdentity: 'id-wif', managedIdentity: 'id-msi', spnPullOnly: 'id-pull', dockerRegistry: 'id-docker' };
    const steps = withConnectionIds(PIPELINE, plan, (kind) => ids[kind]).steps;
    assert.equal(steps[0]?.inputs['dockerRegistryConnection'], 'id-docker');
    assert.equal(steps[1]?.inputs['azureResourceManagerConnection'], 'id-cert');
    assert.equal(steps[2]?.inputs['azureSubscription'], 'id-cert');
    assert.equal(steps[1]?.inputs['containerGroupName'], 'g');
  });

  it('refuses a connection of the wrong type, naming the step, the input and the kinds that fit', () => {
    assert.throws(
      () => planConnections(PIPELINE, INPUTS, VARIABLES, { 'my-acr': 'spnKey' }),
      /--connection my-acr=spnKey: p\.yml:4 \(steps\[0\]\) uses 'my-acr' in input 'dockerRegistryConnection', which takes a Docker registry connection; spnKey is an Azure Resource Manager connection\. Use one of: dockerRegistry\./,
    );
  });

  it('refuses --connection for a name the pipeline does not use', () => {
    assert.throws(() => planConnections(PIPELINE, INPUTS, VARIABLES, { other: 'spnKey' }), /--connection other=\.\.\.: p\.yml uses no service connection named 'other'; it uses 'my-acr', 'azure-prod'\./);
  });

  it('refuses a connection name whose variable is not defined', () => {
    assert.throws(() => planConnections(PIPELINE, INPUTS, {}, {}), /input 'azureResourceManagerConnection' names the service connection '\$\(connection\)', whose variable is not defined/);
  });
});
