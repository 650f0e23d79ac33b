/**
 * Outages of the sign-in routes of the two federated schemes (the issue's point 3): Azure DevOps' OIDC
 * token endpoint (workload identity federation) and the managed identity endpoint. Throttled three times
 * they are ridden out; always failing, the task fails naming the route, the answer and "retry later",
 * never with credential advice ("works only on a self-hosted agent on Azure", "federated credential").
 */
import * as assert from 'node:assert/strict';
import { ensureBuilt } from '../../scripts/agent/build-once';
import { runBundledTask } from '../../scripts/agent/run-task';
import type { ServiceConnection } from '../../emulator/service-connection';
import { requireBusybox } from '../e2e/deploy/deploy-fixture';
import { CREDENTIAL_ADVICE } from './fault-matrix';
import { type Lane, openLane } from './matrix-lanes';

describe('Sign-in outages of workload identity federation and managed identity', function () {
  this.timeout(5 * 60_000);
  let lane: Lane;
  let sequence = 0;

  before(async () => {
    requireBusybox();
    await ensureBuilt();
    lane = await openLane();
  });

  after(async () => {
    await lane?.close();
  });

  const deploy = (connection: ServiceConnection, timeoutInMinutes: string) =>
    runBundledTask({
      task: 'DeployToAciV1',
      inputs: {
        azureSubscription: connection.id,
        resourceGroup: lane.azure.resourceGroups[0] ?? 'rg',
        containerGroupName: `signin-outage-${++sequence}`,
        image: lane.image,
        ports: '80',
        timeoutInMinutes,
      },
      connections: [connection],
      env: lane.azure.agentEnvironment(),
      timeoutInMs: 180_000,
    });

  const schemes = [
    { title: 'the OIDC token endpoint (workload identity federation)', route: 'devops.oidcToken', named: /Azure DevOps .*on POST https?:\/\/[^ ]+oidctoken/i, connection: () => lane.azure.connections.workloadIdentity },
    { title: 'the managed identity endpoint', route: 'managedIdentity.token', named: /managed identity endpoint answered HTTP 503.* on the managed identity endpoint of this agent \(GET https?:\/\/[^ )]+\/msi\/token\)/, connection: () => lane.azure.connections.managedIdentity },
  ];

  for (const scheme of schemes) {
    it(`rides out 429 three times on ${scheme.title}`, async () => {
      lane.azure.faults.clear();
      lane.azure.clearRequests();
      lane.azure.faults.addHttpFault({ route: scheme.route, kind: 'status', status: 429, retryAfterInSeconds: 1, count: 3 });
      const run = await deploy(scheme.connection(), '3');
      lane.azure.faults.clear();
      assert.equal(run.result, 'Succeeded', `${run.message ?? ''}\n${run.log.slice(-3000)}`);
      assert.ok(lane.azure.requests().some((entry) => entry.route === scheme.route && entry.fault !== undefined), `no fault was hit on ${scheme.route}`);
    });

    it(`fails clearly when ${scheme.title} always answers 503`, async () => {
      lane.azure.faults.clear();
      lane.azure.faults.addHttpFault({ route: scheme.route, kind: 'status', status: 503 });
      const run = await deploy(scheme.connection(), '0.3');
      lane.azure.faults.clear();
      const context = `message: ${run.message ?? '(none)'}\n${run.log.slice(-3000)}`;
      assert.equal(run.timedOut, false, context);
      assert.equal(run.result, 'Failed', context);
      assert.match(run.message ?? '', scheme.named, context);
      assert.match(run.message ?? '', /answered HTTP 503/, context);
      assert.match(run.message ?? '', /retry later/, context);
      assert.doesNotMatch(run.message ?? '', CREDENTIAL_ADVICE, `an outage explained as a credential problem\n${context}`);
    });
  }
});
