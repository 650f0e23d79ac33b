/**
 * Debian's azure-cli (`az` 2.45, apt package `azure-cli`, installed by .ci/run and `npm test`) against
 * the local Azure, unchanged: the sign-in lines `npm run local-azure` prints, then the seed tutorial's
 * commands (acr login, docker push, container create with a DNS name label and port 80, show, logs,
 * restart, stop, start, delete) and its mistakes (a cpu change, a bad image, an invalid name, a missing
 * resource group), each ending as on Azure. Every request az makes to anything but 127.0.0.1 goes to a
 * dead proxy (which counts the attempts: there must be none), so nothing leaves the machine. Secrets reach az as `@file` arguments only.
 *
 * LROs use `--no-wait` and `az container show`: azure-cli's poller waits 30 s between polls when the
 * reply has no Retry-After (Azure's replies have none), which would make this test minutes long.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '../support/eventually';
import { signal, spawnLocalAzure, waitUntilReady, type LocalAzureOutput, type LocalAzureProcess } from '../support/local-azure-process';
import { buildBusyboxImage, docker, PAGE, removeImage } from './aci-support/test-image';

const run = promisify(execFile);
const LOCAL_TAG = `lazure-az-busybox:${process.pid}`;
const GROUP = `az-web-${process.pid}`;
const LABEL = `az-web-${process.pid}`;

interface AzResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface ShownGroup {
  provisioningState: string;
  ipAddress: { ip: string; fqdn: string; ports: { port: number }[] };
  instanceView?: { state: string };
  containers: { name: string; resources: { requests: { cpu: number } }; instanceView?: { currentState: { state: string } } }[];
}

function findAz(): string {
  const found = (process.env.PATH ?? '').split(delimiter).map((folder) => join(folder, 'az')).find((candidate) => existsSync(candidate));
  if (!found) throw new Error("The Azure CLI ('az') is missing: install Debian's azure-cli package (apt-get install azure-cli; .ci/run and npm test do this as root).");
  return found;
}

describe("local Azure: Debian's azure-cli runs the seed tutorial's commands unchanged", function () {
  this.timeout(300_000);
  let az: string;
  let running: LocalAzureProcess | undefined;
  let output: LocalAzureOutput;
  let dockerConfig: string;
  let environment: NodeJS.ProcessEnv;
  /** The proxy for everything that is not 127.0.0.1: it closes every connection, and counts them. */
  let deadProxy: Server;
  let proxyAttempts = 0;
  const proxyRequests: string[] = [];

  async function azRun(args: string[]): Promise<AzResult> {
    try {
      const { stdout, stderr } = await run(az, [...args, '--only-show-errors'], { env: environment, maxBuffer: 16 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof failure.code === 'number' ? failure.code : -1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
    }
  }

  async function azOk(args: string[]): Promise<string> {
    const result = await azRun(args);
    assert.equal(result.code, 0, `az ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout;
  }

  async function show(): Promise<ShownGroup> {
    return JSON.parse(await azOk(['container', 'show', '--resource-group', 'rg-models', '--name', GROUP, '--output', 'json'])) as ShownGroup;
  }

  async function showUntil(what: string, done: (group: ShownGroup) => boolean): Promise<ShownGroup> {
    return eventually(what, async () => {
      const group = await show();
      return done(group) ? group : undefined;
    }, { timeoutInMs: 120_000, intervalInMs: 250 });
  }

  /** The page, through the group's DNS name (published in /etc/hosts when running as root) or its IP. */
  async function page(group: ShownGroup): Promise<string> {
    const host = process.getuid?.() === 0 ? group.ipAddress.fqdn : group.ipAddress.ip;
    return eventually(`the container to answer on ${host}`, async () => {
      const response = await fetch(`http://${host}:80/`).catch(() => undefined);
      return response?.ok ? response.text() : undefined;
    }, { timeoutInMs: 60_000, intervalInMs: 200 });
  }

  /** busybox httpd -v logs each request as `<client>: response:200`: az container logs shows it. */
  async function readLogs(): Promise<AzResult> {
    let logs = '';
    await eventually('the request in the container logs', async () => {
      logs = await azOk(['container', 'logs', '--resource-group', 'rg-models', '--name', GROUP]);
      return /response:200/.test(logs) ? logs : undefined;
    }, { timeoutInMs: 30_000, intervalInMs: 500, lastSeen: () => `az container logs printed: ${JSON.stringify(logs)}` });
    return { code: 0, stdout: logs, stderr: '' };
  }

  before(async function () {
    az = findAz();
    running = spawnLocalAzure();
    const started = running;
    [output] = await Promise.all([waitUntilReady(started, 120_000), buildBusyboxImage(LOCAL_TAG)]);
    dockerConfig = await mkdtemp(join(tmpdir(), 'lazure-az-docker-'));
    deadProxy = createServer((socket) => {
      proxyAttempts += 1;
      socket.once('data', (chunk: Buffer) => {
        proxyRequests.push(chunk.toString('latin1').split('\r\n')[0] ?? '');
        socket.destroy();
      });
      setTimeout(() => socket.destroy(), 1000).unref();
    });
    await new Promise<void>((resolve) => deadProxy.listen(0, '127.0.0.1', resolve));
    const address = deadProxy.address();
    const DEAD_PROXY = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 9}`;
    environment = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...Object.fromEntries(output.azureCli.environment),
      // Everything that is not the local Azure goes to a dead proxy: no request can leave the machine.
      HTTPS_PROXY: DEAD_PROXY,
      HTTP_PROXY: DEAD_PROXY,
      https_proxy: DEAD_PROXY,
      http_proxy: DEAD_PROXY,
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
      AZURE_CORE_COLLECT_TELEMETRY: 'no',
      AZURE_CORE_NO_COLOR: 'true',
      DOCKER_CONFIG: dockerConfig,
    };
  });

  after(async function () {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      signal(running, 'SIGTERM', 'npm');
      assert.equal(await running.exited, 0, running.stderr());
    }
    if (dockerConfig) await rm(dockerConfig, { recursive: true, force: true });
    await new Promise((resolve) => (deadProxy ? deadProxy.close(resolve) : resolve(undefined)));
    await removeImage(LOCAL_TAG);
  });

  it('signs in with the printed lines, pushes with az acr login, runs a group through its life, and refuses mistakes as Azure does', async function () {
    // The printed set-up: register the cloud from /metadata/endpoints, make it active, sign in (secret from a file).
    assert.equal(output.azureCli.commands.length, 3, 'cloud register, cloud set, login');
    for (const command of output.azureCli.commands) await azOk(command);
    const login = output.azureCli.commands[2] ?? [];
    assert.ok(!login.some((word) => word.length > 20 && !word.startsWith('@') && !/^[0-9a-f-]{36}$/.test(word) && !word.startsWith('--')), 'no secret on the az command line');

    // az acr login finds the registry through ARM's generic resource list and gives docker a refresh token.
    const registryName = /^Registry\s+(\S+)\s+login server/m.exec(running?.stdout() ?? '')?.[1] ?? '';
    const loginServer = output.loginServers[0] ?? '';
    await azOk(['acr', 'login', '--name', registryName]);
    const dockerAuth = JSON.parse(await readFile(join(dockerConfig, 'config.json'), 'utf8')) as { auths: Record<string, { auth: string }> };
    assert.match(Buffer.from(dockerAuth.auths[loginServer]?.auth ?? '', 'base64').toString('utf8'), /^00000000-0000-0000-0000-000000000000:ey/);
    const image = `${loginServer}/tutorial/web:1`;
    await docker(['tag', LOCAL_TAG, image]);
    try {
      await docker(['push', image], { env: { ...process.env, DOCKER_CONFIG: dockerConfig } });
    } finally {
      await docker(['image', 'rm', image]).catch(() => '');
    }

    // The tutorial's create, with the service principal as registry user (its secret from the printed file).
    const secretArgument = login[login.indexOf('--password') + 1] ?? '';
    const clientId = login[login.indexOf('--username') + 1] ?? '';
    const create = (name: string, extra: string[], resourceGroup = 'rg-models', withImage = image): Promise<AzResult> =>
      azRun([
        'container', 'create', '--resource-group', resourceGroup, '--name', name, '--image', withImage,
        '--registry-login-server', loginServer, '--registry-username', clientId, '--registry-password', secretArgument,
        '--ports', '80', '--cpu', '0.5', '--memory', '0.5', '--os-type', 'Linux', '--output', 'none', ...extra,
      ]);
    const created = await create(GROUP, ['--dns-name-label', LABEL, '--no-wait']);
    assert.equal(created.code, 0, created.stderr);
    const runningGroup = await showUntil('the group to succeed', (group) => group.provisioningState === 'Succeeded' && group.containers[0]?.instanceView?.currentState.state === 'Running');
    assert.equal(runningGroup.ipAddress.fqdn, `${LABEL}.westeurope.azurecontainer.io`);
    assert.deepEqual(runningGroup.ipAddress.ports.map((port) => port.port), [80]);
    assert.equal(await page(runningGroup), PAGE);
    // The mistakes, each refused on the PUT as Azure refuses it (run side by side to keep the test short).
    const [cpuChange, badImage, badName, noGroup] = await Promise.all([
      create(GROUP, ['--dns-name-label', LABEL, '--cpu', '1']),
      create(`az-bad-${process.pid}`, [], 'rg-models', `${loginServer}/tutorial/missing:1`),
      create('MyAIApp', []),
      create(`az-lost-${process.pid}`, [], 'rg-missing'),
      readLogs(),
    ]);
    assert.equal(cpuChange.code, 1);
    assert.match(cpuChange.stderr, /\(InvalidContainerGroupUpdate\) The updates on container group '.*' are invalid/);
    assert.match(badImage.stderr, /\(InaccessibleImage\) The image '.*\/tutorial\/missing:1' in container group 'az-bad-\d+' is not accessible/);
    assert.match(badName.stderr, /\(InvalidContainerName\) The container name 'MyAIApp' in container group 'MyAIApp' is invalid/);
    assert.match(noGroup.stderr, /\(ResourceGroupNotFound\) Resource group 'rg-missing' could not be found/);
    for (const failed of [badImage, badName, noGroup]) assert.notEqual(failed.code, 0);

    // restart, stop, start: the group answers again afterwards.
    await azOk(['container', 'restart', '--resource-group', 'rg-models', '--name', GROUP, '--no-wait']);
    const restarted = await showUntil('the restart to finish', (group) => group.provisioningState === 'Succeeded' && group.containers[0]?.instanceView?.currentState.state === 'Running');
    assert.equal(await page(restarted), PAGE);
    assert.equal(restarted.containers[0]?.resources.requests.cpu, 0.5, 'the refused cpu change left the group as it was');
    await azOk(['container', 'stop', '--resource-group', 'rg-models', '--name', GROUP]);
    assert.equal((await show()).instanceView?.state, 'Stopped');
    await azOk(['container', 'start', '--resource-group', 'rg-models', '--name', GROUP, '--no-wait']);
    const started = await showUntil('the start to finish', (group) => group.provisioningState === 'Succeeded' && group.containers[0]?.instanceView?.currentState.state === 'Running');
    assert.equal(await page(started), PAGE);

    await azOk(['container', 'delete', '--resource-group', 'rg-models', '--name', GROUP, '--yes', '--output', 'none']);
    const gone = await azRun(['container', 'show', '--resource-group', 'rg-models', '--name', GROUP]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /\(ResourceNotFound\)/);
    // az's only own attempt: on its first run in a fresh config folder it checks for a newer az
    // (azure.cli.core.util.handle_version_update -> check_connectivity('https://azure.microsoft.com')).
    const others = proxyRequests.filter((request) => request !== 'CONNECT azure.microsoft.com:443 HTTP/1.0');
    assert.deepEqual(others, [], 'az never tried to reach anything else (sign-in included: no instance discovery at login.microsoftonline.com)');
    assert.equal(proxyAttempts, proxyRequests.length, 'every attempt through the proxy was seen');
  });
});
