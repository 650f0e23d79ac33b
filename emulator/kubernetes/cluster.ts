/**
 * One local Kubernetes cluster: its CA and certificates, the object store seeded as a new AKS cluster is
 * (namespaces default, kube-system, kube-public, kube-node-lease; the `kubernetes` Service), the API
 * server, and the runtime (controllers, kubelet) started on the same store. `stop()` removes all of it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { createCertificateAuthority, createSignedCertificate, type KeyAndCertificate } from '../core/certificates';
import type { FaultRegistry } from '../core/service-context';
import type { AccessTokenService } from '../identity/model/access-tokens';
import { createServiceAllocator } from './admission/service-allocation';
import { createFieldManager } from './apply/managed-fields';
import { startApiServer } from './api/api-server';
import { CONVERTED_RESOURCE_TYPES } from './api/converted-versions';
import { SELF_SUBJECT_ACCESS_REVIEWS } from './api/access-reviews';
import { createDiscovery } from './api/discovery';
import type { HandlerContext } from './api/handler-context';
import { createObjectWrites } from './api/object-writes';
import { createStrategicMerge } from './api/patches';
import { createAuthenticator } from './auth/authentication';
import { createAuthorizer, type AksRbacRole } from './auth/authorization';
import { sharedKubernetesSchema } from './openapi/kubernetes-schema';
import { createOpenApiDocuments } from './openapi/openapi-documents';
import { createSchemaDecoder } from './openapi/schema-decoder';
import type { ClusterInfo, ClusterRuntime, PodLogSource, RunningClusterRuntime } from './runtime-contract';
import { createObjectStore, type ObjectStore } from './store/object-store';
import { NAMESPACES, SERVICES } from './store/resource-types';

export interface KubernetesClusterOptions {
  info: ClusterInfo;
  /** e.g. aks-models-dns-1a2b3c4d.hcp.westeurope.azmk8s.io */
  fqdn: string;
  /** Local accounts (client certificates) accepted; false when disableLocalAccounts. */
  localAccounts: boolean;
  /** Entra ID integration: tokens for the AKS server app, and the identities' Azure roles on this cluster. */
  entraId?: { tokens: AccessTokenService; tenantId: string; azureRolesOf: (objectId: string) => readonly AksRbacRole[] };
  runtime?: ClusterRuntime;
  faults: FaultRegistry;
  now?: () => Date;
}

export interface KubernetesCluster {
  /** https://127.0.0.1:<port> */
  server: string;
  caCertificatePem: string;
  /** The local admin account's client certificate (CN=masterclient, O=system:masters). */
  adminCredential: KeyAndCertificate;
  store: ObjectStore;
  stop(): Promise<void>;
}

function seedCluster(store: ObjectStore): void {
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
    store.create(NAMESPACES, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  store.create(SERVICES, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      clusterIP: '10.0.0.1',
      clusterIPs: ['10.0.0.1'],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  });
}

export function serverVersionOf(kubernetesVersion: string): { major: string; minor: string; gitVersion: string } {
  const [major = '1', minor = '0'] = kubernetesVersion.split('.');
  return { major, minor, gitVersion: `v${kubernetesVersion}` };
}

export async function startKubernetesCluster(options: KubernetesClusterOptions): Promise<KubernetesCluster> {
  const { info } = options;
  const certificates = `${info.stateDirectory}/certificates`;
  await mkdir(certificates, { recursive: true, mode: 0o700 });
  const stops: (() => Promise<void>)[] = [() => rm(info.stateDirectory, { recursive: true, force: true })];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const ca = await createCertificateAuthority(certificates, 'ca');
    const [serverTls, adminCredential] = await Promise.all([
      createSignedCertificate(ca, certificates, {
        name: 'apiserver',
        subject: '/CN=apiserver',
        usage: 'server',
        altNames: ['IP:127.0.0.1', 'IP:10.0.0.1', 'DNS:localhost', `DNS:${options.fqdn}`, 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.cluster.local'],
      }),
      createSignedCertificate(ca, certificates, { name: 'client', subject: '/O=system:masters/CN=masterclient', usage: 'client' }),
    ]);
    const store = createObjectStore(options.now ? { now: options.now } : {});
    seedCluster(store);
    const schema = sharedKubernetesSchema();
    let podLogs: PodLogSource | undefined;
    const context: HandlerContext = {
      store,
      schema,
      writes: createObjectWrites(schema, createSchemaDecoder(schema)),
      fieldManager: createFieldManager(schema),
      strategicMerge: createStrategicMerge(schema),
      services: createServiceAllocator(),
      now: options.now ?? (() => new Date()),
      podLogs: () => podLogs,
    };
    const server = await startApiServer({
      tls: serverTls,
      clientCaPem: ca.certificatePem,
      serverAddress: `${options.fqdn}:443`,
      context,
      discovery: createDiscovery(
        serverVersionOf(info.kubernetesVersion),
        [...CONVERTED_RESOURCE_TYPES, SELF_SUBJECT_ACCESS_REVIEWS].map((type) => ({ group: type.group, version: type.version, resources: [type] })),
      ),
      openApi: createOpenApiDocuments(schema.document),
      authenticate: createAuthenticator({ clientCertificates: options.localAccounts, ...(options.entraId ? { entraId: options.entraId } : {}) }),
      authorize: createAuthorizer(options.entraId ? { azureRolesOf: options.entraId.azureRolesOf } : {}),
      faults: options.faults,
    });
    stops.push(() => server.stop());
    let runtime: RunningClusterRuntime | undefined;
    if (options.runtime) {
      runtime = await options.runtime.start({ store, cluster: info });
      podLogs = runtime.podLogs;
      const started = runtime;
      stops.push(() => started.stop());
    }
    let stopped: Promise<void> | undefined;
    return {
      server: `https://127.0.0.1:${server.port}`,
      caCertificatePem: ca.certificatePem,
      adminCredential,
      store,
      stop() {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
