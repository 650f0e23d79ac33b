/**
 * The asynchronous operations behind `Azure-AsyncOperation`: Pending -> Creating -> Succeeded or
 * Failed, read by the SDK's poller as `{ id, status, startTime, endTime, properties, error }`.
 */
import { randomUUID } from 'node:crypto';
import { isoSeconds, type AciEvent } from './event-log';

export type OperationStatus = 'Pending' | 'Creating' | 'Succeeded' | 'Failed' | 'Canceled';

export interface Operation {
  id: string;
  resourceGroup: string;
  location: string;
  groupKey: string;
  /** The group's resource id: what Azure's operation status names as its `id`. */
  groupId: string;
  status: OperationStatus;
  startTime: string;
  endTime?: string;
  error?: { code: string; message: string };
}

export interface OperationStore {
  start(resourceGroup: string, location: string, groupKey: string, groupId: string): Operation;
  get(id: string): Operation | undefined;
  setStatus(id: string, status: OperationStatus, error?: { code: string; message: string }): void;
}

export function createOperationStore(now: () => Date = () => new Date()): OperationStore {
  const operations = new Map<string, Operation>();
  return {
    start(resourceGroup, location, groupKey, groupId) {
      const operation: Operation = { id: randomUUID(), resourceGroup, location, groupKey, groupId, status: 'Pending', startTime: isoSeconds(now()) };
      operations.set(operation.id, operation);
      return operation;
    },
    get: (id) => operations.get(id.toLowerCase()),
    setStatus(id, status, error) {
      const operation = operations.get(id);
      if (!operation) return;
      operation.status = status;
      if (status === 'Succeeded' || status === 'Failed' || status === 'Canceled') operation.endTime = isoSeconds(now());
      if (error) operation.error = error;
    },
  };
}

export function operationPath(subscriptionId: string, operation: Operation): string {
  // The subscription-level form, as in Azure's recorded Azure-AsyncOperation headers (tests/emulator/golden/).
  return `/subscriptions/${subscriptionId}/providers/Microsoft.ContainerInstance/locations/${operation.location}/operations/${operation.id}`;
}

export function operationBody(operation: Operation, events: AciEvent[]): Record<string, unknown> {
  return {
    id: operation.groupId,
    status: operation.status,
    startTime: operation.startTime,
    ...(operation.endTime ? { endTime: operation.endTime } : {}),
    properties: { events },
    ...(operation.error ? { error: operation.error } : {}),
  };
}
