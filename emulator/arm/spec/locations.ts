/** Resource Manager's location names. */

/** ARM normalises locations: 'West Europe' and 'westeurope' are the same place. */
export function normaliseLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}
