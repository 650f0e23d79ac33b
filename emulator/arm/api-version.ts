/** Resource Manager's api-version checks: required, well formed, and one the resource type supports. */
import { armError, type EmulatorRequest, type EmulatorResponse } from '../core/http-types';

const API_VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}(-preview|-beta|-alpha)?$/;

/** Undefined when the request's api-version is acceptable, else ARM's 400 reply. */
export function checkApiVersion(request: EmulatorRequest, supported: readonly string[], resourceType: string, location = 'westeurope'): EmulatorResponse | undefined {
  const apiVersion = request.query.get('api-version');
  if (apiVersion === null || apiVersion === '') {
    return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  }
  if (!API_VERSION_FORMAT.test(apiVersion)) {
    return armError(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '${supported.join(',')}'.`);
  }
  if (!supported.includes(apiVersion)) {
    return armError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${resourceType}'. The supported api-versions are '${supported.join(', ')}'.`,
    );
  }
  return undefined;
}
