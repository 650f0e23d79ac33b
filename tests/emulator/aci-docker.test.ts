/**
 * Container Instances on the real Docker engine, routes called in-process (no https front):
 * containers really run, answer on the group's loopback address, crash-loop, stop, start, restart.
 */
import assert from 'node:assert/strict';
import type { EmulatorResponse } from '../../emulator/core/http-types';
import { API, eventually, groupBody, startAciFixture, type AciFixture } from './aci-support/aci-fixture';
import { startPlainRegistry, type PlainRegistry } from './aci-support/plain-registry';
import { buildBusyboxImage, containersNamed, PAGE, removeImage } from './aci-support/test-image';

const LOCAL_TAG = `lazure-aci-test-busybox:${process.pid}`;

interface GroupView {
  properties: {
    provisioningState: string;
    ipAddress: { ip: string; fqdn?: string };
    instanceView?: { state: string };
    containers: {
      properties: {
        environmentVariables: { name: string; value?: string; secureValue?: string }[];
        instanceView?: {
          restartCount: number;
          currentState: { state: string; detailStatus: string; exitCode?: number };
          previousState?: { state: string; exitCode?: number };
          events: { name: string; count: number; type: string }[];
        };
      };
    }[];
    imageRegistryCredentials: Record<string, unknown>[];
  };
}

function errorCode(response: EmulatorResponse): string {
  return (response.body as { error: { code: string } }).error.code;
}

describe('emulator aci: containers on the Docker engine', function () {
  this.timeout(120_000);
  let registry: PlainRegistry;
  let aci: AciFixture;
  let image: string;
  const credentials = { username: 'puller', password: 'pull-password' };

  before(async () => {
    await buildBusyboxImage(LOCAL_TAG);
    registry = await startPlainRegistry();
    image = await registry.push(LOCAL_TAG, 'aci-test/busybox', '1');
    aci = await startAciFixture({ loginServer: registry.loginServer, ...credentials }, 1);
  });

  after(async () => {
    await aci?.stop();
    if (aci) assert.deepEqual(await containersNamed(`lazure-${aci.instanceId}-`), [], 'stop() leaves no container behind');
    await registry?.stop();
    await removeImage(LOCAL_TAG);
  });

  async function getGroup(name: string): Promise<GroupView> {
    const response = await aci.call('GET', `${aci.groupPath(name)}?${API}`);
    assert.equal(response.status, 200);
    return response.body as GroupView;
  }

  async function create(name: string, extra: Partial<Parameters<typeof groupBody>[0]> = {}): Promise<EmulatorResponse> {
    return aci.call('PUT', `${aci.groupPath(name)}?${API}`, groupBody({ image, server: registry.loginServer, ...credentials, ...extra }));
  }

  it('creates a group whose container answers on its own loopback address', async () => {
    const created = await create('web1', { dnsNameLabel: 'web1-label' });
    assert.equal(created.status, 201);
    const body = created.body as GroupView;
    assert.equal(body.properties.provisioningState, 'Pending');
    assert.match(created.headers?.['Azure-AsyncOperation'] ?? '', /^https:\/\/management\.local\.test\/subscriptions\/.+\/providers\/Microsoft\.ContainerInstance\/locations\/westeurope\/operations\/[0-9a-f-]{36}\?api-version=2018-06-01$/);

    const operation = await aci.waitForOperation(created);
    assert.equal(operation.status, 'Succeeded', JSON.stringify(operation.error));
    assert.deepEqual(
      ((operation.properties as { events: { name: string }[] }).events).map((e) => e.name),
      ['Pulling', 'Pulled', 'Created', 'Started'],
    );

    const group = await getGroup('web1');
    assert.equal(group.properties.provisioningState, 'Succeeded');
    assert.equal(group.properties.instanceView?.state, 'Running');
    assert.match(group.properties.ipAddress.ip, /^127\.100\.\d+\.\d+$/);
    assert.equal(group.properties.ipAddress.fqdn, 'web1-label.westeurope.azurecontainer.io');
    const container = group.properties.containers[0]?.properties;
    assert.equal(container?.instanceView?.currentState.state, 'Running');
    assert.deepEqual(container?.environmentVariables, [{ name: 'GREETING', value: 'hi' }, { name: 'TOKEN' }], 'secure values are not echoed');
    assert.equal(group.properties.imageRegistryCredentials[0]?.password, undefined, 'registry passwords are not echoed');

    const page = await eventually('the container to answer', async () => {
      const response = await fetch(`http://${group.properties.ipAddress.ip}:80/`).catch(() => undefined);
      return response?.ok ? response.text() : undefined;
    });
    assert.equal(page, PAGE);
  });

  it('refuses a redeploy to a missing tag or repository on the PUT itself, and the running version keeps serving', async () => {
    const before = await getGroup('web1');
    for (const missing of [image.replace(/:1$/, ':no-such-tag'), image.replace('aci-test/busybox', 'aci-test/no-such-repo')]) {
      const refused = await create('web1', { dnsNameLabel: 'web1-label', image: missing });
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body, {
        error: { code: 'InaccessibleImage', message: `The image '${missing}' in container group 'web1' is not accessible. Please check the image and registry credential.` },
      });
    }
    const after = await getGroup('web1');
    assert.equal(after.properties.provisioningState, 'Succeeded');
    assert.equal(after.properties.containers[0]?.properties.instanceView?.currentState.state, 'Running');
    assert.equal(after.properties.containers[0]?.properties.instanceView?.restartCount, before.properties.containers[0]?.properties.instanceView?.restartCount);
    const response = await fetch(`http://${after.properties.ipAddress.ip}:80/`);
    assert.equal(await response.text(), PAGE, 'the running version still answers');
  });

  it('refuses a cpu change in place, a taken DNS label, too much cpu, and a PUT while transitioning', async () => {
    const cpuChange = await create('web1', { dnsNameLabel: 'web1-label', cpu: 1 });
    assert.equal(cpuChange.status, 400);
    assert.equal(errorCode(cpuChange), 'InvalidContainerGroupUpdate');

    const labelTaken = await create('web2', { dnsNameLabel: 'WEB1-label' });
    assert.equal(labelTaken.status, 409);
    assert.equal(errorCode(labelTaken), 'DnsNameLabelAlreadyTaken');

    const tooBig = await create('web2', { cpu: 5 });
    assert.equal(tooBig.status, 409);
    assert.equal(errorCode(tooBig), 'ServiceUnavailable');

    const update = await create('web1', { dnsNameLabel: 'web1-label', command: ['/bin/busybox', 'httpd', '-f', '-p', '80', '-h', '/www'] });
    assert.equal(update.status, 200);
    const again = await create('web1', { dnsNameLabel: 'web1-label' });
    assert.equal(again.status, 409);
    assert.equal(errorCode(again), 'ContainerGroupTransitioning');
    assert.equal((await aci.waitForOperation(update)).status, 'Succeeded');
  });

  it('refuses images it cannot pull: wrong credentials, other registries (never contacted)', async () => {
    const wrong = await create('bad1', { password: 'wrong' });
    assert.equal(wrong.status, 400);
    assert.equal(errorCode(wrong), 'InaccessibleImage');
    const publicImage = await create('bad2', { image: 'nginx:latest' });
    assert.equal(errorCode(publicImage), 'InaccessibleImage');
    assert.equal((await aci.call('GET', `${aci.groupPath('bad1')}?${API}`)).status, 404);
  });

  it('shows a crashing container as CrashLoopBackOff with a growing restart count', async () => {
    const created = await create('crash1', { command: ['/bin/busybox', 'sh', '-c', 'echo boom; exit 3'] });
    assert.equal((await aci.waitForOperation(created)).status, 'Succeeded');
    const first = await eventually('a restart', async () => {
      const view = (await getGroup('crash1')).properties.containers[0]?.properties.instanceView;
      return view && view.restartCount >= 1 ? view : undefined;
    });
    const later = await eventually('the restart count to grow', async () => {
      const view = (await getGroup('crash1')).properties.containers[0]?.properties.instanceView;
      return view && view.restartCount > first.restartCount && view.currentState.detailStatus.startsWith('CrashLoopBackOff') ? view : undefined;
    });
    assert.equal(later.currentState.state, 'Waiting');
    assert.equal(later.currentState.detailStatus, 'CrashLoopBackOff: Back-off restarting failed');
    assert.equal(later.previousState?.state, 'Terminated');
    assert.equal(later.previousState?.exitCode, 3);
    assert.ok(later.events.some((e) => e.name === 'BackOff' && e.type === 'Warning'));
    assert.ok(later.events.some((e) => e.name === 'Killing' && e.type === 'Normal'), 'crash loops show Killing events, as Azure does');
    const logs = await aci.call('GET', `${aci.groupPath('crash1')}/containers/web/logs?${API}&tail=1`);
    assert.deepEqual(logs.body, { content: 'boom\n' });
  });

  it('runs the containerCrash fault as a real crash loop (exit code 1)', async () => {
    aci.faults.addScenarioFault({ kind: 'containerCrash', containerGroupName: 'crash2', count: 1 });
    const created = await create('crash2');
    assert.equal((await aci.waitForOperation(created)).status, 'Succeeded');
    const view = await eventually('the injected crash', async () => {
      const v = (await getGroup('crash2')).properties.containers[0]?.properties.instanceView;
      return v?.previousState?.exitCode === 1 ? v : undefined;
    });
    assert.ok(view.restartCount >= 1);
  });

  it('ends the operation Failed for the operationFailed fault', async () => {
    aci.faults.addScenarioFault({ kind: 'operationFailed', containerGroupName: 'failing', count: 1 });
    const operation = await aci.waitForOperation(await create('failing'));
    assert.equal(operation.status, 'Failed');
    assert.equal((operation.error as { code: string }).code, 'ContainerGroupDeploymentFailed');
    assert.equal((await getGroup('failing')).properties.provisioningState, 'Failed');
  });

  it('runs the neverReady fault: the container runs, its port never answers, readiness probes fail', async () => {
    aci.faults.addScenarioFault({ kind: 'neverReady', containerGroupName: 'silent', count: 1 });
    const body = groupBody({ image, server: registry.loginServer, ...credentials }) as { properties: { containers: { properties: Record<string, unknown> }[] } };
    const container = body.properties.containers[0];
    if (!container) throw new Error('fixture');
    container.properties.readinessProbe = { httpGet: { port: 80, path: '/' }, periodSeconds: 1 };
    const created = await aci.call('PUT', `${aci.groupPath('silent')}?${API}`, body);
    assert.equal((await aci.waitForOperation(created)).status, 'Succeeded');
    const group = await eventually('a failed readiness probe', async () => {
      const g = await getGroup('silent');
      return g.properties.containers[0]?.properties.instanceView?.events.some((e) => e.name === 'Unhealthy') ? g : undefined;
    });
    assert.equal(group.properties.containers[0]?.properties.instanceView?.currentState.state, 'Running');
    const answer = await fetch(`http://${group.properties.ipAddress.ip}/`).then(() => 'answered', () => 'refused');
    assert.equal(answer, 'refused');
    assert.equal((await aci.call('DELETE', `${aci.groupPath('silent')}?${API}`)).status, 200);
  });

  it('refuses the imagePullFails fault with InaccessibleImage, and answers 404s and api-version errors as ARM does', async () => {
    aci.faults.addScenarioFault({ kind: 'imagePullFails', containerGroupName: 'nopull', count: 1 });
    assert.equal(errorCode(await create('nopull')), 'InaccessibleImage');
    const otherGroup = aci.groupPath('x').replace('rg-aci-test', 'rg-missing');
    assert.equal(errorCode(await aci.call('GET', `${otherGroup}?${API}`)), 'ResourceGroupNotFound');
    assert.equal(errorCode(await aci.call('GET', `${aci.groupPath('nothing')}?${API}`)), 'ResourceNotFound');
    assert.equal(errorCode(await aci.call('GET', `${aci.groupPath('web1')}?api-version=2099-01-01`)), 'NoRegisteredProviderFound');
    const invalid = await aci.call('PUT', `${aci.groupPath('invalid')}?${API}`, { location: 'westeurope', properties: { containers: [] } });
    assert.equal(invalid.status, 400);
    assert.equal(errorCode(invalid), 'InvalidRequestContent');
  });

  it('stops, starts and restarts a group', async () => {
    const stop = await aci.call('POST', `${aci.groupPath('web1')}/stop?${API}`);
    assert.equal(stop.status, 204);
    const stopped = await getGroup('web1');
    assert.equal(stopped.properties.instanceView?.state, 'Stopped');
    assert.equal(stopped.properties.containers[0]?.properties.instanceView, undefined);

    const start = await aci.call('POST', `${aci.groupPath('web1')}/start?${API}`);
    assert.equal(start.status, 202);
    assert.equal((await aci.waitForOperation(start)).status, 'Succeeded');
    assert.equal((await getGroup('web1')).properties.instanceView?.state, 'Running');

    const restart = await aci.call('POST', `${aci.groupPath('web1')}/restart?${API}`);
    assert.equal(restart.status, 204);
    assert.equal((await aci.waitForOperation(restart)).status, 'Succeeded');
    const ip = (await getGroup('web1')).properties.ipAddress.ip;
    await eventually('the restarted container to answer', async () => ((await fetch(`http://${ip}/`).catch(() => undefined))?.ok ? true : undefined));
  });

  it('lists with nextLink paging', async () => {
    const listPath = `/subscriptions/00000000-1111-2222-3333-444444444444/providers/Microsoft.ContainerInstance/containerGroups?${API}`;
    const names: string[] = [];
    let next: string | undefined = listPath;
    while (next) {
      const response = await aci.call('GET', next);
      const body = response.body as { value: { name: string; properties: { instanceView?: unknown } }[]; nextLink?: string };
      names.push(...body.value.map((g) => g.name));
      next = body.nextLink ? new URL(body.nextLink).pathname + new URL(body.nextLink).search : undefined;
    }
    assert.deepEqual(names, ['crash1', 'crash2', 'failing', 'web1']);
  });

  it('deletes a group with its containers (200 with the body, then 204)', async () => {
    const deleted = await aci.call('DELETE', `${aci.groupPath('crash1')}?${API}`);
    assert.equal(deleted.status, 200);
    assert.equal((deleted.body as { name: string }).name, 'crash1');
    assert.deepEqual(await containersNamed(`lazure-${aci.instanceId}-crash1-`), []);
    assert.equal((await aci.call('DELETE', `${aci.groupPath('crash1')}?${API}`)).status, 204);
    assert.equal(errorCode(await aci.call('GET', `${aci.groupPath('crash1')}?${API}`)), 'ResourceNotFound');
  });
});
