/**
 * What the local Azure's core hands to each hosted service (notably aci/), and the fault-injection
 * contract shared by the core (HTTP-level faults) and the services (scenario faults).
 */
import type { Route } from './http-types';

export type HttpFaultKind = 'status' | 'reset' | 'latency';

export interface HttpFault {
  /** A route name ('aci.containerGroups.createOrUpdate'), a prefix with '*' ('aci.*'), or '*'. */
  route: string;
  kind: HttpFaultKind;
  /** For 'status': 429, 500, 503, ... */
  status?: number;
  /** For 'status' 429/503: the Retry-After header, in seconds. */
  retryAfterInSeconds?: number;
  /** For 'latency': added before the real handler runs. */
  latencyInMs?: number;
  /** Apply to the next `count` matching requests (default: every matching request). */
  count?: number;
  /** Apply with this probability (0..1) instead of, or as well as, a count. */
  probability?: number;
}

export type ScenarioFaultKind =
  /** The container group's create/update operation ends Failed. */
  | 'operationFailed'
  /** The container exits non-zero right after start (crash loop with restartPolicy Always). */
  | 'containerCrash'
  /** The container runs but never answers on its ports / readiness probe. */
  | 'neverReady'
  /** The image cannot be pulled (InaccessibleImage). */
  | 'imagePullFails';

export interface ScenarioFault {
  kind: ScenarioFaultKind;
  /** Limit to one container group; default any. */
  containerGroupName?: string;
  count?: number;
}

export interface FaultRegistry {
  addHttpFault(fault: HttpFault): void;
  addScenarioFault(fault: ScenarioFault): void;
  clear(): void;
  /** Consumes one matching HTTP fault for this route, if any (used by the core's front). */
  takeHttpFault(routeName: string): HttpFault | undefined;
  /** Consumes one matching scenario fault, if any (used by services such as aci/). */
  takeScenarioFault(kind: ScenarioFaultKind, containerGroupName: string): ScenarioFault | undefined;
}

export interface RegistryLoginCheck {
  /** True when `username`/`password` may pull `repository` from `loginServer` (admin user, SP secret, or refresh token). */
  canPull(loginServer: string, repository: string, username: string, password: string): Promise<boolean>;
  /**
   * The Docker credentials with which Container Instances pulls as the user-assigned managed identity
   * `identityResourceId` (an ACR refresh token issued to it, as ACI exchanges the identity's token):
   * undefined when the tenant has no such identity or its roles do not allow pulling from `loginServer`.
   */
  pullAsIdentity?(loginServer: string, repository: string, identityResourceId: string): Promise<{ username: string; password: string } | undefined>;
  /** True when the registry holds `repository` at `reference` (a tag or a digest): a missing one cannot be pulled. */
  hasImage(loginServer: string, repository: string, reference: string): Promise<boolean>;
}

/**
 * How long operations take. Azure keeps a new or changed container group Pending for 20 s to many
 * minutes before it starts creating; the default here is none (fast tests). The realistic-timing mode
 * sets `pendingInMs` (the object may change while the service runs, e.g. per test).
 */
export interface OperationTiming {
  pendingInMs: number;
}

export interface ServiceContext {
  /** Unique per running instance; prefix every Docker object name with it (containers: `lazure-<instanceId>-...`). */
  instanceId: string;
  subscriptionId: string;
  /** The resource group's location, or undefined when it does not exist. */
  resourceGroupLocation(resourceGroupName: string): string | undefined;
  /** Locations offered (e.g. ['westeurope', 'eastus']). */
  locations: readonly string[];
  /** Path of the Docker engine's socket (default /var/run/docker.sock). */
  dockerSocketPath: string;
  /** The local registries' login servers (host:port) that Docker can pull from. */
  registryLoginServers: readonly string[];
  registryLogins: RegistryLoginCheck;
  faults: FaultRegistry;
  /** A folder for this instance's files; removed on stop. */
  stateDirectory: string;
  /** Realistic timing (default: operations leave Pending at once). */
  timing?: OperationTiming;
}

/** A resource as Resource Manager's generic list (`/resources`) shows it. */
export interface GenericResource {
  id: string;
  name: string;
  type: string;
  location: string;
  tags?: Record<string, string>;
  sku?: Record<string, unknown>;
  identity?: Record<string, unknown>;
  systemData?: Record<string, string>;
}

/** A hosted service: routes for the front, and a stop that removes everything it started. */
export interface HostedService {
  routes: Route[];
  /** Its resources, for Resource Manager's generic list. */
  resources?(): GenericResource[];
  stop(): Promise<void>;
}
