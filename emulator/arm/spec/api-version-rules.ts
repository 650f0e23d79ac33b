/** Resource Manager's api-version checks: required, well formed, and one the resource type supports. */
import { armError, type EmulatorResponse } from '../../core/http-types';

const API_VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}(-preview|-beta|-alpha)?$/;

/**
 * Undefined when the request's api-version is acceptable, else ARM's 400 reply (its wording: the
 * supported versions joined by ',' in InvalidApiVersionParameter, by ', ' in NoRegisteredProviderFound).
 */
export function checkApiVersion(query: URLSearchParams, supported: readonly string[], resourceType: string, location = 'westeurope'): EmulatorResponse | undefined {
  const apiVersion = query.get('api-version');
  if (apiVersion === null || apiVersion === '') {
    return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  }
  if (supported.includes(apiVersion)) return undefined;
  if (!API_VERSION_FORMAT.test(apiVersion)) {
    return armError(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '${supported.join(',')}'.`);
  }
  return armError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${resourceType}'. The supported api-versions are '${supported.join(', ')}'.`,
  );
}
