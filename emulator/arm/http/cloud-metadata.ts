/**
 * `GET /metadata/endpoints?api-version=...`: the cloud's endpoints, which `az cloud register
 * --endpoint-resource-manager` (msrestazure's `_populate_from_metadata_endpoint`) and the SDKs read.
 * 2015-01-01 answers the flat form, later versions the list of clouds. The login endpoint is the AD FS
 * form (`<origin>/adfs`): MSAL then reads that authority's own discovery document instead of asking
 * login.microsoftonline.com for instance discovery, so sign-in never leaves this machine.
 */
import { armError, type EmulatorResponse, type Route } from '../../core/http-types';
import { RESOURCE_MANAGER_AUDIENCES } from '../../identity/spec/audiences';

export const CLOUD_NAME = 'LocalAzure';
const FLAT_FORM_VERSION = '2015-01-01';
const LIST_FORM_VERSIONS = ['2019-05-01', '2020-06-01', '2022-09-01'];

export interface CloudMetadataOptions {
  /** e.g. https://127.0.0.1:41234 (Resource Manager and Entra ID share it). */
  origin: string;
  tenantId: string;
}

export function loginEndpoint(origin: string): string {
  return `${origin}/adfs`;
}

export function cloudMetadata(options: CloudMetadataOptions, apiVersion: string): EmulatorResponse {
  const { origin } = options;
  const audiences = RESOURCE_MANAGER_AUDIENCES.filter((audience) => audience.endsWith('/'));
  if (apiVersion === FLAT_FORM_VERSION) {
    return {
      status: 200,
      body: {
        galleryEndpoint: `${origin}/`,
        graphEndpoint: `${origin}/`,
        portalEndpoint: `${origin}/`,
        authentication: { loginEndpoint: loginEndpoint(origin), audiences },
      },
    };
  }
  if (!LIST_FORM_VERSIONS.includes(apiVersion)) {
    return armError(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '${[FLAT_FORM_VERSION, ...LIST_FORM_VERSIONS].join(',')}'.`);
  }
  const host = new URL(origin).host;
  return {
    status: 200,
    body: [
      {
        name: CLOUD_NAME,
        portal: `${origin}/`,
        resourceManager: `${origin}/`,
        gallery: `${origin}/`,
        graph: `${origin}/`,
        graphAudience: `${origin}/`,
        microsoftGraphResourceId: `${origin}/`,
        authentication: { loginEndpoint: loginEndpoint(origin), audiences, tenant: options.tenantId, identityProvider: 'ADFS' },
        suffixes: { acrLoginServer: host, storage: host, keyVaultDns: host },
      },
    ],
  };
}

export function createCloudMetadataRoutes(options: CloudMetadataOptions): Route[] {
  return [
    {
      name: 'arm.metadata.endpoints',
      method: 'GET',
      path: '/metadata/endpoints',
      auth: 'none',
      handle: (request) => Promise.resolve(cloudMetadata(options, request.query.get('api-version') ?? '')),
    },
  ];
}
