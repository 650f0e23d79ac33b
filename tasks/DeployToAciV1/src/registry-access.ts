/**
 * Carries out the registry credential plan: looks the image's registry up when the plan needs it,
 * plans (pure, registry-credentials.ts), then reads the secret the plan names.
 */
import type { ImageRegistryCredential } from '@azure/arm-containerinstance';
import { type ContainerRegistries, type RegistryInfo, RegistryNotFoundError } from '../../common/azure/container-registries';
import type { DockerRegistryCredentials } from '../../common/docker-registry-connection';
import { TaskError, messageOf } from '../../common/errors';
import type { TaskLog } from '../../common/task-runtime';
import { INPUT, type DeployInputs } from './inputs';
import { toRegistryCredential } from './plan';
import { type RegistryFacts, describeRegistryPlan, needsRegistryLookup, planRegistryCredentials } from './registry-credentials';

export interface RegistryAccessDeps {
  log: TaskLog;
  connection: { scheme: string; clientId?: string; secret?: string };
  registries(): Promise<ContainerRegistries>;
  dockerRegistry(connectionId: string, inputName: string): DockerRegistryCredentials;
}

export async function resolveRegistryCredential(
  inputs: Pick<DeployInputs, 'image' | 'registryAuth' | 'managedIdentityResourceId' | 'dockerRegistryServiceConnection'>,
  deps: RegistryAccessDeps,
): Promise<{ credential?: ImageRegistryCredential; description: string }> {
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
  if (server !== undefined && needsRegistryLookup(inputs.registryAuth, facts)) {
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
  const result = (credential: ImageRegistryCredential | undefined): { credential?: ImageRegistryCredential; description: string } =>
    credential ? { credential, description } : { description };
  switch (plan.kind) {
    case 'adminCredentials': {
      if (registry === undefined) throw new TaskError(`Internal error: registry ${plan.server} was not looked up.`);
      return result(toRegistryCredential(plan, await (await deps.registries()).adminCredentials(registry)));
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
