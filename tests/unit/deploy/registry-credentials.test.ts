import * as assert from 'node:assert/strict';
import { TaskError } from '../../../tasks/common/errors';
import { needsRegistryLookup, planRegistryCredentials, type RegistryFacts } from '../../../tasks/DeployToAciV1/src/registry-credentials';

const IDENTITY = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/puller';
const SP = { clientId: 'app-id', secret: 'sp-secret' };
const ACR = { name: 'myregistry', loginServer: 'myregistry.azurecr.io', adminUserEnabled: false };
const base: RegistryFacts = { server: 'myregistry.azurecr.io', connectionScheme: 'ServicePrincipalKey', servicePrincipal: SP, registry: ACR };

describe('DeployToAci planRegistryCredentials', () => {
  describe('auto', () => {
    it('prefers the managed identity', () => {
      assert.deepEqual(planRegistryCredentials('auto', { ...base, managedIdentityResourceId: IDENTITY }), {
        kind: 'managedIdentity',
        server: 'myregistry.azurecr.io',
        identity: IDENTITY,
      });
    });

    it('then the service principal key (username = client id, password = secret)', () => {
      assert.deepEqual(planRegistryCredentials('auto', base), { kind: 'servicePrincipal', server: 'myregistry.azurecr.io', username: 'app-id', password: 'sp-secret' });
    });

    it('then the admin user, when enabled', () => {
      const facts = { ...base, connectionScheme: 'WorkloadIdentityFederation', registry: { ...ACR, adminUserEnabled: true } };
      delete (facts as Partial<RegistryFacts>).servicePrincipal;
      assert.deepEqual(planRegistryCredentials('auto', facts), { kind: 'adminCredentials', server: 'myregistry.azurecr.io', registryName: 'myregistry' });
    });

    it('else fails saying what to configure (never a short-lived token)', () => {
      const facts: RegistryFacts = { server: 'myregistry.azurecr.io', connectionScheme: 'WorkloadIdentityFederation', registry: ACR };
      assert.throws(
        () => planRegistryCredentials('auto', facts),
        (error: Error) =>
          error instanceof TaskError &&
          /workload identity federation/.test(error.message) &&
          /managedIdentityResourceId/.test(error.message) &&
          /dockerRegistryConnection/.test(error.message) &&
          /--admin-enabled true/.test(error.message),
      );
    });

    it('sends no credentials to a registry that is not one of the subscription\'s', () => {
      const plan = planRegistryCredentials('auto', { server: 'ghcr.io', connectionScheme: 'ServicePrincipalKey', servicePrincipal: SP, registryLookup: 'not found' });
      assert.equal(plan.kind, 'none');
      assert.ok(plan.kind === 'none' && /not an Azure Container Registry.*not found/.test(plan.reason));
    });

    it('pulls Docker Hub images anonymously without looking anything up', () => {
      assert.equal(needsRegistryLookup('auto', {}), false);
      assert.equal(planRegistryCredentials('auto', { connectionScheme: 'ServicePrincipalKey', servicePrincipal: SP }).kind, 'none');
    });

    it('looks the registry up only when the plan needs it', () => {
      assert.equal(needsRegistryLookup('auto', { server: 'r.io' }), true);
      assert.equal(needsRegistryLookup('auto', { server: 'r.io', managedIdentityResourceId: IDENTITY }), false);
      assert.equal(needsRegistryLookup('adminCredentials', { server: 'r.io' }), true);
      for (const mode of ['none', 'serviceConnection', 'managedIdentity', 'dockerRegistryConnection'] as const) assert.equal(needsRegistryLookup(mode, { server: 'r.io' }), false);
    });
  });

  it('serviceConnection needs a service principal with a secret', () => {
    assert.equal(planRegistryCredentials('serviceConnection', base).kind, 'servicePrincipal');
    assert.throws(() => planRegistryCredentials('serviceConnection', { server: 'r.io', connectionScheme: 'ServicePrincipalCertificate' }), /certificate.*only a service principal with a secret/);
  });

  it('adminCredentials needs the subscription\'s registry with the admin user enabled', () => {
    assert.throws(() => planRegistryCredentials('adminCredentials', base), /admin user of container registry 'myregistry' is disabled/);
    assert.throws(() => planRegistryCredentials('adminCredentials', { server: 'ghcr.io', connectionScheme: 'x' }), /not an Azure Container Registry/);
    assert.equal(planRegistryCredentials('adminCredentials', { ...base, registry: { ...ACR, adminUserEnabled: true } }).kind, 'adminCredentials');
  });

  it('managedIdentity, dockerRegistryConnection and none', () => {
    assert.equal(planRegistryCredentials('managedIdentity', { ...base, managedIdentityResourceId: IDENTITY }).kind, 'managedIdentity');
    assert.deepEqual(planRegistryCredentials('dockerRegistryConnection', { ...base, dockerRegistryServiceConnection: 'docker-1' }), {
      kind: 'dockerRegistryConnection',
      server: 'myregistry.azurecr.io',
      connectionId: 'docker-1',
    });
    assert.equal(planRegistryCredentials('none', base).kind, 'none');
  });
});
