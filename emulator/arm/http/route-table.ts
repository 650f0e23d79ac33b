/**
 * The one shape of every Resource Manager provider's routes (Microsoft.Resources, Microsoft.ContainerRegistry,
 * Microsoft.ContainerInstance, Microsoft.ContainerService, and the next one): a table of operations, each
 * named `<family>.<resourceType>.<operation>` after the REST spec's operationId, at a path built from the
 * scopes below, served with Resource Manager authentication. The name is what fault injection, the request
 * log and `emulator/README.md` use.
 */
import type { EmulatorRequest, EmulatorResponse, Route } from '../../core/http-types';

export interface ArmOperation {
  /** `<resourceType>.<operation>`, e.g. 'containerGroups.createOrUpdate' (the family is added by the table). */
  operation: string;
  method: Route['method'];
  path: string;
  handle(request: EmulatorRequest): Promise<EmulatorResponse>;
}

/** The scopes Resource Manager paths start with. */
export const SUBSCRIPTION_SCOPE = '/subscriptions/:subscriptionId';
export const RESOURCE_GROUP_SCOPE = `${SUBSCRIPTION_SCOPE}/resourceGroups/:resourceGroupName`;

/** A provider's resource type under a scope: `<scope>/providers/<namespace>/<type>`. */
export function providerPath(scope: string, namespace: string, type: string): string {
  return `${scope}/providers/${namespace}/${type}`;
}

/** A provider's routes: `<family>.<operation>` names, Resource Manager authentication. */
export function armRouteTable(family: string, operations: readonly ArmOperation[]): Route[] {
  return operations.map((operation) => ({
    name: `${family}.${operation.operation}`,
    method: operation.method,
    path: operation.path,
    auth: 'arm',
    handle: (request) => operation.handle(request),
  }));
}
