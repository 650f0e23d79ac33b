/**
 * Resource Manager's name for a region: 'West Europe' and 'westeurope' are one place, and Azure
 * answers with the second form; compare and send only this form.
 */
export function normaliseLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}
