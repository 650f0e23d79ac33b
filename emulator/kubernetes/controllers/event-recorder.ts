/**
 * Events, as client-go's EventRecorder writes them for the controllers and the kubelet: a core/v1
 * Event per (object, reason, message, source), whose count and lastTimestamp grow when it repeats
 * (the event correlator's aggregation), mirrored as events.k8s.io/v1 (series, regarding, note).
 */
import { randomBytes } from 'node:crypto';
import { EVENTS, EVENTS_V1 } from '../store/resource-types';
import type { ObjectStore } from '../store/object-store';
import { isoMicro, isoSeconds } from './clock-format';
import { unconditional } from './unconditional';

export interface EventSource {
  component: string;
  host?: string;
}

export interface InvolvedObject {
  kind: string;
  apiVersion: string;
  metadata: { name: string; namespace?: string; uid: string; resourceVersion?: string };
}

export interface EventRecorder {
  /** fieldPath e.g. `spec.containers{app}` for a container of a pod. */
  record(object: InvolvedObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
}

interface Aggregate {
  name: string;
  count: number;
}

export function createEventRecorder(store: ObjectStore, source: EventSource, now: () => number = Date.now): EventRecorder {
  const seen = new Map<string, Aggregate>();
  return {
    record(object, type, reason, message, fieldPath) {
      const namespace = object.metadata.namespace ?? 'default';
      const key = [object.kind, namespace, object.metadata.name, object.metadata.uid, fieldPath ?? '', type, reason, message, source.component].join('\u0000');
      const at = now();
      const reference = {
        kind: object.kind,
        namespace,
        name: object.metadata.name,
        uid: object.metadata.uid,
        apiVersion: object.apiVersion,
        ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
        ...(fieldPath ? { fieldPath } : {}),
      };
      const previous = seen.get(key);
      try {
        if (previous) {
          const existing = store.get(EVENTS, namespace, previous.name);
          if (existing) {
            previous.count += 1;
            store.update(EVENTS, unconditional({ ...existing, count: previous.count, lastTimestamp: isoSeconds(at) }));
            mirror(store, existing.metadata.name, namespace, reference, type, reason, message, source, at, previous.count);
            return;
          }
        }
        const name = `${object.metadata.name}.${randomBytes(8).toString('hex')}`;
        store.create(EVENTS, {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace },
          involvedObject: reference,
          reason,
          message,
          source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
          firstTimestamp: isoSeconds(at),
          lastTimestamp: isoSeconds(at),
          count: 1,
          type,
          eventTime: null,
          reportingComponent: source.component,
          reportingInstance: source.host ?? '',
        });
        seen.set(key, { name, count: 1 });
        mirror(store, name, namespace, reference, type, reason, message, source, at, 1);
      } catch {
        // An event that cannot be written is dropped, as client-go's broadcaster drops it.
      }
    },
  };
}

function mirror(
  store: ObjectStore,
  name: string,
  namespace: string,
  regarding: Record<string, unknown>,
  type: string,
  reason: string,
  note: string,
  source: EventSource,
  at: number,
  count: number,
): void {
  const body = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name, namespace },
    eventTime: isoMicro(at),
    reportingController: source.component,
    reportingInstance: source.host ?? source.component,
    action: reason,
    reason,
    regarding,
    note,
    type,
    deprecatedSource: { component: source.component, ...(source.host ? { host: source.host } : {}) },
    deprecatedFirstTimestamp: isoSeconds(at),
    deprecatedLastTimestamp: isoSeconds(at),
    deprecatedCount: count,
    ...(count > 1 ? { series: { count, lastObservedTime: isoMicro(at) } } : {}),
  };
  const existing = store.get(EVENTS_V1, namespace, name);
  if (existing) {
    const first = (existing as { deprecatedFirstTimestamp?: string }).deprecatedFirstTimestamp;
    store.update(EVENTS_V1, unconditional({ ...body, metadata: existing.metadata, deprecatedFirstTimestamp: first, eventTime: (existing as { eventTime?: string }).eventTime }));
  } else {
    store.create(EVENTS_V1, body);
  }
}
