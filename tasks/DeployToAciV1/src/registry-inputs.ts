/** Reads how ACI pulls the image: 'registryAuth' and the identity or Docker registry connection it names. */
import { missingInput } from '../../common/errors';
import type { InputReader } from '../../common/input-reader';
import { INPUT, type InputName, REGISTRY_AUTH_MODES, optional } from './input-names';
import { checkUserAssignedIdentityId } from './input-rules';
import type { DeployInputs } from './input-types';

type RegistryInputs = Pick<DeployInputs, 'registryAuth' | 'managedIdentityResourceId' | 'dockerRegistryServiceConnection'>;

export function readRegistryInputs(read: InputReader<InputName>): RegistryInputs {
  const registryAuth = read.enumValue(INPUT.registryAuth, REGISTRY_AUTH_MODES, 'auto');
  const identity = read.string(INPUT.managedIdentityResourceId);
  const managedIdentityResourceId = identity === undefined ? undefined : checkUserAssignedIdentityId(INPUT.managedIdentityResourceId, identity);
  const dockerRegistryServiceConnection = read.string(INPUT.dockerRegistryServiceConnection);
  if (registryAuth === 'managedIdentity' && managedIdentityResourceId === undefined) {
    throw missingInput(INPUT.managedIdentityResourceId, "'registryAuth' is 'managedIdentity': name the user-assigned identity that has the AcrPull role on the registry.");
  }
  if (registryAuth === 'dockerRegistryConnection' && dockerRegistryServiceConnection === undefined) {
    throw missingInput(INPUT.dockerRegistryServiceConnection, "'registryAuth' is 'dockerRegistryConnection': choose the Docker registry service connection to pull with.");
  }
  return {
    registryAuth,
    ...optional('managedIdentityResourceId', managedIdentityResourceId),
    ...optional('dockerRegistryServiceConnection', registryAuth === 'dockerRegistryConnection' ? dockerRegistryServiceConnection : undefined),
  };
}
