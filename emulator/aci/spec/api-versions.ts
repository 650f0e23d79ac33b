/**
 * The api-versions Resource Manager accepts for Microsoft.ContainerInstance (the published ones in
 * Azure/azure-rest-api-specs). Every accepted version is served with the 2023-05-01 contract, which
 * @azure/arm-containerinstance 9.x sends; the Azure CLI sends 2022-10-01-preview.
 */
import type { EmulatorResponse } from '../../core/http-types';
import { checkApiVersion as checkArmApiVersion } from '../../arm/spec/api-version-rules';

export const CONTAINER_GROUP_API_VERSIONS: readonly string[] = [
  '2017-08-01-preview', '2017-10-01-preview', '2017-12-01-preview', '2018-02-01-preview', '2018-04-01',
  '2018-06-01', '2018-09-01', '2018-10-01', '2019-12-01', '2020-11-01', '2021-03-01', '2021-07-01',
  '2021-09-01', '2021-10-01', '2022-04-01-preview', '2022-09-01', '2022-10-01-preview', '2023-02-01-preview',
  '2023-05-01', '2024-05-01-preview', '2024-09-01-preview', '2024-10-01-preview', '2024-11-01-preview',
  '2025-09-01', '2026-05-01',
];

/** What the operation status URL carries (the version Azure puts in Azure-AsyncOperation). */
export const OPERATION_API_VERSION = '2018-06-01';

/** undefined when acceptable, else ARM's reply for the missing, malformed or unknown api-version. */
export function checkApiVersion(query: URLSearchParams, resourceType: string, location: string | undefined): EmulatorResponse | undefined {
  return checkArmApiVersion(query, CONTAINER_GROUP_API_VERSIONS, resourceType, location);
}
