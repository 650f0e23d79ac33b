/**
 * `npm run local-azure [-- --show-secrets] [--pending-seconds N]`: starts the Docker engine when needed and the local Azure,
 * prints its endpoints and ready-made service connections (as JSON and as the agent's ENDPOINT_*
 * variables), then runs until Ctrl+C or SIGTERM and stops everything it started.
 * Secrets are masked unless --show-secrets is given (a local dev tool: the values only open this machine's emulator).
 */
import { parseCliArguments, USAGE } from './cli-arguments';
import { ensureDockerHost } from './docker-host';
import { startLocalAzure, type LocalAzure } from './index';
import { toAgentEnvironment, type ServiceConnection } from './service-connection';

const MASK = '***';
const SECRET_PARAMETERS = new Set(['serviceprincipalkey', 'serviceprincipalcertificate', 'password', 'idtoken', 'apitoken']);
const SECRET_VARIABLES = new Set(['SYSTEM_ACCESSTOKEN', 'IDENTITY_HEADER']);

function masked(connection: ServiceConnection): ServiceConnection {
  const authParameters = Object.fromEntries(
    Object.entries(connection.authParameters).map(([key, value]) => [key, SECRET_PARAMETERS.has(key.toLowerCase()) ? MASK : value]),
  );
  return { ...connection, authParameters };
}

function shellLine(name: string, value: string): string {
  return /^[\w@%+=:,./-]*$/.test(value) ? `${name}=${value}` : `${name}=${JSON.stringify(value)}`;
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]*$/.test(word) ? word : JSON.stringify(word);
}

function describe(azure: LocalAzure, showSecrets: boolean, readyInMs: number): string {
  const connections = Object.values(azure.connections).map((connection) => (showSecrets ? connection : masked(connection)));
  const environment = Object.entries(azure.agentEnvironment()).map(([name, value]) => shellLine(name, showSecrets || !SECRET_VARIABLES.has(name) ? value : MASK));
  const lines = [
    `Local Azure ${azure.instanceId} is ready (${readyInMs} ms).`,
    '',
    `Resource Manager  ${azure.armUrl}`,
    `Entra ID          ${azure.authorityHost}/${azure.tenantId}/v2.0`,
    `Azure DevOps      ${azure.job.collectionUri}`,
    `Tenant            ${azure.tenantId}`,
    `Subscription      ${azure.subscriptionId}`,
    `Resource groups   ${azure.resourceGroups.join(', ')}`,
    ...azure.registries.map((registry) => `Registry          ${registry.name}  login server ${registry.loginServer}  admin user ${registry.adminUserEnabled ? 'on' : 'off'}`),
    `CA certificate    ${azure.caCertificatePath}`,
    ...azure.clusters.map(
      (cluster) =>
        `AKS cluster       ${cluster.name}  ${cluster.entraId ? 'Entra ID + Azure RBAC, local accounts disabled' : 'local accounts'}  API server ${cluster.server}  fqdn ${cluster.fqdn}`,
    ),
    `Kubeconfig        ${azure.kubeconfigPath}  (KUBECONFIG=${azure.kubeconfigPath} kubectl get namespaces)`,
    '',
    showSecrets ? 'Service connections (secrets shown: --show-secrets):' : 'Service connections (secrets masked; add --show-secrets to print them):',
    JSON.stringify(connections, null, 2),
    '',
    '# Agent environment for the service connections',
    ...connections.flatMap((connection) => Object.entries(toAgentEnvironment(connection)).map(([name, value]) => shellLine(name, value))),
    '',
    '# Job environment (CA, Azure DevOps job, managed identity endpoint)',
    ...environment,
    '',
    "# Azure CLI (Debian's azure-cli): this instance's own az config folder and CA, its cloud, a service principal sign-in",
    `export ${Object.entries(azure.azureCli.environment).map(([name, value]) => shellLine(name, value)).join(' ')}`,
    ...azure.azureCli.commands.map((command) => ['az', ...command].map(shellWord).join(' ')),
    '',
    'Press Ctrl+C to stop.',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const options = parseCliArguments(args);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { pendingInSeconds } = options;
  const startedAt = Date.now();
  const log = (line: string): void => void process.stderr.write(`local Azure: ${line}\n`);

  // Signals are handled from the start: a Ctrl+C or SIGTERM while starting stops what has started so far
  // (registry processes, certs.d entries, temp folder), instead of killing the process and leaving them.
  let stopSignal: string | undefined;
  const running: { stop?: () => void } = {};
  const onSignal = (signal: string): void => {
    if (stopSignal !== undefined) return;
    stopSignal = signal;
    log(`${signal}: stopping`);
    running.stop?.();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGHUP', () => onSignal('SIGHUP'));

  const host = await ensureDockerHost(log);
  const azure: LocalAzure = await startLocalAzure({ trustCaInProcess: false, pendingInSeconds }).catch(async (error: unknown) => {
    await host.stop();
    throw error;
  });
  const stop = (): void => {
    azure
      .stop()
      .then(() => host.stop())
      .then(() => {
        log('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        log(error instanceof Error ? error.message : String(error));
        process.exit(1);
      });
  };
  if (stopSignal !== undefined) {
    stop();
    return;
  }
  running.stop = stop;
  process.stdout.write(`${describe(azure, options.showSecrets, Date.now() - startedAt)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`local Azure: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
