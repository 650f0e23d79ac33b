/**
 * DeployToAci end to end, continued: ACI pulling with a user-assigned managed identity (no password
 * anywhere), the `command` input, and a readiness probe that never passes (the deadline fails the
 * task, with the events and logs shown). The bundled task, run as the agent runs it, against the local Azure.
 */
import * as assert from 'node:assert/strict';
import { assertNoSecretsLeft } from '../../support/secret-scan';
import { fetchText, readGroup, useDeployEnvironment } from './deploy-fixture';

describe('DeployToAci (end to end): managed identity pulls, command, readiness deadlines', function () {
  this.timeout(240_000);
  const suite = useDeployEnvironment();
  let privateImage: string;
  let image: string;

  const identity = (name: string): string => {
    const found = suite.azure.userAssignedIdentities.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`The local Azure has no user-assigned identity '${name}'.`);
    return found.resourceId;
  };

  before(async () => {
    const { azure, images } = suite;
    // The registry whose admin user is off: only an identity (or a service principal) can pull from it.
    const privateRegistry = azure.registries.find((registry) => !registry.adminUserEnabled);
    if (!privateRegistry) throw new Error('The local Azure has no registry with the admin user disabled.');
    privateImage = await images.pushHttpd('pulled with an identity', 'e2e/identity-httpd', privateRegistry);
    image = await images.pushHttpd('never ready');
  });

  describe("registryAuth 'managedIdentity'", () => {
    it('attaches the identity to the group and ACI pulls with it; the deploy is then idempotent', async () => {
      const { azure, deploy } = suite;
      const inputs = { containerGroupName: 'e2e-identity', image: privateImage, registryAuth: 'managedIdentity', managedIdentityResourceId: identity('id-agents') };
      // Workload identity federation: the connection itself has no secret ACI could keep.
      const run = await deploy({ inputs, connection: 'workloadIdentity' });
      assert.equal(run.exitCode, 0, run.log);
      assert.match(run.log, /Registry access: managed identity \/subscriptions\/.*\/userAssignedIdentities\/id-agents for 127\.0\.0\.1:\d+/);
      assert.equal(await fetchText(run.variables.url?.value ?? ''), 'pulled with an identity');

      const group = await readGroup(azure, 'e2e-identity');
      assert.equal(group?.identity?.type, 'UserAssigned');
      assert.deepEqual(Object.keys(group?.identity?.userAssignedIdentities ?? {}), [identity('id-agents')]);
      assert.deepEqual(group?.imageRegistryCredentials, [{ server: privateImage.split('/')[0], identity: identity('id-agents') }]);
      assert.equal(group?.tags?.['aimodeldeploy.credentialsHash'], undefined, 'no secret to hash: the identity has none');
      assertNoSecretsLeft(run, { secrets: [azure.job.accessToken] });

      const again = await deploy({ inputs: { ...inputs, registryAuth: 'auto' }, connection: 'workloadIdentity' });
      assert.equal(again.exitCode, 0, again.log);
      assert.match(again.log, /nothing to change, nothing restarted/);
    });

    it('fails with the pull error explained when the identity has no role that allows pulling', async () => {
      const { azure, deploy } = suite;
      const run = await deploy({
        inputs: { containerGroupName: 'e2e-identity-norole', image: privateImage, registryAuth: 'managedIdentity', managedIdentityResourceId: identity('id-no-roles') },
      });
      assert.equal(run.result, 'Failed', run.log);
      assert.match(run.message ?? '', /image pulled with managed identity \/subscriptions\/.*\/id-no-roles.*InaccessibleImage/, run.message);
      assert.match(run.message ?? '', /AcrPull for the identity/, run.message);
      assert.equal(await readGroup(azure, 'e2e-identity-norole'), undefined, 'Azure refused the group: nothing was created');
    });
  });

  it("runs 'command' in exec form, written as shell words with quotes (no shell in between)", async () => {
    const { azure, deploy } = suite;
    const command = `/bin/busybox sh -c 'echo "served by: $0" > /www/index.html && exec /bin/busybox httpd -f -p 80 -h /www' "the command input"`;
    const run = await deploy({ inputs: { containerGroupName: 'e2e-command', image, command } });
    assert.equal(run.exitCode, 0, run.log);
    assert.equal(await fetchText(run.variables.url?.value ?? ''), 'served by: the command input\n');
    const group = await readGroup(azure, 'e2e-command');
    assert.deepEqual(group?.containers[0]?.command, [
      '/bin/busybox',
      'sh',
      '-c',
      'echo "served by: $0" > /www/index.html && exec /bin/busybox httpd -f -p 80 -h /www',
      'the command input',
    ]);
  });

  describe('a readiness probe that never passes fails at the deadline, with the events and logs shown', () => {
    it('checked from the agent: the readiness path answers 404', async () => {
      const { deploy } = suite;
      const run = await deploy({
        inputs: { containerGroupName: 'e2e-unready', image, readinessProbePath: '/v2/health/ready', readinessProbePeriod: '2s', timeoutInMinutes: '0.25' },
      });
      assert.equal(run.result, 'Failed', run.log);
      assert.match(run.message ?? '', /Container group 'e2e-unready' was not running and ready within 15 s \('timeoutInMinutes'\): running; the readiness path http:\/\/127\.[\d.]+:80\/v2\/health\/ready does not answer 2xx\/3xx yet\./);
      assert.match(run.message ?? '', /a model that loads slowly needs a longer timeout/);
      assert.match(run.log, /Events and logs of container group e2e-unready/);
      assert.match(run.log, /Warning Unhealthy( \(x\d+\))?: Readiness probe failed: HTTP probe failed with statuscode: 404/);
      assert.match(run.log, /Last \d+ log line\(s\) of e2e-unready|Log of e2e-unready: \(empty\)/);
      assert.equal(run.variables.url, undefined, 'no url for a group that is not ready');
    });

    it("left to ACI's probe: the container never answers (neverReady fault)", async () => {
      const { azure, deploy } = suite;
      azure.faults.addScenarioFault({ kind: 'neverReady', containerGroupName: 'e2e-silent' });
      const run = await deploy({
        inputs: { containerGroupName: 'e2e-silent', image, readinessProbePath: '/', readinessProbePeriod: '2s', timeoutInMinutes: '0.25' },
      });
      assert.equal(run.result, 'Failed', run.log);
      assert.match(
        run.message ?? '',
        /was not running and ready within 15 s \('timeoutInMinutes'\): running; the readiness probe of container 'e2e-silent' fails \(Readiness probe failed: .*connection refused\)/,
      );
      assert.match(run.log, /Events and logs of container group e2e-silent/);
      assert.match(run.log, /Warning Unhealthy( \(x\d+\))?: Readiness probe failed: .*connection refused/);
    });
  });
});
