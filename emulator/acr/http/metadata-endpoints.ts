/** `/acr/v1/...` replies in ACR's shapes (what @azure/container-registry lists), from the registry's storage. */
import type { EmulatorResponse } from '../../core/http-types';
import { listManifests, listRepositories, listTags } from '../engine/repository-metadata';

const CHANGEABLE = { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true };

function nameUnknown(name: string): EmulatorResponse {
  return { status: 404, body: { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: { name } }] } };
}

export async function answerMetadata(storage: string, loginServer: string, path: string): Promise<EmulatorResponse> {
  if (path === '/acr/v1/_catalog') return { status: 200, body: { repositories: await listRepositories(storage) } };
  const match = /^\/acr\/v1\/(.+?)(?:\/(_tags|_manifests)(?:\/([^/]+))?)?$/.exec(path);
  const name = match?.[1];
  if (!name) return { status: 404, body: { errors: [{ code: 'NOT_FOUND', message: 'not found' }] } };
  const kind = match[2];
  const reference = match[3] ? decodeURIComponent(match[3]) : undefined;
  const tags = await listTags(storage, name);
  const manifests = await listManifests(storage, name);
  if (!tags || !manifests) return nameUnknown(name);
  const tagBody = tags.map((tag) => ({ ...tag, signed: false, changeableAttributes: CHANGEABLE }));
  const manifestBody = manifests.map((manifest) => ({ ...manifest, changeableAttributes: { ...CHANGEABLE, quarantineState: 'Passed' } }));
  if (kind === '_tags') {
    if (reference === undefined) return { status: 200, body: { registry: loginServer, imageName: name, tags: tagBody } };
    const tag = tagBody.find((candidate) => candidate.name === reference);
    return tag ? { status: 200, body: { registry: loginServer, imageName: name, tag } } : { status: 404, body: { errors: [{ code: 'TAG_UNKNOWN', message: 'the specified tag does not exist', detail: { tag: reference } }] } };
  }
  if (kind === '_manifests') {
    if (reference === undefined) return { status: 200, body: { registry: loginServer, imageName: name, manifests: manifestBody } };
    const manifest = manifestBody.find((candidate) => candidate.digest === reference);
    return manifest ? { status: 200, body: { registry: loginServer, imageName: name, manifest } } : { status: 404, body: { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { digest: reference } }] } };
  }
  const times = [...tags.map((tag) => tag.lastUpdateTime), ...manifests.map((manifest) => manifest.lastUpdateTime)].sort();
  return {
    status: 200,
    body: {
      registry: loginServer,
      imageName: name,
      createdTime: times[0] ?? new Date().toISOString(),
      lastUpdateTime: times[times.length - 1] ?? new Date().toISOString(),
      manifestCount: manifests.length,
      tagCount: tags.length,
      changeableAttributes: { ...CHANGEABLE, teleportEnabled: false },
    },
  };
}
