/**
 * What the DeployToAci end-to-end and reliability tests share: a local Azure for a suite (as mocha
 * hooks: useDeployEnvironment), tiny images built locally from Debian's static busybox (never from a
 * public registry) and pushed to the local registry, and a runner for the bundled task against it.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type LocalAzure, type LocalRegistry, startLocalAzure } from '../../../emulator/index';
import { ensureBuilt } from '../../../scripts/agent/build-once';
import { runBundledTask, type TaskRun } from '../../../scripts/agent/run-task';
import { readThrough } from '../../support/read-through';
import { docker } from '../../support/docker-cli';

const BUSYBOX = '/bin/busybox';

export { docker };

export function requireBusybox(): void {
  if (!fs.existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: install Debian's busybox-static (apt-get install busybox-static) to build the test images.`);
}

export interface TestImages {
  /** Pushes an image whose httpd answers `page` on port 80 (to `registry`, default the one with the admin user); returns `<loginServer>/<repository>@<digest>`. */
  pushHttpd(page: string, repository?: string, registry?: LocalRegistry): Promise<string>;
  /** Pushes an image that prints `lines` and exits 1. */
  pushCrashing(lines: string[], repository?: string): Promise<string>;
  remove(): Promise<void>;
}

export function testImages(azure: LocalAzure): TestImages {
  requireBusybox();
  const prefix = `amd-deploy-e2e-${randomBytes(3).toString('hex')}`;
  const built: string[] = [];
  let counter = 0;
  const build = async (files: Record<string, string>, dockerfileTail: string, repository: string, registry: LocalRegistry = azure.registry): Promise<string> => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-deploy-image-'));
    try {
      fs.copyFileSync(BUSYBOX, path.join(folder, 'busybox'));
      for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), content);
      fs.writeFileSync(path.join(folder, 'Dockerfile'), `FROM scratch\nCOPY busybox /bin/busybox\n${dockerfileTail}\n`);
      const local = `${prefix}:${++counter}`;
      built.push(local);
      // --no-cache: every test image has intermediate images of its own. They would otherwise be shared with
      // any build on the engine that starts with the same steps (the busybox layer), and removing one run's
      // images would delete the parents another run's build is about to commit onto ("unknown parent image ID").
      await docker(['build', '--quiet', '--no-cache', '--tag', local, folder]);
      const digest = await azure.pushImage(local, repository, `v${counter}`, registry.name);
      return `${registry.loginServer}/${repository}@${digest}`;
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  };
  return {
    pushHttpd: (page, repository = 'e2e/deploy-httpd', registry = azure.registry) =>
      build({ 'index.html': page }, 'COPY index.html /www/index.html\nENTRYPOINT ["/bin/busybox", "httpd", "-f", "-v", "-p", "80", "-h", "/www"]', repository, registry),
    pushCrashing: (lines, repository = 'e2e/deploy-crash') =>
      build({ 'crash.sh': `${lines.map((l) => `echo '${l.replace(/'/g, '')}'`).join('\n')}\nexit 1\n` }, 'COPY crash.sh /crash.sh\nENTRYPOINT ["/bin/busybox", "sh", "/crash.sh"]', repository),
    remove: async () => {
      const listing = await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']).catch(() => '');
      const mine = [...built, ...listing.split('\n').filter((line) => azure.registries.some((registry) => line.startsWith(`${registry.loginServer}/`)))];
      if (mine.length > 0) await docker(['image', 'rm', '--force', ...mine]).catch(() => '');
    },
  };
}

export interface DeployOptions {
  inputs?: Record<string, string>;
  variables?: Record<string, string>;
  connection?: keyof LocalAzure['connections'];
  extraConnections?: (keyof LocalAzure['connections'])[];
  secretVariables?: Record<string, string>;
  /** Each line of the task's log as it arrives. */
  onLine?: (line: string) => void;
}

export function deployRunner(azure: LocalAzure): (options: DeployOptions) => Promise<TaskRun & { finishedAt: number }> {
  return async (options) => {
    const connection = azure.connections[options.connection ?? 'spnKey'];
    const run = await runBundledTask({
      task: 'DeployToAciV1',
      inputs: {
        azureSubscription: connection.id,
        resourceGroup: azure.resourceGroups[0] ?? 'rg',
        ports: '80',
        ...options.inputs,
      },
      connections: [connection, ...(options.extraConnections ?? []).map((name) => azure.connections[name])],
      ...(options.variables ? { variables: options.variables } : {}),
      ...(options.secretVariables ? { secretVariables: options.secretVariables } : {}),
      env: azure.agentEnvironment(),
      timeoutInMs: 5 * 60_000,
      ...(options.onLine ? { onLine: options.onLine } : {}),
    });
    return { ...run, finishedAt: Date.now() };
  };
}

export type DeployRunner = ReturnType<typeof deployRunner>;

/** A suite's local Azure, with its test images and the task runner. */
export interface DeploySuite {
  readonly azure: LocalAzure;
  readonly images: TestImages;
  readonly deploy: DeployRunner;
}

/**
 * Registers the suite's hooks: before, the tasks built and a local Azure started; before each test,
 * no faults and an empty request log; after, the images removed and the local Azure stopped. Register
 * the suite's own before hooks (pushing its images) after calling this.
 */
export function useDeployEnvironment(): DeploySuite {
  let suite: DeploySuite | undefined;
  let azure: LocalAzure | undefined;
  before(async () => {
    await ensureBuilt();
    azure = await startLocalAzure();
    suite = { azure, images: testImages(azure), deploy: deployRunner(azure) };
  });
  after(async () => {
    await suite?.images.remove();
    await azure?.stop();
  });
  beforeEach(() => {
    azure?.faults.clear();
    azure?.clearRequests();
  });
  const current = (): DeploySuite => {
    if (!suite) throw new Error('The local Azure is not started: use it inside a test or hook.');
    return suite;
  };
  return readThrough(current, ['azure', 'images', 'deploy']);
}

/** GET url with a short timeout; the body, or undefined when nothing answers. */
export async function fetchText(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return await response.text();
  } catch {
    return undefined;
  }
}

/** Resource Manager requests in the log (the registry data plane excluded). */
export function armRequests(azure: LocalAzure): { route: string; method: string; status: number }[] {
  return azure
    .requests()
    .filter((e) => e.host === 'management' && !e.route.startsWith('identity.') && !e.route.startsWith('entra'))
    .map((e) => ({ route: e.route, method: e.method, status: e.status }));
}

/** Reads a group as Azure reports it (instance view included), with the SDK and the service principal, independently of the task. */
export async function readGroup(azure: LocalAzure, name: string): Promise<import('@azure/arm-containerinstance').ContainerGroup | undefined> {
  const { ClientSecretCredential } = await import('@azure/identity');
  const { ContainerInstanceManagementClient } = await import('@azure/arm-containerinstance');
  const params = azure.connections.spnKey.authParameters;
  const credential = new ClientSecretCredential(params.tenantid ?? '', params.serviceprincipalid ?? '', params.serviceprincipalkey ?? '', {
    authorityHost: azure.authorityHost,
    disableInstanceDiscovery: true,
  });
  const endpoint = azure.armUrl.replace(/\/+$/, '');
  const client = new ContainerInstanceManagementClient(credential, azure.subscriptionId, { endpoint, credentialScopes: [`${azure.connections.spnKey.data.activeDirectoryServiceEndpointResourceId ?? azure.armUrl}/.default`] });
  try {
    return await client.containerGroups.get(azure.resourceGroups[0] ?? '', name);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}
