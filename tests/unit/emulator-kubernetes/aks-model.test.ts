import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { kubernetesRolesOf, mayPerform } from '../../../emulator/aks/model/cluster-roles';
import { clientCertificateKubeconfig, execPluginKubeconfig, mergeKubeconfigs } from '../../../emulator/aks/model/kubeconfig';
import { managedClusterBody, managedClusterId } from '../../../emulator/aks/model/managed-cluster-body';
import { seedClusterRoleAssignments, seedClusters } from '../../../emulator/aks/model/seed-clusters';
import { createAuthorizer } from '../../../emulator/kubernetes/auth/authorization';

const facts = { subscriptionId: '29e78701-0000-0000-0000-000000000000', tenantId: 'tenant', resourceGroup: 'rg-models', location: 'westeurope', instanceId: 'abcd1234' };
const cluster = { name: 'aks-models', resourceGroup: 'rg-models', server: 'https://127.0.0.1:6443', caCertificatePem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n', tenantId: 'tenant' };

describe('local AKS model', () => {
  it('seeds an Entra ID cluster without local accounts and a local-accounts cluster, with kubelet identities in the node resource group', () => {
    const [entra, local] = seedClusters(facts);
    assert.equal(entra?.record.entraId, true);
    assert.equal(entra?.record.disableLocalAccounts, true);
    assert.equal(local?.record.entraId, false);
    assert.equal(local?.record.disableLocalAccounts, false);
    assert.equal(entra?.kubeletIdentity.resourceGroup, 'MC_rg-models_aks-models_westeurope');
    const body = managedClusterBody(entra?.record ?? assert.fail()) as { properties: Record<string, unknown> };
    assert.deepEqual(body.properties.aadProfile, { managed: true, enableAzureRBAC: true, tenantID: 'tenant' });
    assert.equal(body.properties.disableLocalAccounts, true);
    assert.match(String(body.properties.fqdn), /^aks-models-rg-models-29e787-[0-9a-f]{8}\.hcp\.westeurope\.azmk8s\.io$/);
    assert.equal((managedClusterBody(local?.record ?? assert.fail()) as { properties: Record<string, unknown> }).properties.aadProfile, undefined);
  });

  it('gives deployers credentials and Writer on the Entra ID cluster, kubelets AcrPull, and nobody else anything', () => {
    const records = seedClusters(facts).map((seed) => seed.record);
    const assignments = seedClusterRoleAssignments({ clusters: records, deployers: ['deployer'], pullRegistryId: '/subscriptions/s/resourceGroups/rg-models/providers/Microsoft.ContainerRegistry/registries/cr' });
    const [entra, local] = records;
    const entraId = managedClusterId(entra ?? assert.fail());
    assert.equal(mayPerform(assignments, 'deployer', entraId, 'listClusterUserCredential'), true);
    assert.equal(mayPerform(assignments, 'someone', entraId, 'read'), false);
    assert.deepEqual(kubernetesRolesOf(assignments, 'deployer', entraId), ['Azure Kubernetes Service RBAC Writer']);
    assert.deepEqual(kubernetesRolesOf(assignments, 'deployer', managedClusterId(local ?? assert.fail())), []);
    assert.ok(assignments.some((assignment) => assignment.principalId === entra?.kubeletIdentity.objectId && assignment.role === 'AcrPull'));
  });

  it('maps Azure RBAC Writer and Reader onto Kubernetes requests', () => {
    const authorize = createAuthorizer({ azureRolesOf: (id) => (id === 'writer' ? ['Azure Kubernetes Service RBAC Writer'] : id === 'reader' ? ['Azure Kubernetes Service RBAC Reader'] : []) });
    const request = (verb: string, group: string, resource: string) => ({ kind: 'resource' as const, group, version: 'v1', namespace: 'default', resource, name: undefined, subresource: undefined, verb: verb as 'get' });
    const user = (uid: string) => ({ name: uid, uid, groups: ['system:authenticated'] });
    assert.equal(authorize(user('writer'), request('create', 'apps', 'deployments')).allowed, true);
    assert.equal(authorize(user('writer'), request('create', '', 'namespaces')).allowed, false);
    assert.equal(authorize(user('reader'), request('list', '', 'pods')).allowed, true);
    assert.equal(authorize(user('reader'), request('get', '', 'secrets')).allowed, false);
    assert.equal(authorize(user('reader'), request('patch', 'apps', 'deployments')).allowed, false);
    assert.deepEqual(authorize(user('nobody'), request('list', '', 'pods')), { allowed: false, reason: 'User does not have access to the resource in Azure. Update role assignment to allow access.' });
    assert.equal(authorize({ name: 'masterclient', groups: ['system:masters'] }, request('create', '', 'namespaces')).allowed, true);
  });

  it('writes kubeconfigs as Azure does: certificate admin context, kubelogin exec user, and merges them', () => {
    const admin = parse(clientCertificateKubeconfig(cluster, 'admin', { certificatePem: 'cert', privateKeyPem: 'key' })) as Record<string, unknown>;
    assert.equal(admin['current-context'], 'aks-models-admin');
    assert.deepEqual(admin.users, [{ name: 'clusterAdmin_rg-models_aks-models', user: { 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' } }]);
    const user = parse(execPluginKubeconfig(cluster)) as { users: { user: { exec: { args: string[]; command: string } } }[] };
    assert.equal(user.users[0]?.user.exec.command, 'kubelogin');
    assert.deepEqual(user.users[0]?.user.exec.args.slice(-4), ['--tenant-id', 'tenant', '--login', 'devicecode']);
    const merged = parse(mergeKubeconfigs([clientCertificateKubeconfig(cluster, 'admin', { certificatePem: 'c', privateKeyPem: 'k' }), execPluginKubeconfig({ ...cluster, name: 'other' })], 'other')) as { contexts: unknown[]; 'current-context': string };
    assert.equal(merged.contexts.length, 2);
    assert.equal(merged['current-context'], 'other');
  });
});
