/**
 * Watches: a stream of `{"type":"ADDED|MODIFIED|DELETED","object":...}` lines (or Tables, for
 * `kubectl get -w`), from a resourceVersion or from the current state, filtered by label and field
 * selectors: an object that stops matching arrives as DELETED, one that starts matching as ADDED,
 * as kube-apiserver's cacher does. A resourceVersion older than the history gives an ERROR event with
 * a 410 Expired Status. `timeoutSeconds` ends the stream.
 */
import type { KubeObject, WatchEvent } from '../store/object-store';
import { isStatusError } from '../status-errors';
import type { ApiRequest, ApiResult, WatchSink } from './api-types';
import { withTypeMeta, type HandlerContext } from './handler-context';
import { matchesSelectors, namespaceOf, selectorsOf, wantsTable } from './resource-handlers';
import { toTable } from './table-printing';

const DEFAULT_TIMEOUT_IN_SECONDS = 1800;

export function handleWatch(context: HandlerContext, request: ApiRequest): ApiResult {
  const selectors = selectorsOf(request);
  const table = wantsTable(request);
  const timeoutText = request.query.get('timeoutSeconds');
  const timeoutInSeconds = timeoutText !== null && Number(timeoutText) > 0 ? Number(timeoutText) : DEFAULT_TIMEOUT_IN_SECONDS;
  const sinceVersion = request.query.get('resourceVersion') ?? undefined;
  const fromVersion = sinceVersion !== undefined && sinceVersion !== '' && sinceVersion !== '0';
  const keyOf = (object: KubeObject): string => `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
  return {
    kind: 'watch',
    start(sink: WatchSink) {
      const matching = new Set<string>();
      const render = (object: KubeObject): unknown => {
        const typed = withTypeMeta(request.type, object);
        if (!table) return typed;
        return toTable(request.type.group, request.type.kind, [typed], { resourceVersion: object.metadata.resourceVersion }, { includeObject: 'Metadata', now: context.now() });
      };
      const listener = (event: WatchEvent): void => {
        const key = keyOf(event.object);
        const matches = matchesSelectors(selectors, event.object);
        const matched = matching.has(key);
        if (event.type === 'DELETED') {
          matching.delete(key);
          if (matched || matches) sink.send({ type: 'DELETED', object: render(event.object) });
          return;
        }
        if (matches) {
          matching.add(key);
          sink.send({ type: event.type === 'MODIFIED' && !matched && !fromVersion ? 'ADDED' : event.type, object: render(event.object) });
        } else if (matched) {
          matching.delete(key);
          sink.send({ type: 'DELETED', object: render(event.object) });
        }
      };
      let stop: (() => void) | undefined;
      try {
        stop = context.store.watch(request.type, namespaceOf(request), sinceVersion, listener);
      } catch (error) {
        if (isStatusError(error)) {
          sink.send({ type: 'ERROR', object: error.status });
          sink.end();
          return;
        }
        throw error;
      }
      const timer = setTimeout(() => sink.end(), timeoutInSeconds * 1000);
      timer.unref();
      sink.onClose(() => {
        clearTimeout(timer);
        stop?.();
      });
    },
  };
}
