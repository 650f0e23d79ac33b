/** A Container Instances service on the real Docker engine, with its routes called directly. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createAciService } from '../../../emulator/aci/aci-service';
import { createFaultRegistry } from '../../../emulator/core/faults';
import type { EmulatorResponse } from '../../../emulator/core/http-types';
import type { FaultRegistry, HostedService } from '../../../emulator/core/service-context';
import { createCaller, type Caller } from './direct-routes';
import { eventually } from '../../support/eventually';

export const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
export const RESOURCE_GROUP = 'rg-aci-test';
export const API = 'api-version=2023-05-01';

export interface AciFixture {
  instanceId: string;
  call: Caller;
  faults: FaultRegistry;
  service: HostedService;
  groupPath(name: string): string;
  /** Polls the operation named by Azure-AsyncOperation until it ends; returns its last body. */
  waitForOperation(response: EmulatorResponse): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startAciFixture(registry: { loginServer: string; username: string; password: string }, pageSize?: number): Promise<AciFixture> {
  const instanceId = `t${randomBytes(3).toString('hex')}`;
  const stateDirectory = await mkdtemp(join(tmpdir(), `lazure-${instanceId}-`));
  const faults = createFaultRegistry(() => 0);
  const service = await createAciService(
    {
      instanceId,
      subscriptionId: SUBSCRIPTION,
      resourceGroupLocation: (name) => (name.toLowerCase() === RESOURCE_GROUP ? 'westeurope' : undefined),
      locations: ['westeurope', 'eastus'],
      dockerSocketPath: '/var/run/docker.sock',
      registryLoginServers: [registry.loginServer],
      registryLogins: {
        canPull: (server, _repository, username, password) =>
          Promise.resolve(server === registry.loginServer && username === registry.username && password === registry.password),
        hasImage: async (server, repository, reference) => server === registry.loginServer && (await manifestExists(server, repository, reference)),
      },
      faults,
      stateDirectory,
    },
    pageSize === undefined ? {} : { pageSize },
  );
  const call = createCaller(service.routes);
  return {
    instanceId,
    call,
    faults,
    service,
    groupPath: (name) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.ContainerInstance/containerGroups/${name}`,
    async waitForOperation(response) {
      const url = new URL(response.headers?.['Azure-AsyncOperation'] ?? '');
      return eventually('the operation to end', async () => {
        const body = (await call('GET', `${url.pathname}${url.search}`)).body as Record<string, unknown>;
        return body.status !== 'Pending' && body.status !== 'Creating' ? body : undefined;
      }, { intervalInMs: 50 });
    },
    async stop() {
      try {
        await service.stop();
      } finally {
        await rm(stateDirectory, { recursive: true, force: true });
      }
    },
  };
}

/** HEAD on the plain registry's manifest (no auth): whether the image exists there. */
async function manifestExists(server: string, repository: string, reference: string): Promise<boolean> {
  const accept = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';
  const response = await fetch(`http://${server}/v2/${repository}/manifests/${reference}`, { method: 'HEAD', headers: { Accept: accept } });
  return response.ok;
}

export interface GroupOptions {
  image: string;
  server: string;
  username?: string;
  password?: string;
  command?: string[];
  cpu?: number;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  dnsNameLabel?: string;
  secure?: string;
}

export function groupBody(options: GroupOptions): Record<string, unknown> {
  return {
    location: 'westeurope',
    tags: { purpose: 'test' },
    properties: {
      osType: 'Linux',
      restartPolicy: options.restartPolicy ?? 'Always',
      imageRegistryCredentials: [{ server: options.server, username: options.username ?? 'user', password: options.password ?? 'pass' }],
      ipAddress: { type: 'Public', ports: [{ port: 80, protocol: 'TCP' }], ...(options.dnsNameLabel ? { dnsNameLabel: options.dnsNameLabel } : {}) },
      containers: [
        {
          name: 'web',
          properties: {
            image: options.image,
            ...(options.command ? { command: options.command } : {}),
            ports: [{ port: 80 }],
            environmentVariables: [{ name: 'GREETING', value: 'hi' }, { name: 'TOKEN', secureValue: options.secure ?? 'not-a-real-secret' }],
            resources: { requests: { cpu: options.cpu ?? 0.5, memoryInGB: 0.25 } },
          },
        },
      ],
    },
  };
}

export { eventually };
