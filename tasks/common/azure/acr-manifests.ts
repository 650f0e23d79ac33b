import { createHash } from 'node:crypto';
import { type FetchAnswer, type FetchInit, type FetchLike, proxiedFetch } from '../agent-proxy';
import type { Clock } from '../deadline';
import { TaskError } from '../errors';
import { explainFailure } from '../service-failure';
import { retryTransient } from '../transient-retry';
import { reasonOf } from './acr-refresh-token';

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

/** The manifest types a registry may answer with (Docker v2 schema 2, OCI, and their lists). */
const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

export interface AcrManifestDeps {
  /** Default: fetch through the agent's proxy (proxiedFetch). */
  fetch?: FetchLike;
  setSecret(value: string): void;
  clock?: Clock;
  timeoutInMs?: number;
  onRetry?: (line: string) => void;
}

/** An answer that was not what was asked for: status, Retry-After and body, for classification. */
class RegistryAnswerError extends Error {
  constructor(
    readonly statusCode: number,
    readonly response: { headers: FetchAnswer['headers']; bodyAsText: string },
  ) {
    super(`HTTP ${statusCode}: ${reasonOf(response.bodyAsText)}`);
  }
}

/**
 * Reads manifests with the ACR refresh token this run already signed in with (`refreshToken()`, the
 * password of its Docker login): one token request for `repository:<name>:pull` and one GET of the
 * manifest, whose digest is computed from the bytes received and checked against the registry's
 * Docker-Content-Digest. No second Entra ID token, no SDK to load.
 */
export function acrManifests(loginServer: string, refreshToken: () => string, deps: AcrManifestDeps): RegistryManifests {
  const doFetch = deps.fetch ?? proxiedFetch(undefined);
  const origin = `https://${loginServer}`;
  const retried = <T>(action: string, route: string, operation: () => Promise<T>): Promise<T> =>
    retryTransient(operation, { ...(deps.clock ? { clock: deps.clock } : {}), action, ...(deps.onRetry ? { onRetry: deps.onRetry } : {}) }).catch((error: unknown) => {
      if (error instanceof TaskError) throw error;
      throw new TaskError(explainFailure(error, { action, service: 'the registry', route }), { cause: error });
    });
  const send = async (url: string, init: FetchInit): Promise<{ response: FetchAnswer; bytes: Buffer }> => {
    const response = await doFetch(url, { ...init, signal: AbortSignal.timeout(deps.timeoutInMs ?? 30_000) });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (!response.ok) throw new RegistryAnswerError(response.status, { headers: response.headers, bodyAsText: bytes.toString('utf8').slice(0, 2000) });
    return { response, bytes };
  };
  return {
    description: `${origin} with this run's registry sign-in`,
    async manifest(repository, tagOrDigest) {
      const scope = `repository:${repository}:pull`;
      const tokenUrl = `${origin}/oauth2/token`;
      const accessToken = await retried(`Reading ${loginServer}/${repository}: signing in`, `POST ${tokenUrl}`, async () => {
        const form = new URLSearchParams({ grant_type: 'refresh_token', service: loginServer, scope, refresh_token: refreshToken() });
        const { bytes } = await send(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() });
        const token = (JSON.parse(bytes.toString('utf8')) as { access_token?: unknown }).access_token;
        if (typeof token !== 'string' || token === '') throw new TaskError(`${tokenUrl} answered without an access_token.`);
        return token;
      });
      deps.setSecret(accessToken);
      const reference = `${repository}${tagOrDigest.startsWith('sha256:') ? '@' : ':'}${tagOrDigest}`;
      const manifestUrl = `${origin}/v2/${repository}/manifests/${encodeURIComponent(tagOrDigest)}`;
      const { response, bytes } = await retried(`Reading the manifest of ${loginServer}/${reference}`, `GET ${manifestUrl}`, () =>
        send(manifestUrl, { method: 'GET', headers: { accept: MANIFEST_TYPES, authorization: `Bearer ${accessToken}` } }),
      );
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      const said = response.headers.get('docker-content-digest');
      if (said !== null && said !== digest) {
        throw new TaskError(`The registry sent the manifest of ${loginServer}/${reference} with digest ${said}, but its bytes hash to ${digest}.`);
      }
      let manifest: unknown;
      try {
        manifest = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new TaskError(`The manifest of ${loginServer}/${reference} is not JSON.`);
      }
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
      return summariseManifest(digest, mediaType, manifest);
    },
  };
}
