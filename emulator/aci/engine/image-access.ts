/**
 * Whether a group's images can be pulled, decided before anything is pulled: only the local
 * registries can be reached (any other registry is never contacted), and only with the group's
 * credentials for that registry: a user name and password, or a user-assigned managed identity that
 * is attached to the group (`identity.userAssignedIdentities`) and whose roles allow pulling; and the
 * image (repository and tag or digest) must exist there.
 */
import type { RegistryLoginCheck } from '../../core/service-context';
import type { RegistryAuth } from '../../docker/docker-engine';
import type { ContainerGroupBody, ImageRegistryCredential } from '../model/group-model';
import { parseImageReference } from '../../docker/image-reference';

export type ImageAccess = { ok: true; auth: Map<string, RegistryAuth> } | { ok: false; image: string };

export async function checkImageAccess(
  body: ContainerGroupBody,
  registryLoginServers: readonly string[],
  logins: RegistryLoginCheck,
): Promise<ImageAccess> {
  const auth = new Map<string, RegistryAuth>();
  const localServers = registryLoginServers.map((s) => s.toLowerCase());
  for (const container of body.properties.containers) {
    const image = container.properties.image;
    const reference = parseImageReference(image);
    if (!localServers.includes(reference.registry)) return { ok: false, image };
    const credential = credentialFor(body.properties.imageRegistryCredentials ?? [], reference.registry);
    const login = credential ? await loginFor(credential, body, reference, logins) : undefined;
    if (!login) return { ok: false, image };
    // Azure answers the PUT itself with InaccessibleImage when the tag or repository does not exist.
    if (!(await logins.hasImage(reference.registry, reference.repository, reference.reference))) return { ok: false, image };
    auth.set(image, { ...login, serveraddress: reference.registry });
  }
  return { ok: true, auth };
}

async function loginFor(
  credential: ImageRegistryCredential,
  body: ContainerGroupBody,
  reference: { registry: string; repository: string },
  logins: RegistryLoginCheck,
): Promise<{ username: string; password: string } | undefined> {
  if (credential.identity) {
    // ACI pulls with an identity only when it is one of the group's own user-assigned identities.
    if (!attachedIdentities(body).includes(credential.identity.toLowerCase())) return undefined;
    return await logins.pullAsIdentity?.(reference.registry, reference.repository, credential.identity);
  }
  if (!credential.username || credential.password === undefined) return undefined;
  if (!(await logins.canPull(reference.registry, reference.repository, credential.username, credential.password))) return undefined;
  return { username: credential.username, password: credential.password };
}

function attachedIdentities(body: ContainerGroupBody): string[] {
  const identity = body.identity;
  if (!identity?.type?.includes('UserAssigned')) return [];
  return Object.keys(identity.userAssignedIdentities ?? {}).map((id) => id.toLowerCase());
}

function credentialFor(credentials: ImageRegistryCredential[], registry: string): ImageRegistryCredential | undefined {
  return credentials.find((c) => c.server.toLowerCase().replace(/^https?:\/\//, '').replace(/\/$/, '') === registry);
}
