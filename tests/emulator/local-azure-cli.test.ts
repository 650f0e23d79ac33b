/**
 * `npm run local-azure` as a user runs it: it becomes ready, prints the endpoints and the service
 * connections (JSON and ENDPOINT_* variables) that work with the real clients, and on SIGTERM (sent to
 * npm, as a supervisor does) or Ctrl+C (SIGINT to the whole process group, as a terminal does) it stops:
 * the containers of its container groups, its registry processes, its certs.d entries and its temp
 * folder are gone, and it exits 0.
 */
import assert from 'node:assert/strict';
import { ensureDebianKubectl, runKubectl } from '../support/debian-kubectl';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ContainerInstanceManagementClient } from '@azure/arm-containerinstance';
import { ClientSecretCredential } from '@azure/identity';
import { trustCertificateAuthorityInProcess } from '../../emulator/core/ca-trust';
import { toAgentEnvironment, type ServiceConnection } from '../../emulator/service-connection';
import { buildBusyboxImage, containersNamed, removeImage } from './aci-support/test-image';
import { signal, spawnLocalAzure, waitUntilReady, type LocalAzureOutput, type LocalAzureProcess } from '../support/local-azure-process';
import { required } from './local-azure-fixture';

const run = promisify(execFile);
const LOCAL_TAG = `lazure-cli-busybox:${process.pid}`;
const READY_TIMEOUT_IN_MS = 90_000;

function connectionNamed(output: LocalAzureOutput, name: string): ServiceConnection {
  const found = output.connections.find((connection) => connection.name === name);
  if (!found) throw new Error(`No service connection '${name}' was printed.`);
  return found;
}

async function registryProcessesOf(instanceId: string): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'args']);
  return stdout.split('\n').filter((line) => line.startsWith('docker-registry') && line.includes(`lazure-${instanceId}-`));
}

async function assertCleanedUp(output: LocalAzureOutput): Promise<void> {
  const id = output.instanceId;
  assert.deepEqual(await containersNamed(`lazure-${id}-`), [], 'no container of its container groups is left');
  assert.deepEqual(await registryProcessesOf(id), [], 'no docker-registry process is left');
  for (const loginServer of output.loginServers) assert.equal(existsSync(join('/etc/docker/certs.d', loginServer)), false, `certs.d/${loginServer} is removed`);
  assert.deepEqual(readdirSync(tmpdir()).filter((name) => name.startsWith(`lazure-${id}-`)), [], 'its temp folder is removed');
  await assert.rejects(fetch(output.armUrl), 'nothing answers on its port any more');
}

/** Pushes the test image with the docker CLI and the printed registry connection (admin user, password on stdin). */
async function pushWithPrintedConnection(registry: ServiceConnection, loginServer: string): Promise<string> {
  const config = await mkdtemp(join(tmpdir(), 'lazure-cli-docker-'));
  const env = { ...process.env, DOCKER_CONFIG: config };
  try {
    const login = run('docker', ['login', loginServer, '--username', required(registry.authParameters.username, 'username'), '--password-stdin'], { env });
    login.child.stdin?.end(required(registry.authParameters.password, 'password'));
    await login;
    const image = `${loginServer}/cli/busybox:1`;
    await run('docker', ['tag', LOCAL_TAG, image], { env });
    await run('docker', ['push', image], { env });
    await run('docker', ['image', 'rm', image], { env });
    return image;
  } finally {
    await rm(config, { recursive: true, force: true });
  }
}

describe('local Azure: npm run local-azure', function () {
  this.timeout(240_000);
  let running: LocalAzureProcess | undefined;
  const untrust: (() => void)[] = [];

  before(async function () {
    await buildBusyboxImage(LOCAL_TAG);
  });

  afterEach(async function () {
    // Also on failure: stop it the way it is meant to be stopped, so that it cleans up after itself.
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      signal(running, 'SIGTERM', 'npm');
      await running.exited;
    }
    running = undefined;
    for (const undo of untrust.splice(0)) undo();
  });

  after(async () => {
    await removeImage(LOCAL_TAG);
  });

  it('prints working service connections and ENDPOINT_* variables, and removes everything on SIGTERM to npm', async () => {
    running = spawnLocalAzure(['--show-secrets']);
    const output = await waitUntilReady(running, READY_TIMEOUT_IN_MS);
    untrust.push(trustCertificateAuthorityInProcess(await readFile(output.caCertificatePath, 'utf8')));

    assert.deepEqual(output.connections.map((connection) => connection.scheme).sort(), [
      'ManagedServiceIdentity', 'ServicePrincipal', 'ServicePrincipal', 'ServicePrincipal', 'UsernamePassword', 'WorkloadIdentityFederation',
    ]);
    for (const connection of output.connections) {
      for (const [name, value] of Object.entries(toAgentEnvironment(connection))) assert.equal(output.variables.get(name), value, `${name} is printed as the agent sets it`);
    }
    assert.equal(output.variables.get('NODE_EXTRA_CA_CERTS'), output.caCertificatePath);
    assert.equal(output.loginServers.length, 2);

    const registry = connectionNamed(output, 'local-azure-registry');
    const primary = required(output.loginServers[0], 'login server');
    const image = await pushWithPrintedConnection(registry, primary);

    const spn = connectionNamed(output, 'local-azure-spn-secret');
    const credential = new ClientSecretCredential(required(spn.authParameters.tenantid, 'tenant'), required(spn.authParameters.serviceprincipalid, 'id'), required(spn.authParameters.serviceprincipalkey, 'key'), {
      authorityHost: required(spn.data.environmentAuthorityUrl, 'authority'),
      disableInstanceDiscovery: true,
    });
    const endpoint = spn.url.replace(/\/$/, '');
    const client = new ContainerInstanceManagementClient(credential, required(spn.data.subscriptionId, 'subscription'), {
      endpoint,
      credentialScopes: [`${required(spn.data.activeDirectoryServiceEndpointResourceId, 'audience')}/.default`],
    });
    const created = await client.containerGroups.beginCreateOrUpdateAndWait('rg-models', 'cli-web', {
      location: 'westeurope',
      osType: 'Linux',
      imageRegistryCredentials: [{ server: primary, username: required(registry.authParameters.username, 'username'), password: required(registry.authParameters.password, 'password') }],
      containers: [{ name: 'web', image, resources: { requests: { cpu: 0.25, memoryInGB: 0.25 } } }],
    }, { updateIntervalInMs: 50 });
    assert.equal(created.provisioningState, 'Succeeded');
    assert.equal((await containersNamed(`lazure-${output.instanceId}-`)).length, 1, 'the group runs as a container');

    // The printed AKS clusters, and the printed kubeconfig working with kubectl in both contexts.
    assert.match(running.stdout(), /^AKS cluster {7}aks-models {2}Entra ID \+ Azure RBAC, local accounts disabled {2}API server https:\/\/127\.0\.0\.1:\d+ {2}fqdn aks-models-rg-models-/m);
    assert.match(running.stdout(), /^AKS cluster {7}aks-models-local {2}local accounts {2}API server https:\/\/127\.0\.0\.1:\d+/m);
    const kubeconfig = required(/^Kubeconfig {8}(\S+)/m.exec(running.stdout())?.[1], 'kubeconfig path');
    await ensureDebianKubectl();
    for (const context of ['aks-models-local-admin', 'aks-models']) {
      const namespaces = await runKubectl(kubeconfig, ['--context', context, 'get', 'namespace', 'default', '-o', 'name']);
      assert.equal(namespaces.stdout.trim(), 'namespace/default', `${context}: ${namespaces.stderr}`);
    }

    signal(running, 'SIGTERM', 'npm');
    assert.equal(await running.exited, 0, running.stderr());
    assert.match(running.stderr(), /SIGTERM: stopping[\s\S]*stopped/);
    await assertCleanedUp(output);
  });

  it('stops cleanly on Ctrl+C (SIGINT to the whole process group) and masks secrets by default', async () => {
    running = spawnLocalAzure();
    const output = await waitUntilReady(running, READY_TIMEOUT_IN_MS);
    const spn = connectionNamed(output, 'local-azure-spn-secret');
    assert.equal(spn.authParameters.serviceprincipalkey, '***');
    assert.equal(output.variables.get('SYSTEM_ACCESSTOKEN'), '***');
    assert.equal(output.variables.get(`ENDPOINT_AUTH_PARAMETER_${spn.id}_SERVICEPRINCIPALKEY`), '***');

    signal(running, 'SIGINT', 'group');
    assert.equal(await running.exited, 0, running.stderr());
    await assertCleanedUp(output);
  });
});
