/**
 * Whether a group's images can be pulled, decided before anything is pulled: only the local
 * registries can be reached (any other registry is never contacted), and only with the group's
 * credentials for that registry.
 */
import type { RegistryLoginCheck } from '../core/service-context';
import type { RegistryAuth } from './docker-engine';
import type { ContainerGroupBody, ImageRegistryCredential } from './group-model';
import { parseImageReference } from './image-reference';

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
    if (!credential?.username || credential.password === undefined) return { ok: false, image };
    if (!(await logins.canPull(reference.registry, reference.repository, credential.username, credential.password))) return { ok: false, image };
    auth.set(image, { username: credential.username, password: credential.password, serveraddress: reference.registry });
  }
  return { ok: true, auth };
}

function credentialFor(credentials: ImageRegistryCredential[], registry: string): ImageRegistryCredential | undefined {
  return credentials.find((c) => c.server.toLowerCase().replace(/^https?:\/\//, '').replace(/\/$/, '') === registry);
}
