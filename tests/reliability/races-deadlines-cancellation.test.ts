/**
 * The scenario cases of the fault matrix that need more than one fault: two deployments racing for one
 * container group, a Retry-After beyond what is left of the deadline (Resource Manager and Entra ID), and
 * cancellation (as the agent cancels: SIGINT first) while each task waits to retry a failing call.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from '../../scripts/agent/build-once';
import { type RunTaskOptions, runBundledTask, type TaskRun } from '../../scripts/agent/run-task';
import { readGroup, requireBusybox } from '../e2e/deploy/deploy-fixture';
import { MODEL, startHostileServer } from './hostile-model-server';
import { type Lane, openLane } from './matrix-lanes';

describe('Racing deploys, Retry-After beyond the deadline, cancellation while retrying', function () {
  this.timeout(6 * 60_000);
  let lane: Lane;
  let otherImage = '';
  const folders: string[] = [];

  before(async () => {
    requireBusybox();
    await ensureBuilt();
    lane = await openLane();
    otherImage = await lane.images.pushHttpd('the other run', 'e2e/racing-other');
  });

  beforeEach(() => {
    lane.azure.faults.clear();
    lane.azure.clearRequests();
  });

  after(async () => {
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
    await lane.close();
  });

  const deploy = (inputs: Record<string, string>, more: Partial<RunTaskOptions> = {}): Promise<TaskRun> => {
    const connection = lane.azure.connections.spnKey;
    return runBundledTask({
      task: 'DeployToAciV1',
      inputs: { azureSubscription: connection.id, resourceGroup: lane.azure.resourceGroups[0] ?? 'rg', ports: '80', image: lane.image, ...inputs },
      connections: [connection],
      env: lane.azure.agentEnvironment(),
      timeoutInMs: 3 * 60_000,
      ...more,
    });
  };

  async function race(cpus: [string, string]): Promise<void> {
    const name = `race-${randomBytes(2).toString('hex')}`;
    const finished: { image: string; run: TaskRun; at: number }[] = [];
    const run = async (image: string, cpu: string): Promise<void> => {
      const result = await deploy({ containerGroupName: name, image, cpu, readinessProbePath: '/', readinessProbePeriod: '1', timeoutInMinutes: '2' });
      finished.push({ image, run: result, at: Date.now() });
    };
    // A race is both runs reading the group before either writes it: hold each PUT back long enough that the
    // second run's read comes first (otherwise the second run is simply a later deployment, told as such).
    lane.azure.faults.addHttpFault({ route: 'aci.containerGroups.createOrUpdate', kind: 'latency', latencyInMs: 5000, count: 2 });
    await Promise.all([run(lane.image, cpus[0]), run(otherImage, cpus[1])]);
    const group = await readGroup(lane.azure, name);
    const running = group?.containers?.[0]?.image;
    const succeeded = finished.filter((entry) => entry.run.result === 'Succeeded').sort((a, b) => a.at - b.at);
    const failed = finished.filter((entry) => entry.run.result !== 'Succeeded');
    assert.ok(succeeded.length > 0, `neither deployment succeeded:\n${finished.map((entry) => entry.run.message ?? '').join('\n')}`);
    // The last success is what the group runs; a run that lost the race says so.
    assert.equal(running, succeeded[succeeded.length - 1]?.image, 'the group does not run the image of the last deployment that reported success');
    for (const entry of failed) assert.match(entry.run.message ?? '', /changed by another deployment while this run was deploying it/, entry.run.log);
  }

  it('two deployments of different images to one group: never two successes with a group that runs the other image', () => race(['1', '1']));

  it('two deployments with different resources (one updates what the other creates): the loser says so', () => race(['1', '0.5']));

  it("says when Resource Manager's Retry-After is beyond what is left of 'timeoutInMinutes'", async () => {
    lane.azure.faults.addHttpFault({ route: 'aci.containerGroups.createOrUpdate', kind: 'status', status: 429, retryAfterInSeconds: 120 });
    const run = await deploy({ containerGroupName: `later-${randomBytes(2).toString('hex')}`, timeoutInMinutes: '0.5' });
    assert.equal(run.result, 'Failed', run.log);
    assert.match(run.message ?? '', /Azure answered HTTP 429 .* on PUT https:\/\/\S+\/containerGroups\/later-\w+\. Azure asked to retry after 120 s; \d+ s of 'timeoutInMinutes' were left\. It is throttling requests: retry later\./);
  });

  it("counts SmokeTestModel's Entra ID token wait against its deadline and names it", async () => {
    lane.azure.faults.addHttpFault({ route: 'entra.token', kind: 'status', status: 429, retryAfterInSeconds: 120 });
    const server = await startHostileServer({});
    const connection = lane.azure.connections.spnKey;
    try {
      const started = Date.now();
      const run = await runBundledTask({
        task: 'SmokeTestModelV1',
        inputs: {
          url: server.url,
          protocol: 'kserveV1',
          modelName: MODEL,
          requestBody: '{"instances": [[1, 2]]}',
          authentication: 'entraId',
          azureSubscription: connection.id,
          entraScope: 'https://ml.azure.com/.default',
          readinessTimeoutInSeconds: '20',
        },
        connections: [connection],
        env: lane.azure.agentEnvironment(),
        timeoutInMs: 90_000,
      });
      assert.equal(run.result, 'Failed', run.log);
      assert.match(run.message ?? '', /Entra ID answered HTTP 429 .* on POST https:\/\/\S+\/oauth2\/v2\.0\/token\. Entra ID asked to retry after 120 s; \d+ s of 'readinessTimeoutInSeconds' were left/);
      assert.doesNotMatch(run.message ?? '', /model/i, 'the model is not blamed');
      assert.ok(Date.now() - started < 60_000, 'the task waited for the Retry-After of 120 s');
    } finally {
      await server.stop();
    }
  });

  function cancelWhen(pattern: RegExp): Pick<RunTaskOptions, 'cancellation' | 'onLine'> {
    const controller = new AbortController();
    return {
      cancellation: controller.signal,
      onLine: (line) => {
        if (pattern.test(line) && !controller.signal.aborted) controller.abort();
      },
    };
  }

  function assertCancelledCleanly(run: TaskRun): void {
    assert.equal(run.result, 'Canceled', run.log);
    assert.equal(run.stoppedBy, 'SIGINT', `the task did not end within the SIGINT window:\n${run.log}`);
    assert.deepEqual(run.leftProcesses, []);
  }

  it('cancelled while DeployToAci waits to retry a throttled PUT: ends at once, nothing left behind', async () => {
    lane.azure.faults.addHttpFault({ route: 'aci.containerGroups.createOrUpdate', kind: 'status', status: 429, retryAfterInSeconds: 30 });
    const run = await deploy({ containerGroupName: `cancel-${randomBytes(2).toString('hex')}`, timeoutInMinutes: '2' }, cancelWhen(/retrying in/));
    assertCancelledCleanly(run);
  });

  it('cancelled while BuildAndPushAiImage waits to push again: ends at once, its sign-in deleted', async () => {
    lane.azure.faults.addHttpFault({ route: 'acr.v2.manifests.put', kind: 'status', status: 503 });
    const workingDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-cancel-'));
    folders.push(workingDirectory);
    fs.copyFileSync('/bin/busybox', path.join(workingDirectory, 'busybox'));
    fs.writeFileSync(path.join(workingDirectory, 'stamp'), randomBytes(8).toString('hex'));
    fs.writeFileSync(path.join(workingDirectory, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nCOPY stamp /stamp\n');
    const connection = lane.azure.connections.spnKey;
    const run = await runBundledTask({
      task: 'BuildAndPushAiImageV1',
      inputs: { connectionType: 'azureRM', azureSubscription: connection.id, azureContainerRegistry: lane.azure.registry.name, repository: 'matrix/cancel', dockerfile: 'Dockerfile', tags: 'v1' },
      connections: [connection],
      env: lane.azure.agentEnvironment(),
      workingDirectory,
      timeoutInMs: 3 * 60_000,
      ...cancelWhen(/retrying in/),
    });
    assertCancelledCleanly(run);
  });

  it('cancelled while SmokeTestModel waits for a model that answers 503: ends at once', async () => {
    const server = await startHostileServer({ faults: [{ route: 'ready', kind: '503' }] });
    try {
      const run = await runBundledTask({
        task: 'SmokeTestModelV1',
        inputs: { url: server.url, protocol: 'kserveV1', modelName: MODEL, requestBody: '{"instances": [[1, 2]]}', readinessTimeoutInSeconds: '60' },
        timeoutInMs: 90_000,
        ...cancelWhen(/not ready yet/),
      });
      assertCancelledCleanly(run);
    } finally {
      await server.stop();
    }
  });
});
