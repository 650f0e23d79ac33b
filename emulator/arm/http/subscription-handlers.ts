/** Microsoft.Resources' subscriptions: list, get, and the subscription's locations. */
import type { EmulatorRequest, EmulatorResponse } from '../../core/http-types';
import type { Subscription } from '../model/subscription';

export interface SubscriptionHandlers {
  list: (request: EmulatorRequest) => EmulatorResponse;
  get: (request: EmulatorRequest) => EmulatorResponse;
  listLocations: (request: EmulatorRequest) => EmulatorResponse;
}

export function createSubscriptionHandlers(subscription: Subscription): SubscriptionHandlers {
  const sub = subscription.subscriptionId;
  const subscriptionBody = (): Record<string, unknown> => ({
    id: `/subscriptions/${sub}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: sub,
    tenantId: subscription.tenantId,
    displayName: subscription.displayName,
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  });
  return {
    list: () => ({ status: 200, body: { value: [subscriptionBody()], count: { type: 'Total', value: 1 } } }),
    get: () => ({ status: 200, body: subscriptionBody() }),
    listLocations: () => ({
      status: 200,
      body: {
        value: subscription.locations.map((location) => ({
          id: `/subscriptions/${sub}/locations/${location.name}`,
          name: location.name,
          type: 'Region',
          displayName: location.displayName,
          regionalDisplayName: `(Europe) ${location.displayName}`,
          metadata: { regionType: 'Physical', regionCategory: 'Recommended' },
        })),
      },
    }),
  };
}
