/**
 * How ACI pulls the image. ACI pulls again whenever it restarts or moves a container, so whatever is
 * planned here must outlive the deployment: never a short-lived (ACR refresh/access) token.
 */
import { TaskError } from '../../common/errors';
import type { RegistryAuth } from './input-names';

export type RegistryCredentialPlan =
  | { kind: 'none'; reason: string }
  | { kind: 'managedIdentity'; server: string; identity: string }
  | { kind: 'servicePrincipal'; server: string; username: string; password: string }
  /** The registry's admin user: main() fetches its password (listCredentials). */
  | { kind: 'adminCredentials'; server: string; registryName: string }
  /** A Docker registry service connection: main() reads its username and password. */
  | { kind: 'dockerRegistryConnection'; server: string; connectionId: string };

export interface RegistryFacts {
  /** The image's registry host[:port]; undefined for Docker Hub short names. */
  server?: string;
  managedIdentityResourceId?: string;
  dockerRegistryServiceConnection?: string;
  /** The Azure connection's authentication scheme, e.g. 'ServicePrincipalKey'. */
  connectionScheme: string;
  /** The service principal's id and secret, for a 'ServicePrincipalKey' connection. */
  servicePrincipal?: { clientId: string; secret: string };
  /** The Azure Container Registry (in the connection's subscription) that serves `server`, when there is one. */
  registry?: { name: string; loginServer: string; adminUserEnabled: boolean };
  /** Why `registry` is undefined (e.g. the lookup's message), for the explanation. */
  registryLookup?: string;
}

/** Whether planning needs the registry resource looked up first (a Resource Manager call). */
export function needsRegistryLookup(mode: RegistryAuth, facts: Pick<RegistryFacts, 'server' | 'managedIdentityResourceId'>): boolean {
  if (facts.server === undefined) return false;
  return mode === 'adminCredentials' || (mode === 'auto' && facts.managedIdentityResourceId === undefined);
}

export function planRegistryCredentials(mode: RegistryAuth, facts: RegistryFacts): RegistryCredentialPlan {
  const server = facts.server ?? 'index.docker.io';
  switch (mode) {
    case 'none':
      return { kind: 'none', reason: "'registryAuth' is 'none'" };
    case 'managedIdentity':
      return { kind: 'managedIdentity', server, identity: required(facts.managedIdentityResourceId, 'managedIdentityResourceId') };
    case 'dockerRegistryConnection':
      return { kind: 'dockerRegistryConnection', server, connectionId: required(facts.dockerRegistryServiceConnection, 'dockerRegistryServiceConnection') };
    case 'serviceConnection':
      if (facts.servicePrincipal === undefined) throw noServicePrincipalKey(facts.connectionScheme);
      return { kind: 'servicePrincipal', server, username: facts.servicePrincipal.clientId, password: facts.servicePrincipal.secret };
    case 'adminCredentials':
      if (facts.registry === undefined) {
        throw new TaskError(
          `'registryAuth' is 'adminCredentials', but the image's registry '${server}' is not an Azure Container Registry in the service connection's subscription` +
            `${facts.registryLookup ? ` (${facts.registryLookup})` : ''}. Use a Docker registry service connection for other registries.`,
        );
      }
      if (!facts.registry.adminUserEnabled) throw adminDisabled(facts.registry.name);
      return { kind: 'adminCredentials', server: facts.registry.loginServer, registryName: facts.registry.name };
    case 'auto':
      return planAuto(server, facts);
  }
}

function planAuto(server: string, facts: RegistryFacts): RegistryCredentialPlan {
  if (facts.managedIdentityResourceId !== undefined) {
    return { kind: 'managedIdentity', server, identity: facts.managedIdentityResourceId };
  }
  if (facts.server === undefined) return { kind: 'none', reason: 'the image is on Docker Hub (no registry host in its name)' };
  if (facts.registry === undefined) {
    // Never send the service principal's secret to a registry that is not known to be the subscription's own.
    return {
      kind: 'none',
      reason:
        `'${server}' is not an Azure Container Registry in the service connection's subscription${facts.registryLookup ? ` (${facts.registryLookup})` : ''}; ` +
        "for a private registry elsewhere set 'registryAuth' to 'dockerRegistryConnection'",
    };
  }
  if (facts.servicePrincipal !== undefined) {
    return { kind: 'servicePrincipal', server: facts.registry.loginServer, username: facts.servicePrincipal.clientId, password: facts.servicePrincipal.secret };
  }
  if (facts.registry.adminUserEnabled) {
    return { kind: 'adminCredentials', server: facts.registry.loginServer, registryName: facts.registry.name };
  }
  throw new TaskError(
    `ACI needs lasting credentials to pull from '${facts.registry.loginServer}' (it pulls again on every restart), and none is available: ` +
      `the service connection uses ${describe(facts.connectionScheme)}, which has no secret ACI can keep, and the admin user of registry '${facts.registry.name}' is disabled. ` +
      "Do one of: set 'managedIdentityResourceId' to a user-assigned identity with the AcrPull role on the registry; " +
      "use a Docker registry service connection ('registryAuth: dockerRegistryConnection') with a token or service principal that has pull rights; " +
      `or enable the registry's admin user (az acr update -n ${facts.registry.name} --admin-enabled true).`,
  );
}

function required(value: string | undefined, input: string): string {
  if (value === undefined) throw new TaskError(`Input '${input}' is required for the chosen 'registryAuth'.`);
  return value;
}

function noServicePrincipalKey(scheme: string): TaskError {
  return new TaskError(
    `'registryAuth' is 'serviceConnection', but the service connection uses ${describe(scheme)}: ACI needs a user name and a password that last ` +
      '(it pulls again on every restart), and only a service principal with a secret has one. ' +
      "Use 'managedIdentity', 'adminCredentials' or 'dockerRegistryConnection' instead, or 'auto' to let the task choose.",
  );
}

function adminDisabled(registryName: string): TaskError {
  return new TaskError(
    `'registryAuth' is 'adminCredentials', but the admin user of container registry '${registryName}' is disabled. ` +
      `Enable it (az acr update -n ${registryName} --admin-enabled true) or pull with a managed identity ('registryAuth: managedIdentity').`,
  );
}

function describe(scheme: string): string {
  switch (scheme) {
    case 'ServicePrincipalKey':
      return 'a service principal with a secret';
    case 'ServicePrincipalCertificate':
      return 'a service principal with a certificate';
    case 'WorkloadIdentityFederation':
      return 'workload identity federation';
    case 'ManagedServiceIdentity':
      return "the agent's managed identity";
    default:
      return `the scheme '${scheme}'`;
  }
}

/** A one-line, secret-free description of the plan for the log. */
export function describeRegistryPlan(plan: RegistryCredentialPlan): string {
  switch (plan.kind) {
    case 'none':
      return `no registry credentials: ${plan.reason}`;
    case 'managedIdentity':
      return `managed identity ${plan.identity} for ${plan.server}`;
    case 'servicePrincipal':
      return `the service connection's service principal (${plan.username}) for ${plan.server}`;
    case 'adminCredentials':
      return `the admin user of registry '${plan.registryName}' for ${plan.server}`;
    case 'dockerRegistryConnection':
      return `Docker registry service connection '${plan.connectionId}' for ${plan.server}`;
  }
}
