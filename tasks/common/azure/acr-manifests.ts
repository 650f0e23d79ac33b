import { type AgentProxy, azureProxyOptions } from '../agent-proxy';
import type { TokenCredential } from '@azure/core-auth';
import { TaskError, messageOf } from '../errors';

/** What the tasks need to know of a pushed image, as the registry has it. */
export interface ImageManifest {
  /** The manifest's digest as the registry computed it (sha256:...). */
  digest: string;
  mediaType: string;
  configDigest?: string;
  /** Compressed size: the config blob plus every layer. */
  sizeInBytes: number;
  layers: { digest: string; size: number }[];
}

export interface RegistryManifests {
  /** How the registry is read (for the log and the summary). */
  readonly description: string;
  manifest(repository: string, tagOrDigest: string): Promise<ImageManifest>;
}

/** Summarises an image manifest (Docker v2 schema 2 or OCI). Pure. */
export function summariseManifest(digest: string, mediaType: string, manifest: unknown): ImageManifest {
  const body = (typeof manifest === 'object' && manifest !== null ? manifest : {}) as {
    config?: { digest?: unknown; size?: unknown };
    layers?: { digest?: unknown; size?: unknown }[];
    manifests?: unknown[];
  };
  if (Array.isArray(body.manifests)) {
    return { digest, mediaType, sizeInBytes: 0, layers: [] };
  }
  const layers = (Array.isArray(body.layers) ? body.layers : []).map((layer) => ({
    digest: typeof layer.digest === 'string' ? layer.digest : '',
    size: typeof layer.size === 'number' ? layer.size : 0,
  }));
  const configSize = typeof body.config?.size === 'number' ? body.config.size : 0;
  return {
    digest,
    mediaType,
    ...(typeof body.config?.digest === 'string' ? { configDigest: body.config.digest } : {}),
    sizeInBytes: configSize + layers.reduce((sum, layer) => sum + layer.size, 0),
    layers,
  };
}

/**
 * Reads manifests with `@azure/container-registry`'s ContainerRegistryContentClient, signed in with the
 * service connection's Entra ID credential (the SDK exchanges it for registry tokens itself).
 * `audience` is the connection's token audience (what ACR accepts for an exchange in that cloud).
 */
export async function createAcrManifests(loginServer: string, credential: TokenCredential, audience: string, proxy?: AgentProxy): Promise<RegistryManifests> {
  const { ContainerRegistryContentClient } = await import('@azure/container-registry');
  const endpoint = `https://${loginServer}`;
  return {
    description: `${endpoint} through ContainerRegistryContentClient`,
    async manifest(repository, tagOrDigest) {
      const proxyOptions = azureProxyOptions(proxy, endpoint);
      const client = new ContainerRegistryContentClient(endpoint, repository, credential, { audience: audience.replace(/\/+$/, ''), ...(proxyOptions ? { proxyOptions } : {}) });
      try {
        const result = await client.getManifest(tagOrDigest);
        return summariseManifest(result.digest, result.mediaType, result.manifest);
      } catch (error) {
        throw new TaskError(`Could not read the manifest of ${loginServer}/${repository}:${tagOrDigest} back from the registry: ${messageOf(error)}`, {
          cause: error,
        });
      }
    },
  };
}
