/** Location resources: capabilities, usages, and the status of asynchronous operations. */
import { armError, type EmulatorRequest, type EmulatorResponse } from '../../core/http-types';
import type { AciState } from '../aci-state';
import { capabilitiesOf } from '../model/capabilities';
import type { AciEvent } from '../model/event-log';
import { normaliseLocation } from '../../arm/spec/locations';
import { operationBody } from '../model/operations';
import { guardSubscription, param } from './request-guards';

function knownLocation(state: AciState, location: string): boolean {
  return state.ctx.locations.map(normaliseLocation).includes(normaliseLocation(location));
}

export function capabilities(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const location = param(request, 'location');
  const problem = guardSubscription(state, request, location);
  if (problem) return Promise.resolve(problem);
  const value = knownLocation(state, location) ? capabilitiesOf(normaliseLocation(location)) : [];
  return Promise.resolve({ status: 200, body: { value } });
}

export function usages(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const location = normaliseLocation(param(request, 'location'));
  const problem = guardSubscription(state, request, location);
  if (problem) return Promise.resolve(problem);
  const groups = state.store.all().filter((g) => g.location === location);
  const cores = groups.flatMap((g) => g.body.properties.containers).reduce((sum, c) => sum + c.properties.resources.requests.cpu, 0);
  const usage = (name: string, localizedValue: string, currentValue: number, limit: number): Record<string, unknown> => ({
    id: `/subscriptions/${state.ctx.subscriptionId}/providers/Microsoft.ContainerInstance/locations/${location}/usages/${name}`,
    unit: 'Count',
    currentValue,
    limit,
    name: { value: name, localizedValue },
  });
  return Promise.resolve({
    status: 200,
    body: { value: [usage('ContainerGroups', 'Container Groups', groups.length, 100), usage('StandardCores', 'Standard Cores', Math.ceil(cores), 100)] },
  });
}

/** The operation status resource named by Azure-AsyncOperation (served without an api-version check beyond presence). */
export function operationStatus(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const subscriptionId = param(request, 'subscriptionId');
  const operation = state.operations.get(param(request, 'operationId'));
  if (subscriptionId.toLowerCase() !== state.ctx.subscriptionId.toLowerCase() || !operation) {
    return Promise.resolve(armError(404, 'OperationNotFound', `The operation '${param(request, 'operationId')}' could not be found.`));
  }
  const record = state.store.all().find((g) => g.key === operation.groupKey);
  const events: AciEvent[] = record ? [...record.containers.values()].flatMap((c) => c.events.list()) : [];
  return Promise.resolve({ status: 200, body: operationBody(operation, events) });
}
