/**
 * DeployToAci cancelled as the agent cancels a step (SIGINT, 7.5 s, SIGTERM, 2.5 s, kill): while it
 * waits for the group (the ARM wait), and in a recreate right after its DELETE. It ends within the SIGINT
 * window, says in one line what was cancelled and in which state the group is, and never leaves a
 * recreated group silently missing.
 */
import * as assert from 'node:assert/strict';
import { runBundledTask } from '../../../scripts/agent/run-task';
import type { TaskRun } from '../../../scripts/agent/task-run';
import { useDeployEnvironment } from './deploy-fixture';

describe('DeployToAci (end to end): cancellation', function () {
  this.timeout(5 * 60_000);
  const suite = useDeployEnvironment();
  let image = '';
  before(async function () {
    this.timeout(3 * 60_000);
    image = await suite.images.pushHttpd('cancel');
  });

  function deployAndCancelWhen(inputs: Record<string, string>, when: RegExp): Promise<TaskRun> {
    const { azure } = suite;
    const connection = azure.connections.spnKey;
    const controller = new AbortController();
    return runBundledTask({
      task: 'DeployToAciV1',
      inputs: { azureSubscription: connection.id, resourceGroup: azure.resourceGroups[0] ?? 'rg', ports: '80', image, ...inputs },
      connections: [connection],
      env: azure.agentEnvironment(),
      cancellation: controller.signal,
      onLine: (line) => {
        if (when.test(line) && !controller.signal.aborted) controller.abort();
      },
      timeoutInMs: 3 * 60_000,
    });
  }

  function cancellationLine(run: TaskRun): string {
    assert.equal(run.result, 'Canceled', run.log);
    assert.equal(run.stoppedBy, 'SIGINT', 'the task ends within the SIGINT window');
    assert.deepEqual(run.leftProcesses, []);
    const lines = run.log.split('\n').filter((line) => /cancelled/i.test(line));
    assert.equal(lines.length, 1, `one line says the step was cancelled:\n${run.log}`);
    return lines[0] ?? '';
  }

  it('while waiting for the group: says it goes on in Azure and how it was last seen', async () => {
    suite.azure.faults.addScenarioFault({ kind: 'neverReady', containerGroupName: 'e2e-cancel-wait' });
    const run = await deployAndCancelWhen(
      { containerGroupName: 'e2e-cancel-wait', readinessProbePath: '/', readinessProbePeriod: '2s', timeoutInMinutes: '2' },
      /^Waiting: /,
    );
    const line = cancellationLine(run);
    assert.match(line, /while waiting for container group 'e2e-cancel-wait' to run\. Azure goes on with the create this run sent; the group is left as Azure has it \(last seen: .+\)\./);
    assert.equal(run.variables.url, undefined, 'nothing is published');
  });

  it('right after the DELETE of a recreate: finishes the create within the grace period, or says plainly the group is gone', async () => {
    const { azure } = suite;
    const name = 'e2e-cancel-recreate';
    const first = await deployAndCancelWhen({ containerGroupName: name }, /^never$/);
    assert.equal(first.result, 'Succeeded', first.log);
    azure.clearRequests();
    // The DELETE takes a while, so that the cancellation arrives while it is in flight.
    azure.faults.addHttpFault({ route: 'aci.containerGroups.delete', kind: 'latency', latencyInMs: 1500, count: 1 });
    const run = await deployAndCancelWhen({ containerGroupName: name, updateMode: 'alwaysRecreate' }, /is deleted and created again/);
    const line = cancellationLine(run);
    const rg = azure.resourceGroups[0] ?? 'rg';
    assert.match(line, new RegExp(`while recreating container group '${name}'\\. Container group '${name}' was deleted and its create was sent: Azure goes on creating it\\.`));
    assert.ok(await groupExists(rg, name), 'the group exists again');
    assert.deepEqual(
      azure.requests().filter((entry) => /^aci\.containerGroups\.(delete|createOrUpdate)$/.test(entry.route)).map((entry) => entry.route),
      ['aci.containerGroups.delete', 'aci.containerGroups.createOrUpdate'],
    );
  });

  async function groupExists(resourceGroup: string, name: string): Promise<boolean> {
    const { azure } = suite;
    const token = azure.issueAccessToken('https://management.azure.com/');
    const url = `${azure.connections.spnKey.url.replace(/\/+$/, '')}/subscriptions/${azure.connections.spnKey.data.subscriptionId ?? ''}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/${name}?api-version=2023-05-01`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    return response.status === 200;
  }
});
