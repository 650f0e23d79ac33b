/**
 * Carries out the registry credential plan: looks the image's registry up when the plan needs it,
 * plans (pure, registry-credentials.ts), then reads the secret the plan names.
 */
import type { ContainerGroup, ImageRegistryCredential } from '@azure/arm-containerinstance';
import { type ContainerRegistries, type RegistryInfo, RegistryNotFoundError, resourceGroupOf } from '../../common/azure/container-registries';
import type { DockerRegistryCredentials } from '../../common/docker-registry-connection';
import { TaskError, messageOf } from '../../common/errors';
import type { TaskLog } from '../../common/task-runtime';
import { INPUT, type DeployInputs } from './inputs';
import { TAG, toRegistryCredential } from './plan';
import { type RegistryFacts, describeRegistryPlan, needsRegistryLookup, planRegistryCredentials } from './registry-credentials';

export interface RegistryAccessDeps {
  log: TaskLog;
  connection: { scheme: string; clientId?: string; secret?: string };
  registries(): Promise<ContainerRegistries>;
  dockerRegistry(connectionId: string, inputName: string): DockerRegistryCredentials;
}

/**
 * The registry a group this task deployed pulls from with the registry's admin user: its TAG.registry
 * resource ID, trusted only when the group's stored credential for `server` is that registry's admin
 * user (ACR names the admin user after the registry). Pure.
 */
export function registryOfGroup(existing: ContainerGroup | undefined, server: string | undefined): RegistryInfo | undefined {
  const id = existing?.tags?.[TAG.registry];
  if (id === undefined || server === undefined) return undefined;
  const name = /\/providers\/Microsoft\.ContainerRegistry\/registries\/([^/]+)$/i.exec(id)?.[1];
  const resourceGroup = resourceGroupOf(id);
  if (name === undefined || resourceGroup === '') return undefined;
  const credential = existing?.imageRegistryCredentials?.find((entry) => entry.server.toLowerCase() === server.toLowerCase());
  if (credential?.username?.toLowerCase() !== name.toLowerCase()) return undefined;
  return { id, name, resourceGroup, loginServer: credential.server, adminUserEnabled: true };
}

export interface RegistryAccess {
  credential?: ImageRegistryCredential;
  description: string;
  /** The registry whose admin user the credential is (for TAG.registry). */
  registryId?: string;
}

/**
 * `existing`: the group as it is. When this task deployed it with the registry's admin user, the
 * password is read straight from the registry it names (one request); the registries are listed only
 * when that fails or does not apply.
 */
export async function resolveRegistryCredential(
  inputs: Pick<DeployInputs, 'image' | 'registryAuth' | 'managedIdentityResourceId' | 'dockerRegistryServiceConnection'>,
  deps: RegistryAccessDeps,
  existing?: ContainerGroup,
): Promise<RegistryAccess> {
  const server = inputs.image.registry;
  const sp = deps.connection.scheme === 'ServicePrincipalKey' && deps.connection.clientId && deps.connection.secret
    ? { clientId: deps.connection.clientId, secret: deps.connection.secret }
    : undefined;
  const facts: RegistryFacts = {
    ...(server !== undefined ? { server } : {}),
    ...(inputs.managedIdentityResourceId !== undefined ? { managedIdentityResourceId: inputs.managedIdentityResourceId } : {}),
    ...(inputs.dockerRegistryServiceConnection !== undefined ? { dockerRegistryServiceConnection: inputs.dockerRegistryServiceConnection } : {}),
    connectionScheme: deps.connection.scheme,
    ...(sp ? { servicePrincipal: sp } : {}),
  };
  let registry: RegistryInfo | undefined;
  let adminCredentials: { username: string; password: string } | undefined;
  const known = sp === undefined && needsRegistryLookup(inputs.registryAuth, facts) ? registryOfGroup(existing, server) : undefined;
  if (known !== undefined) {
    try {
      adminCredentials = await (await deps.registries()).adminCredentials(known);
      registry = known;
      facts.registry = { name: known.name, loginServer: known.loginServer, adminUserEnabled: true };
      deps.log.debug(`Registry ${known.loginServer}: the admin user of ${known.id}, as the group's ${TAG.registry} tag says.`);
    } catch (error) {
      // Moved, deleted, admin user disabled, no access: look the registry up as for a new group.
      deps.log.debug(`Registry ${known.id} from the group's tag could not give its admin credentials (${messageOf(error)}); listing the registries.`);
    }
  }
  if (server !== undefined && registry === undefined && needsRegistryLookup(inputs.registryAuth, facts)) {
    const registries = await deps.registries();
    try {
      registry = await registries.find(server, INPUT.image);
      facts.registry = { name: registry.name, loginServer: registry.loginServer, adminUserEnabled: registry.adminUserEnabled };
    } catch (error) {
      // Not one of the subscription's registries: the plan decides what that means. A listing that
      // failed (outage, throttling, no Reader role) is not an answer: never deploy without credentials on it.
      if (!(error instanceof RegistryNotFoundError)) throw error;
      facts.registryLookup = firstSentence(messageOf(error));
      deps.log.debug(`Registry lookup for ${server}: ${messageOf(error)}`);
    }
  }
  const plan = planRegistryCredentials(inputs.registryAuth, facts);
  const description = describeRegistryPlan(plan);
  deps.log.info(`Registry access: ${description}.`);
  const result = (credential: ImageRegistryCredential | undefined): RegistryAccess => (credential ? { credential, description } : { description });
  switch (plan.kind) {
    case 'adminCredentials': {
      if (registry === undefined) throw new TaskError(`Internal error: registry ${plan.server} was not looked up.`);
      const credential = toRegistryCredential(plan, adminCredentials ?? (await (await deps.registries()).adminCredentials(registry)));
      return { ...result(credential), registryId: registry.id };
    }
    case 'dockerRegistryConnection': {
      const connection = deps.dockerRegistry(plan.connectionId, INPUT.dockerRegistryServiceConnection);
      if (server !== undefined && connection.registry !== server && !(connection.registry === 'docker.io' && server.endsWith('docker.io'))) {
        deps.log.warning(
          `The Docker registry service connection is for '${connection.registry}' but the image is on '${server}': ACI will present these credentials to '${server}'.`,
        );
      }
      return result(toRegistryCredential(plan, { username: connection.username, password: connection.password }));
    }
    default:
      return result(toRegistryCredential(plan));
  }
}

function firstSentence(message: string): string {
  const match = /^(.*?[.;])(\s|$)/.exec(message);
  return (match?.[1] ?? message).slice(0, 300);
}
