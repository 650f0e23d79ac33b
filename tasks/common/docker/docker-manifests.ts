import { type ImageManifest, type RegistryManifests, summariseManifest } from '../azure/acr-manifests';
import { TaskError } from '../errors';
import type { DockerCli } from './docker-cli';

/** `docker manifest inspect --verbose` output (one platform: an object; a list: an array). Pure. */
export function manifestFromInspect(json: string): ImageManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new TaskError('docker manifest inspect printed something that is not JSON.');
  }
  const entry = (Array.isArray(parsed) ? undefined : parsed) as
    | { Descriptor?: { digest?: unknown; mediaType?: unknown }; SchemaV2Manifest?: unknown; OCIManifest?: unknown }
    | undefined;
  const digest = entry?.Descriptor?.digest;
  if (typeof digest !== 'string') {
    throw new TaskError('docker manifest inspect did not report a single image manifest with a digest.');
  }
  const mediaType = typeof entry?.Descriptor?.mediaType === 'string' ? entry.Descriptor.mediaType : '';
  return summariseManifest(digest, mediaType, entry?.SchemaV2Manifest ?? entry?.OCIManifest);
}

/**
 * For a Docker registry service connection (user name and password, no Entra ID identity): the
 * docker CLI reads the manifest with the same temporary sign-in it pushed with.
 */
export function dockerCliManifests(docker: DockerCli, loginServer: string): RegistryManifests {
  return {
    description: `${loginServer} through docker manifest inspect`,
    async manifest(repository, tagOrDigest) {
      const separator = tagOrDigest.startsWith('sha256:') ? '@' : ':';
      return manifestFromInspect(await docker.manifestInspect(`${loginServer}/${repository}${separator}${tagOrDigest}`));
    },
  };
}
