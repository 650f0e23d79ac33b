/**
 * Image pulls as an AKS node does them: only from the local registries, authenticated as the
 * cluster's kubelet identity (the ACR credential provider exchanges its token for a registry refresh
 * token), which needs AcrPull (or more) on the registry. Without it the pull fails as containerd
 * reports a 401 from ACR's token endpoint. Each kubelet has its own idea of which images are present
 * (the images it pulled itself), so a tag that happens to exist in the shared Docker engine is never
 * used without the pull being authorised.
 */
import type { DockerEngine } from '../../docker/docker-engine';
import { parseImageReference } from '../../docker/image-reference';
import type { RegistryLoginCheck } from '../../core/service-context';

export class ImagePullError extends Error {}

export interface ImagePuller {
  isPresent(image: string): boolean;
  /** Pulls, or throws ImagePullError with the runtime's message (`rpc error: code = ... desc = ...`). */
  pull(image: string): Promise<{ durationInMs: number }>;
  /** The image tags pulled (to remove at stop). */
  pulled(): string[];
}

export interface ImagePullerDeps {
  docker: DockerEngine;
  registryLoginServers: readonly string[];
  logins: RegistryLoginCheck;
  kubeletIdentityResourceId: string;
  now?: () => number;
}

/** containerd's normalised form: docker.io/library/nginx:latest */
export function normalisedImage(image: string): string {
  const reference = parseImageReference(image);
  const separator = reference.reference.startsWith('sha256:') ? '@' : ':';
  return `${reference.registry}/${reference.repository}${separator}${reference.reference}`;
}

export function unauthorizedPullMessage(image: string): string {
  const reference = parseImageReference(image);
  const scope = encodeURIComponent(`repository:${reference.repository}:pull`);
  const ref = normalisedImage(image);
  return (
    `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ` +
    `failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${reference.registry}/oauth2/token?scope=${scope}&service=${reference.registry}: 401 Unauthorized`
  );
}

export function unreachableRegistryMessage(image: string): string {
  const reference = parseImageReference(image);
  const ref = normalisedImage(image);
  const host = reference.registry === 'docker.io' ? 'registry-1.docker.io' : reference.registry;
  return (
    `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ` +
    `failed to do request: Head "https://${host}/v2/${reference.repository}/manifests/${reference.reference}": dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`
  );
}

export function notFoundPullMessage(image: string): string {
  const ref = normalisedImage(image);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}

export function createImagePuller(deps: ImagePullerDeps): ImagePuller {
  const present = new Set<string>();
  const now = deps.now ?? Date.now;
  return {
    isPresent: (image) => present.has(image),
    async pull(image) {
      const started = now();
      const reference = parseImageReference(image);
      // Read at pull time: the list is shared and grows when the local Azure creates a registry.
      if (!deps.registryLoginServers.some((server) => server.toLowerCase() === reference.registry)) throw new ImagePullError(unreachableRegistryMessage(image));
      const login = await deps.logins.pullAsIdentity?.(reference.registry, reference.repository, deps.kubeletIdentityResourceId);
      if (!login) throw new ImagePullError(unauthorizedPullMessage(image));
      try {
        await deps.docker.pullImage(image, { ...login, serveraddress: reference.registry });
      } catch (error) {
        const message = (error as Error).message;
        if (/not found|manifest unknown/i.test(message)) throw new ImagePullError(notFoundPullMessage(image));
        throw new ImagePullError(`rpc error: code = Unknown desc = failed to pull and unpack image "${normalisedImage(image)}": ${message.replace(/^Pulling \S+ failed: /, '')}`);
      }
      present.add(image);
      return { durationInMs: now() - started };
    },
    pulled: () => [...present],
  };
}

/** Go's Duration.String() for a pull time: 1.234s, 850ms. */
export function goShortDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  return `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}
