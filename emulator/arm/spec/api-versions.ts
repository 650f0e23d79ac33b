/** The api-versions Microsoft.Resources serves here: the published ones the clients in this repo and the Azure CLI send. */

/** Resource groups and generic resources (`Microsoft.Resources/resourceGroups`, `.../resources`). */
export const RESOURCES_API_VERSIONS = [
  '2018-05-01', '2019-05-01', '2019-10-01', '2020-06-01', '2020-10-01', '2021-01-01', '2021-04-01', '2022-09-01',
  '2023-07-01', '2024-03-01', '2024-07-01', '2024-11-01', '2025-01-01', '2025-03-01', '2025-04-01',
];

/** Subscriptions and their locations. */
export const SUBSCRIPTIONS_API_VERSIONS = ['2016-06-01', '2019-06-01', '2019-11-01', '2020-01-01', '2021-01-01', '2022-12-01'];
