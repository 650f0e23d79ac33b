/** The seeded subscription, its locations and resource groups (state shared by the ARM services). */
export interface ResourceGroup {
  name: string;
  location: string;
  tags: Record<string, string>;
}

export interface Location {
  name: string;
  displayName: string;
}

export interface Subscription {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  locations: readonly Location[];
  /** Resource group names compare case-insensitively, as in ARM. */
  findResourceGroup(name: string): ResourceGroup | undefined;
  resourceGroups(): ResourceGroup[];
  putResourceGroup(group: ResourceGroup): { created: boolean; group: ResourceGroup };
}

export function createSubscription(options: {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  locations: readonly Location[];
  resourceGroups: readonly ResourceGroup[];
}): Subscription {
  const groups = new Map<string, ResourceGroup>();
  for (const group of options.resourceGroups) groups.set(group.name.toLowerCase(), { ...group });
  return {
    subscriptionId: options.subscriptionId,
    displayName: options.displayName,
    tenantId: options.tenantId,
    locations: options.locations,
    findResourceGroup: (name) => groups.get(name.toLowerCase()),
    resourceGroups: () => [...groups.values()],
    putResourceGroup(group) {
      const existing = groups.get(group.name.toLowerCase());
      const stored = { ...group, name: existing?.name ?? group.name, location: existing?.location ?? group.location };
      groups.set(group.name.toLowerCase(), stored);
      return { created: existing === undefined, group: stored };
    },
  };
}

export function resourceGroupId(subscriptionId: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${name}`;
}
