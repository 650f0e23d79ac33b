/**
 * Server-side printing: the meta.k8s.io/v1 Table that `kubectl get` asks for
 * (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), with the columns kube-apiserver's printers
 * give each kind (pkg/printers/internalversion/printers.go): pods READY/STATUS/RESTARTS, deployments
 * READY/UP-TO-DATE/AVAILABLE, services TYPE/CLUSTER-IP/EXTERNAL-IP/PORT(S), events LAST SEEN/TYPE/REASON/OBJECT/MESSAGE, ...
 */
import { isObject, text } from '../json-values';
import type { KubeObject } from '../store/object-store';
import { formatSelector } from '../store/label-selector';
import { ageOf } from './human-duration';

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (isObject(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date' | 'number';
  format: string;
  description: string;
  priority: number;
  cell: (object: KubeObject, now: Date) => unknown;
}

const nameColumn: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0, cell: (o) => o.metadata.name };
const ageColumn: Column = { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0, cell: (o, now) => ageOf(o.metadata.creationTimestamp, now) };
const column = (name: string, type: Column['type'], cell: Column['cell'], priority = 0, description = ''): Column => ({ name, type, format: '', description, priority, cell });

function podStatus(pod: KubeObject): { ready: string; status: string; restarts: number } {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const containers = list(spec.containers);
  const statuses = list(status.containerStatuses).map(obj);
  let reason = text(status.reason ?? status.phase ?? 'Pending');
  let restarts = 0;
  let ready = 0;
  for (const containerStatus of statuses) {
    restarts += num(containerStatus.restartCount);
    const state = obj(containerStatus.state);
    if (isObject(state.waiting) && typeof state.waiting.reason === 'string' && state.waiting.reason !== '') reason = state.waiting.reason;
    else if (isObject(state.terminated)) reason = text(state.terminated.reason ?? (state.terminated.signal ? `Signal:${text(state.terminated.signal)}` : `ExitCode:${text(state.terminated.exitCode ?? 0)}`));
    if (containerStatus.ready === true && isObject(state.running)) ready++;
  }
  if (statuses.length > 0 && reason === 'Running' && ready === 0) reason = 'Running';
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  if (statuses.length === 0 && status.phase === 'Pending' && !status.reason) reason = 'Pending';
  return { ready: `${ready}/${containers.length}`, status: reason, restarts };
}

function servicePorts(service: KubeObject): string {
  const ports = list(obj(service.spec).ports).map(obj);
  if (ports.length === 0) return '<none>';
  return ports.map((port) => `${text(port.port)}${port.nodePort ? `:${text(port.nodePort)}` : ''}/${text(port.protocol ?? 'TCP')}`).join(',');
}

function externalIp(service: KubeObject): string {
  const spec = obj(service.spec);
  const ingress = list(obj(obj(service.status).loadBalancer).ingress).map(obj);
  const external = list(spec.externalIPs).map(String);
  if (spec.type === 'LoadBalancer') {
    const ips = [...ingress.map((entry) => text(entry.ip ?? entry.hostname ?? '')), ...external].filter((ip) => ip !== '');
    return ips.length > 0 ? ips.join(',') : '<pending>';
  }
  if (spec.type === 'ExternalName') return text(spec.externalName ?? '');
  return external.length > 0 ? external.join(',') : '<none>';
}

function selectorText(value: unknown): string {
  if (!isObject(value)) return '<none>';
  const text = isObject(value.matchLabels) || Array.isArray(value.matchExpressions) ? formatSelector(value) : Object.entries(value).map(([k, v]) => `${k}=${String(v)}`).join(',');
  return text === '' ? '<none>' : text;
}

function containerColumns(template: unknown): { containers: string; images: string } {
  const containers = list(obj(obj(template).spec).containers).map(obj);
  return { containers: containers.map((c) => String(c.name)).join(','), images: containers.map((c) => String(c.image)).join(',') };
}

function hpaTargets(hpa: KubeObject): string {
  const metrics = list(obj(hpa.spec).metrics).map(obj);
  const current = list(obj(hpa.status).currentMetrics).map(obj);
  if (metrics.length === 0) return '<none>';
  return metrics
    .map((metric, index) => {
      const resource = obj(metric.resource);
      const target = obj(resource.target);
      const now = obj(obj(current[index]).resource).current;
      const currentText = isObject(now) && typeof now.averageUtilization === 'number' ? `${now.averageUtilization}%` : '<unknown>';
      const targetText = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : text(target.averageValue ?? target.value ?? '');
      return `${String(resource.name ?? metric.type)}: ${currentText}/${targetText}`;
    })
    .join(', ');
}

function eventObject(event: KubeObject): string {
  const involved = obj(event.involvedObject ?? event.regarding);
  return `${text(involved.kind ?? '').toLowerCase()}/${text(involved.name ?? '')}`;
}

function eventLastSeen(event: KubeObject, now: Date): string {
  const last = event.lastTimestamp ?? event.eventTime ?? obj(event.series).lastObservedTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  return ageOf(last, now);
}

const COLUMNS: Record<string, Column[]> = {
  '/Pod': [
    nameColumn,
    column('Ready', 'string', (o) => podStatus(o).ready, 0, 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', (o) => podStatus(o).status, 0, 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', (o) => String(podStatus(o).restarts), 0, 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn,
    column('IP', 'string', (o) => text(obj(o.status).podIP ?? '<none>'), 1),
    column('Node', 'string', (o) => text(obj(o.spec).nodeName ?? '<none>'), 1),
    column('Nominated Node', 'string', () => '<none>', 1),
    column('Readiness Gates', 'string', () => '<none>', 1),
  ],
  'apps/Deployment': [
    nameColumn,
    column('Ready', 'string', (o) => `${num(obj(o.status).readyReplicas)}/${num(obj(o.spec).replicas)}`, 0, 'Number of the pod with ready state'),
    column('Up-to-date', 'integer', (o) => num(obj(o.status).updatedReplicas), 0, 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'integer', (o) => num(obj(o.status).availableReplicas), 0, 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    column('Containers', 'string', (o) => containerColumns(obj(o.spec).template).containers, 1),
    column('Images', 'string', (o) => containerColumns(obj(o.spec).template).images, 1),
    column('Selector', 'string', (o) => selectorText(obj(o.spec).selector), 1),
  ],
  'apps/ReplicaSet': [
    nameColumn,
    column('Desired', 'integer', (o) => num(obj(o.spec).replicas), 0, 'Number of desired pods.'),
    column('Current', 'integer', (o) => num(obj(o.status).replicas), 0, 'Number of actual replicas.'),
    column('Ready', 'integer', (o) => num(obj(o.status).readyReplicas), 0, 'The number of ready replicas for this replica set.'),
    ageColumn,
    column('Containers', 'string', (o) => containerColumns(obj(o.spec).template).containers, 1),
    column('Images', 'string', (o) => containerColumns(obj(o.spec).template).images, 1),
    column('Selector', 'string', (o) => selectorText(obj(o.spec).selector), 1),
  ],
  '/Service': [
    nameColumn,
    column('Type', 'string', (o) => text(obj(o.spec).type ?? 'ClusterIP'), 0, 'The type of service.'),
    column('Cluster-IP', 'string', (o) => text(obj(o.spec).clusterIP ?? '<none>'), 0, 'The cluster IP of the service.'),
    column('External-IP', 'string', externalIp, 0, 'The external IP of the service.'),
    column('Port(s)', 'string', servicePorts, 0, 'The ports of the service.'),
    ageColumn,
    column('Selector', 'string', (o) => selectorText(obj(o.spec).selector), 1),
  ],
  '/Endpoints': [
    nameColumn,
    column('Endpoints', 'string', (o) => {
      const endpoints = list(o.subsets).flatMap((subset) => list(obj(subset).addresses).flatMap((address) => list(obj(subset).ports).map((port) => `${String(obj(address).ip)}:${String(obj(port).port)}`)));
      return endpoints.length === 0 ? '<none>' : endpoints.slice(0, 3).join(',') + (endpoints.length > 3 ? ` + ${endpoints.length - 3} more...` : '');
    }),
    ageColumn,
  ],
  '/Namespace': [nameColumn, column('Status', 'string', (o) => text(obj(o.status).phase ?? 'Active'), 0, 'The status of the namespace'), ageColumn],
  '/ConfigMap': [nameColumn, column('Data', 'integer', (o) => Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length), ageColumn],
  '/Secret': [nameColumn, column('Type', 'string', (o) => text(o.type ?? 'Opaque')), column('Data', 'integer', (o) => Object.keys(obj(o.data)).length), ageColumn],
  '/Event': [
    column('Last Seen', 'string', eventLastSeen),
    column('Type', 'string', (o) => text(o.type ?? '')),
    column('Reason', 'string', (o) => text(o.reason ?? '')),
    column('Object', 'string', eventObject),
    column('Message', 'string', (o) => text(o.message ?? o.note ?? '').trim()),
    column('Subobject', 'string', (o) => text(obj(o.involvedObject).fieldPath ?? ''), 1),
    column('Source', 'string', (o) => text(obj(o.source).component ?? o.reportingComponent ?? ''), 1),
    column('First Seen', 'string', (o, now) => ageOf(o.firstTimestamp ?? o.eventTime, now), 1),
    column('Count', 'string', (o) => text(o.count ?? 1), 1),
    column('Name', 'string', (o) => o.metadata.name, 1),
  ],
  'autoscaling/HorizontalPodAutoscaler': [
    nameColumn,
    column('Reference', 'string', (o) => `${String(obj(obj(o.spec).scaleTargetRef).kind)}/${String(obj(obj(o.spec).scaleTargetRef).name)}`),
    column('Targets', 'string', hpaTargets),
    column('MinPods', 'string', (o) => text(obj(o.spec).minReplicas ?? 1)),
    column('MaxPods', 'integer', (o) => num(obj(o.spec).maxReplicas)),
    column('Replicas', 'integer', (o) => num(obj(o.status).currentReplicas)),
    ageColumn,
  ],
  'policy/PodDisruptionBudget': [
    nameColumn,
    column('Min Available', 'string', (o) => text(obj(o.spec).minAvailable ?? 'N/A')),
    column('Max Unavailable', 'string', (o) => text(obj(o.spec).maxUnavailable ?? 'N/A')),
    column('Allowed Disruptions', 'integer', (o) => num(obj(o.status).disruptionsAllowed)),
    ageColumn,
  ],
  'discovery.k8s.io/EndpointSlice': [
    nameColumn,
    column('AddressType', 'string', (o) => text(o.addressType ?? '')),
    column('Ports', 'string', (o) => list(o.ports).map((port) => String(obj(port).port)).join(',') || '<unset>'),
    column('Endpoints', 'string', (o) => list(o.endpoints).flatMap((endpoint) => list(obj(endpoint).addresses).map(String)).join(',') || '<unset>'),
    ageColumn,
  ],
};

function partialMetadata(object: KubeObject): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export interface TableOptions {
  includeObject: 'None' | 'Metadata' | 'Object';
  now: Date;
}

export function toTable(group: string, kind: string, objects: readonly KubeObject[], listMetadata: Obj, options: TableOptions): Obj {
  const columns = COLUMNS[`${group}/${kind}`] ?? [nameColumn, { ...ageColumn, name: 'Created At', type: 'date' as const, cell: (o: KubeObject) => o.metadata.creationTimestamp }];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetadata,
    columnDefinitions: columns.map(({ name, type, format, description, priority }) => ({ name, type, format, description, priority })),
    rows: objects.map((object) => ({
      cells: columns.map((col) => col.cell(object, options.now)),
      ...(options.includeObject === 'None' ? {} : { object: options.includeObject === 'Object' ? object : partialMetadata(object) }),
    })),
  };
}
