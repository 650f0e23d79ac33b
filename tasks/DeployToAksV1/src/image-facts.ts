import { type AgentProxy, azureProxyOptions } from '../../common/agent-proxy';
/**
 * What the registry says of the image: its digest (so a tag is deployed pinned, and a tag that moved
 * rolls the pods) and the model's name and version from its labels (BuildAndPushAiImage writes
 * `ai.model.name` / `ai.model.version`). Read with the service connection's credential; when the
 * registry cannot be read (another registry, no AcrPull for the connection), the image is deployed as
 * given, without model labels: the kubelet's own pull is what counts.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { ImageReference } from '../../common/docker/image-reference';
import { messageOf, truncate } from '../../common/errors';
import type { TaskLog } from '../../common/task-runtime';

export const MODEL_IMAGE_LABEL = { name: 'ai.model.name', version: 'ai.model.version' } as const;

export interface ImageFacts {
  digest?: string;
  model?: { name?: string; version?: string };
}

export interface ImageInspector {
  inspect(image: ImageReference): Promise<ImageFacts>;
}

/** The model's name and version from an image config's labels (pure). */
export function modelFromConfig(config: unknown): ImageFacts['model'] {
  const labels = (config as { config?: { Labels?: Record<string, unknown> } } | undefined)?.config?.Labels ?? {};
  const name = labels[MODEL_IMAGE_LABEL.name];
  const version = labels[MODEL_IMAGE_LABEL.version];
  if (typeof name !== 'string' && typeof version !== 'string') return undefined;
  return { ...(typeof name === 'string' ? { name } : {}), ...(typeof version === 'string' ? { version } : {}) };
}

export function createImageInspector(credential: TokenCredential, audience: string, log: TaskLog, proxy?: AgentProxy): ImageInspector {
  return {
    async inspect(image) {
      if (image.registry === undefined) return image.digest ? { digest: image.digest } : {};
      try {
        const { ContainerRegistryContentClient } = await import('@azure/container-registry');
        const proxyOptions = azureProxyOptions(proxy, `https://${image.registry}`);
        const client = new ContainerRegistryContentClient(`https://${image.registry}`, image.repository, credential, {
          audience: audience.replace(/\/+$/, ''),
          ...(proxyOptions ? { proxyOptions } : {}),
        });
        const manifest = await client.getManifest(image.digest ?? image.tag ?? 'latest');
        const configDigest = (manifest.manifest as { config?: { digest?: unknown } }).config?.digest;
        let model: ImageFacts['model'];
        if (typeof configDigest === 'string') {
          const blob = await client.downloadBlob(configDigest);
          const chunks: Buffer[] = [];
          for await (const chunk of blob.content) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
          model = modelFromConfig(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        }
        return { digest: image.digest ?? manifest.digest, ...(model ? { model } : {}) };
      } catch (error) {
        log.info(`The image's manifest could not be read from ${image.registry} with the service connection (${truncate(messageOf(error).split(/\r?\n/)[0] ?? '', 200)}): deploying ${image.reference} as given, without the model's labels.`);
        return image.digest ? { digest: image.digest } : {};
      }
    },
  };
}
